'use client'
import { useEffect, useState } from 'react'

interface Snapshot {
  status: string
  costUsd?: number
  usage?: { inputTokens?: number; outputTokens?: number } | null
  error?: { message?: string } | null
  output?: unknown
  offline?: boolean
}
interface Step {
  seq: number
  kind: string
  data?: { name?: string; model?: string; error?: { message?: string }; inputTokens?: number; outputTokens?: number }
  [key: string]: unknown
}

/** Follows a run over server-sent events: status, steps (model and tool calls), tokens, cost, errors. */
export function RunLive({ id, initial }: { id: number; initial: Snapshot }) {
  const [run, setRun] = useState<Snapshot>(initial)
  const [steps, setSteps] = useState<Step[]>([])
  const [live, setLive] = useState(false)
  useEffect(() => {
    const source = new EventSource(`/api/runs/${id}/events`)
    setLive(true)
    source.addEventListener('step', (e) => setSteps((s) => [...s, JSON.parse((e as MessageEvent).data) as Step]))
    source.addEventListener('run', (e) => setRun(JSON.parse((e as MessageEvent).data)))
    const end = (e: Event) => {
      if ((e as MessageEvent).data) setRun(JSON.parse((e as MessageEvent).data))
      source.close()
      setLive(false)
    }
    source.addEventListener('end', end)
    source.addEventListener('timeout', () => source.close())
    source.onerror = () => {
      source.close()
      setLive(false)
    }
    return () => source.close()
  }, [id])
  return (
    <section data-run-live>
      <p>
        Status:{' '}
        <span className="pill" data-status={run.status} data-run-status>
          {run.status}
        </span>{' '}
        {live && <em>(live)</em>}
        {run.offline && <span className="note"> from the offline model</span>}
      </p>
      <p>
        Tokens: {run.usage?.inputTokens ?? 0} in / {run.usage?.outputTokens ?? 0} out · Cost: $
        {(run.costUsd ?? 0).toFixed(4)}
      </p>
      {run.error?.message && <p className="error">Error: {run.error.message}</p>}
      <h2>Steps</h2>
      {steps.length === 0 ? (
        <p>No steps {live ? 'yet' : 'recorded while watching'}.</p>
      ) : (
        <ol data-steps>
          {steps.map((s) => (
            <li key={s.seq}>
              {s.kind} {s.data?.name ?? s.data?.model ?? ''}
              {s.data?.error?.message && <span className="error"> — {s.data.error.message}</span>}
            </li>
          ))}
        </ol>
      )}
      {run.output != null && (
        <>
          <h2>Output</h2>
          <pre>{JSON.stringify(run.output, null, 2)}</pre>
        </>
      )}
    </section>
  )
}
