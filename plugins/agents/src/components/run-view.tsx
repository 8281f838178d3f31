'use client'
/**
 * The run view's body (a UI field on agent-runs): summary, error, and every step — model calls with
 * tokens, cost and latency, tool calls with their arguments and results. A run still going is followed
 * live over the run's event stream.
 */
import { useConfig, useDocumentInfo } from '@payloadcms/ui'
import type React from 'react'
import { useEffect, useMemo, useState } from 'react'
import { apiFetch, formatMs, formatUsd, type Id, useApiBase } from './api.ts'
import { StatusBadge } from './status.tsx'
import { SETTLED, type StepEvent, useRunEvents } from './use-run-events.ts'

interface RunDoc {
  id: Id
  runId: string
  agent: string
  status: string
  model?: string | null
  offline?: boolean
  costUsd?: number | null
  durationMs?: number | null
  attempt?: number | null
  usage?: { inputTokens?: number; outputTokens?: number; modelCalls?: number; toolCalls?: number } | null
  error?: { code?: string; message?: string } | null
  feedback?: string | null
  target?: { collection?: string | null; docId?: string | null } | null
  input?: Record<string, unknown> | null
  tenant?: Id | { id: Id } | null
}

/** Runs that ended without a result: the admin offers to run them again with the same input. */
const RETRYABLE = new Set(['failed', 'cancelled'])

const cell: React.CSSProperties = {
  padding: '6px 8px',
  borderBottom: '1px solid var(--theme-elevation-100)',
  textAlign: 'left',
}

export function RunView(): React.ReactElement | null {
  const api = useApiBase()
  const { config } = useConfig()
  const { id } = useDocumentInfo()
  const [doc, setDoc] = useState<RunDoc | null>(null)
  const [loaded, setLoaded] = useState<StepEvent[]>([])
  const [loadError, setLoadError] = useState<string | null>(null)
  const [approvalId, setApprovalId] = useState<Id | null>(null)
  const [retry, setRetry] = useState<{ pending?: boolean; error?: string; id?: Id }>({})

  useEffect(() => {
    if (id === undefined || id === null) return
    let live = true
    ;(async () => {
      const run = await apiFetch<RunDoc>(api, `/agent-runs/${id}?depth=0`)
      const steps = await apiFetch<{ docs: StepEvent[] }>(
        api,
        `/agent-steps?where[runId][equals]=${encodeURIComponent(run.runId)}&sort=seq&limit=500&depth=0`,
      )
      const approvals = await apiFetch<{ docs: Array<{ id: Id }> }>(
        api,
        `/approvals?where[runId][equals]=${encodeURIComponent(run.runId)}&limit=1&depth=0`,
      )
      if (!live) return
      setDoc(run)
      setLoaded(steps.docs)
      setApprovalId(approvals.docs[0]?.id ?? null)
    })().catch((e: Error) => live && setLoadError(e.message))
    return () => {
      live = false
    }
  }, [api, id])

  const following = Boolean(doc && !SETTLED.has(doc.status))
  const events = useRunEvents(api, id ?? undefined, following)
  const steps = useMemo(() => {
    const bySeq = new Map<number, StepEvent>()
    for (const s of [...loaded, ...events.steps]) if (!bySeq.has(s.seq)) bySeq.set(s.seq, s)
    return [...bySeq.values()].sort((a, b) => a.seq - b.seq)
  }, [loaded, events.steps])

  if (loadError) return <p role="alert">Could not load this run: {loadError}</p>
  if (!doc) return <p>Loading run…</p>
  const live = events.run
  const status = live?.status ?? doc.status
  const usage = live?.usage ?? doc.usage
  const error = live?.error ?? doc.error
  const admin = config.routes.admin
  // Same as the portal's Retry: a new run of the agent with this run's input (reviewer feedback left out).
  const runAgain = async () => {
    setRetry({ pending: true })
    try {
      const { feedback: _feedback, ...input } = doc.input ?? {}
      const tenant = doc.tenant && typeof doc.tenant === 'object' ? doc.tenant.id : doc.tenant
      const started = await apiFetch<{ id: Id }>(api, `/agents/${encodeURIComponent(doc.agent)}/runs`, {
        method: 'POST',
        body: JSON.stringify({ input, ...(tenant != null ? { tenant } : {}) }),
      })
      setRetry({ id: started.id })
    } catch (e) {
      setRetry({ error: (e as Error).message })
    }
  }

  return (
    <section data-run-view="" style={{ marginBottom: 24 }}>
      <div style={{ display: 'flex', gap: 16, flexWrap: 'wrap', alignItems: 'center', marginBottom: 12 }}>
        <StatusBadge status={status} />
        <span>
          <strong>Cost</strong> {formatUsd(live?.costUsd ?? doc.costUsd)}
        </span>
        <span>
          <strong>Tokens</strong> {usage?.inputTokens ?? 0} in / {usage?.outputTokens ?? 0} out
        </span>
        {doc.model ? (
          <span>
            <strong>Model</strong> {doc.model}
            {doc.offline ? ' (offline mock)' : ''}
          </span>
        ) : null}
        {doc.durationMs != null ? (
          <span>
            <strong>Took</strong> {formatMs(doc.durationMs)}
          </span>
        ) : null}
        {doc.attempt ? (
          <span>
            <strong>Attempt</strong> {doc.attempt}
          </span>
        ) : null}
        {following && !events.ended ? <span aria-live="polite">following live…</span> : null}
      </div>
      {doc.target?.collection && doc.target.docId ? (
        <p>
          Works on{' '}
          <a href={`${admin}/collections/${doc.target.collection}/${doc.target.docId}`}>
            {doc.target.collection} {doc.target.docId}
          </a>
        </p>
      ) : null}
      {approvalId !== null ? (
        <p>
          <a href={`${admin}/collections/approvals/${approvalId}`}>Open the proposal →</a>
        </p>
      ) : null}
      {doc.feedback ? (
        <p>
          <strong>Reviewer feedback for this run:</strong> {doc.feedback}
        </p>
      ) : null}
      {error ? (
        <div
          role="alert"
          style={{ background: 'var(--theme-error-50)', padding: 10, borderRadius: 4, marginBottom: 12 }}
        >
          <strong>{error.code ?? 'error'}</strong>: {error.message}
        </div>
      ) : null}
      {RETRYABLE.has(status) ? (
        <p data-run-retry="">
          {retry.id !== undefined ? (
            <a href={`${admin}/collections/agent-runs/${retry.id}`}>Started again: open the new run →</a>
          ) : (
            <button type="button" className="btn btn--style-secondary" disabled={retry.pending} onClick={runAgain}>
              Run again
            </button>
          )}
          {retry.error ? <span role="alert"> {retry.error}</span> : null}
        </p>
      ) : null}
      <table style={{ width: '100%', borderCollapse: 'collapse' }} data-run-steps="">
        <thead>
          <tr>
            {['#', 'Kind', 'Model / tool', 'Tokens in/out', 'Cost', 'Latency', ''].map((h) => (
              <th key={h} style={cell}>
                {h}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {steps.length === 0 ? (
            <tr>
              <td style={cell} colSpan={7}>
                No steps yet.
              </td>
            </tr>
          ) : (
            steps.map((step) => (
              <tr key={step.seq} data-step-kind={step.kind}>
                <td style={cell}>{step.seq}</td>
                <td style={cell}>
                  {step.kind}
                  {step.isError ? <span style={{ color: 'var(--theme-error-600)' }}> (error)</span> : null}
                </td>
                <td style={cell}>{step.name ?? ''}</td>
                <td style={cell}>
                  {step.kind === 'model-call' ? `${step.inputTokens ?? 0} / ${step.outputTokens ?? 0}` : ''}
                </td>
                <td style={cell}>{step.kind === 'model-call' ? formatUsd(step.costUsd) : ''}</td>
                <td style={cell}>{step.latencyMs != null ? formatMs(step.latencyMs) : ''}</td>
                <td style={cell}>
                  {step.data !== undefined && step.data !== null ? (
                    <details>
                      <summary>data</summary>
                      <pre style={{ whiteSpace: 'pre-wrap', maxHeight: 300, overflow: 'auto', fontSize: 12 }}>
                        {truncate(JSON.stringify(step.data, null, 2))}
                      </pre>
                    </details>
                  ) : null}
                </td>
              </tr>
            ))
          )}
        </tbody>
      </table>
    </section>
  )
}

const truncate = (text: string, max = 8000) =>
  text.length > max ? `${text.slice(0, max)}\n… (${text.length - max} more characters)` : text
