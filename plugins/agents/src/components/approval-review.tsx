'use client'
/**
 * The approval review (a UI field on approvals): what the agent proposes beside what the document has
 * now, field by field with changes marked, and approve / reject with feedback (optionally re-running
 * the agent with it). After approving it follows the approval until the change is applied.
 */
import { Button, useConfig, useDocumentInfo } from '@payloadcms/ui'
import type React from 'react'
import { useCallback, useEffect, useState } from 'react'
import { apiFetch, type Id, useApiBase } from './api.ts'
import { StatusBadge } from './status.tsx'

interface ApprovalDoc {
  id: Id
  agent: string
  runId: string
  status: string
  proposed?: unknown
  current?: unknown
  target?: { collection?: string | null; docId?: string | null } | null
  feedback?: string | null
  decidedAt?: string | null
  appliedAt?: string | null
  expiresAt?: string | null
  error?: string | null
  agentRun?: Id | { id: Id }
  tenant?: Id | { id: Id }
}

interface Decision {
  rerun?: { id: Id } | null
}

/** Readable text of a value: strings as they are, lists joined, Lexical rich text as its paragraphs. */
export function displayValue(value: unknown): string {
  if (value === null || value === undefined || value === '') return '—'
  if (typeof value === 'string') return value
  if (typeof value === 'number' || typeof value === 'boolean') return String(value)
  if (Array.isArray(value) && value.length === 0) return '—'
  if (Array.isArray(value))
    return value.every((v) => typeof v !== 'object') ? value.join(', ') : JSON.stringify(value, null, 2)
  if (typeof value === 'object' && 'root' in (value as object)) return lexicalText((value as { root: unknown }).root)
  return JSON.stringify(value, null, 2)
}

function lexicalText(node: unknown): string {
  const n = node as { type?: string; text?: string; tag?: string; children?: unknown[] }
  if (typeof n?.text === 'string') return n.text
  const inner = (n?.children ?? []).map(lexicalText)
  if (n?.type === 'root') return inner.join('\n\n')
  if (n?.type === 'heading') return `${'#'.repeat(Number(n.tag?.slice(1)) || 2)} ${inner.join('')}`
  if (n?.type === 'list') return inner.map((line) => `• ${line}`).join('\n')
  return inner.join('')
}

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v) && !('root' in v)

/** Field-by-field rows of current vs proposed. */
export function diffRows(
  current: unknown,
  proposed: unknown,
): Array<{ field: string; current: string; proposed: string; changed: boolean }> {
  if (!isRecord(proposed)) {
    const c = displayValue(current)
    const p = displayValue(proposed)
    return [{ field: 'Value', current: c, proposed: p, changed: c !== p }]
  }
  const cur = isRecord(current) ? current : {}
  return Object.keys(proposed).map((field) => {
    const c = displayValue(cur[field])
    const p = displayValue(proposed[field])
    return { field, current: c, proposed: p, changed: c !== p }
  })
}

const label = (name: string) => name.replace(/([a-z])([A-Z])/g, '$1 $2').replace(/^./, (c) => c.toUpperCase())
const cell: React.CSSProperties = {
  padding: '8px 10px',
  borderBottom: '1px solid var(--theme-elevation-100)',
  verticalAlign: 'top',
  whiteSpace: 'pre-wrap',
  textAlign: 'left',
}

export function ApprovalReview(): React.ReactElement | null {
  const api = useApiBase()
  const { config } = useConfig()
  const { id } = useDocumentInfo()
  const [doc, setDoc] = useState<ApprovalDoc | null>(null)
  const [feedback, setFeedback] = useState('')
  const [busy, setBusy] = useState(false)
  const [message, setMessage] = useState<{ tone: 'error' | 'info'; text: string; href?: string } | null>(null)
  const [canReview, setCanReview] = useState(false)

  const load = useCallback(async () => {
    if (id === undefined || id === null) return null
    const next = await apiFetch<ApprovalDoc>(api, `/approvals/${id}?depth=0`)
    setDoc(next)
    return next
  }, [api, id])

  useEffect(() => {
    load().catch((e: Error) => setMessage({ tone: 'error', text: `Could not load this approval: ${e.message}` }))
  }, [load])

  // Only roles that may decide see the buttons (the endpoints refuse the others anyway).
  const tenant = doc?.tenant && typeof doc.tenant === 'object' ? doc.tenant.id : doc?.tenant
  useEffect(() => {
    if (tenant === undefined) return
    apiFetch<{ can: { review: boolean } }>(api, `/agents?tenant=${encodeURIComponent(String(tenant))}`)
      .then((res) => setCanReview(res.can.review))
      .catch(() => setCanReview(false))
  }, [api, tenant])

  // Approved: follow it until the change is applied (or applying failed).
  useEffect(() => {
    if (doc?.status !== 'approved') return
    const timer = setInterval(() => {
      load().catch(() => undefined)
    }, 500)
    return () => clearInterval(timer)
  }, [doc?.status, load])

  const decide = async (action: 'approve' | 'reject', rerun = false) => {
    setBusy(true)
    setMessage(null)
    try {
      const body = action === 'reject' ? JSON.stringify({ feedback: feedback.trim() || undefined, rerun }) : undefined
      const res = await apiFetch<Decision>(api, `/approvals/${id}/${action}`, { method: 'POST', body })
      if (res.rerun)
        setMessage({
          tone: 'info',
          text: 'Rejected; the agent is running again with your feedback.',
          href: `${config.routes.admin}/collections/agent-runs/${res.rerun.id}`,
        })
      await load()
    } catch (e) {
      setMessage({ tone: 'error', text: (e as Error).message })
      await load().catch(() => undefined)
    } finally {
      setBusy(false)
    }
  }

  if (!doc) return message ? <p role="alert">{message.text}</p> : <p>Loading proposal…</p>
  const admin = config.routes.admin
  const expired = doc.status === 'pending' && doc.expiresAt != null && new Date(doc.expiresAt) <= new Date()
  const open = doc.status === 'pending' && !expired
  const targetHref =
    doc.target?.collection && doc.target.docId
      ? `${admin}/collections/${doc.target.collection}/${doc.target.docId}`
      : null
  const runId = doc.agentRun && typeof doc.agentRun === 'object' ? doc.agentRun.id : doc.agentRun

  return (
    <section data-approval-review="" style={{ marginBottom: 24 }}>
      <div style={{ display: 'flex', alignItems: 'center', gap: 12, flexWrap: 'wrap', marginBottom: 12 }}>
        <StatusBadge status={expired ? 'expired' : doc.status} />
        <span>
          <strong>{doc.agent}</strong> proposes a change
          {targetHref ? (
            <>
              {' '}
              to{' '}
              <a href={targetHref}>
                {doc.target?.collection} {doc.target?.docId}
              </a>
            </>
          ) : null}
        </span>
        {runId !== undefined ? <a href={`${admin}/collections/agent-runs/${runId}`}>Run details</a> : null}
        {open && doc.expiresAt ? (
          <span style={{ color: 'var(--theme-elevation-500)' }}>
            open until {new Date(doc.expiresAt).toLocaleString()}
          </span>
        ) : null}
      </div>

      <table style={{ width: '100%', borderCollapse: 'collapse', tableLayout: 'fixed' }} data-approval-diff="">
        <thead>
          <tr>
            <th style={{ ...cell, width: '18%' }}>Field</th>
            <th style={cell}>Current</th>
            <th style={cell}>Proposed</th>
          </tr>
        </thead>
        <tbody>
          {diffRows(doc.current, doc.proposed).map((row) => (
            <tr key={row.field} data-field={row.field} data-changed={row.changed ? 'true' : 'false'}>
              <td style={{ ...cell, fontWeight: 600 }}>{label(row.field)}</td>
              <td style={{ ...cell, color: 'var(--theme-elevation-600)' }} data-current="">
                {row.current}
              </td>
              <td style={{ ...cell, background: row.changed ? 'var(--theme-success-50)' : undefined }} data-proposed="">
                {row.proposed}
              </td>
            </tr>
          ))}
        </tbody>
      </table>

      {open && !canReview ? (
        <p style={{ marginTop: 16 }} role="status">
          Waiting for a manager or admin of this tenant to decide.
        </p>
      ) : null}
      {open && canReview ? (
        <div style={{ marginTop: 16 }}>
          <label htmlFor="approval-feedback" style={{ display: 'block', fontWeight: 600, marginBottom: 4 }}>
            Feedback for the agent (optional when approving)
          </label>
          <textarea
            id="approval-feedback"
            rows={3}
            value={feedback}
            onChange={(e) => setFeedback(e.target.value)}
            style={{ width: '100%', padding: 8, marginBottom: 8 }}
            placeholder="What should change? e.g. shorter title, mention the brand"
          />
          <div style={{ display: 'flex', gap: 8, flexWrap: 'wrap' }}>
            <Button size="small" disabled={busy} onClick={() => void decide('approve')}>
              Approve and apply
            </Button>
            <Button size="small" buttonStyle="secondary" disabled={busy} onClick={() => void decide('reject')}>
              Reject
            </Button>
            <Button
              size="small"
              buttonStyle="secondary"
              disabled={busy || feedback.trim() === ''}
              tooltip={feedback.trim() === '' ? 'Write feedback first' : undefined}
              onClick={() => void decide('reject', true)}
            >
              Reject and re-run with feedback
            </Button>
          </div>
        </div>
      ) : null}
      {!open ? (
        <div style={{ marginTop: 16 }} role="status" aria-live="polite">
          {doc.status === 'approved' && !doc.error ? <p>Approved; applying the change…</p> : null}
          {doc.status === 'applied' ? (
            <p>
              Applied{doc.appliedAt ? ` at ${new Date(doc.appliedAt).toLocaleString()}` : ''}.
              {targetHref ? (
                <>
                  {' '}
                  <a href={targetHref}>Open the document</a>
                </>
              ) : null}
            </p>
          ) : null}
          {doc.status === 'rejected' ? <p>Rejected{doc.feedback ? ` with feedback: “${doc.feedback}”` : ''}.</p> : null}
          {expired || doc.status === 'expired' ? (
            <p>This proposal expired; run the agent again for a fresh one.</p>
          ) : null}
          {doc.error ? (
            <p style={{ color: 'var(--theme-error-600)' }}>Applying failed: {doc.error} (it is retried).</p>
          ) : null}
        </div>
      ) : null}
      {message ? (
        <p
          role={message.tone === 'error' ? 'alert' : 'status'}
          style={{ color: message.tone === 'error' ? 'var(--theme-error-600)' : undefined }}
        >
          {message.text} {message.href ? <a href={message.href}>Follow the new run →</a> : null}
        </p>
      ) : null}
    </section>
  )
}
