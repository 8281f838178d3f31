'use client'
import { useEffect, useState } from 'react'
import type { Id } from './api.ts'

export interface RunSnapshot {
  id: Id
  runId: string
  agent: string
  status: string
  output: unknown
  error: { code?: string; message?: string } | null
  usage: { inputTokens?: number; outputTokens?: number; modelCalls?: number } | null
  costUsd: number
  offline: boolean
  startedAt: string | null
  finishedAt: string | null
}

export interface StepEvent {
  seq: number
  kind: string
  name?: string | null
  inputTokens?: number | null
  outputTokens?: number | null
  costUsd?: number | null
  latencyMs?: number | null
  isError?: boolean | null
  data?: unknown
}

/**
 * Follows a run over `GET /api/agent-runs/:id/events` until it settles. Reconnects (EventSource does)
 * after the server's 10-minute cut; steps are keyed by `seq`, so a replay adds nothing twice.
 */
export function useRunEvents(api: string, runDocId: Id | undefined, follow: boolean) {
  const [run, setRun] = useState<RunSnapshot | null>(null)
  const [steps, setSteps] = useState<StepEvent[]>([])
  const [ended, setEnded] = useState(false)
  const [error, setError] = useState<string | null>(null)

  useEffect(() => {
    if (runDocId === undefined || !follow) return
    setEnded(false)
    setError(null)
    const source = new EventSource(`${api}/agent-runs/${runDocId}/events`, { withCredentials: true })
    const onRun = (e: MessageEvent) => setRun(JSON.parse(e.data) as RunSnapshot)
    const onStep = (e: MessageEvent) => {
      const step = JSON.parse(e.data) as StepEvent
      setSteps((list) => (list.some((s) => s.seq === step.seq) ? list : [...list, step].sort((a, b) => a.seq - b.seq)))
    }
    const onEnd = (e: MessageEvent) => {
      setRun(JSON.parse(e.data) as RunSnapshot)
      setEnded(true)
      source.close()
    }
    const onError = (e: Event) => {
      const data = (e as MessageEvent).data
      if (typeof data === 'string') setError((JSON.parse(data) as { message?: string }).message ?? 'The stream failed')
      else if (source.readyState === EventSource.CLOSED)
        setError('Lost the connection to the run; reload to follow it again.')
    }
    source.addEventListener('run', onRun)
    source.addEventListener('step', onStep)
    source.addEventListener('end', onEnd)
    source.addEventListener('error', onError)
    return () => source.close()
  }, [api, runDocId, follow])

  return { run, steps, ended, error }
}

/** Statuses after which a run stream ends (a run waiting for approval is settled as far as the run goes). */
export const SETTLED = new Set(['succeeded', 'rejected', 'failed', 'cancelled', 'awaiting-approval'])
