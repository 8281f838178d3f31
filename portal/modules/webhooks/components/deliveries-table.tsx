'use client'
import type { WebhookDelivery, WebhookEndpoint } from '@lib/data/webhooks'
import { redeliver, type WebhookResult } from '@modules/webhooks/actions'
import { useState, useTransition } from 'react'

/** The delivery log: newest first, with the last answer and, for finished ones, a redeliver button. */
export function DeliveriesTable({
  tenant,
  deliveries,
  endpoints,
  canChange,
}: {
  tenant: string
  deliveries: WebhookDelivery[]
  endpoints: WebhookEndpoint[]
  canChange: boolean
}) {
  const [result, setResult] = useState<WebhookResult>({})
  const [pending, start] = useTransition()
  const urlOf = new Map(endpoints.map((e) => [e.id, e.url]))
  if (!deliveries.length) return <p>No deliveries yet.</p>
  return (
    <>
      {result.message && (
        <p className="ok" role="status">
          {result.message}
        </p>
      )}
      {result.error && (
        <p className="error" role="alert">
          {result.error}
        </p>
      )}
      <table data-webhook-deliveries>
        <thead>
          <tr>
            <th>When</th>
            <th>Event</th>
            <th>Endpoint</th>
            <th>Status</th>
            <th>Attempts</th>
            <th>Last answer</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {deliveries.map((d) => (
            <tr key={d.id} data-webhook-delivery={d.id}>
              <td>{new Date(d.createdAt).toLocaleString()}</td>
              <td>
                {d.eventType}
                <div>
                  <small>
                    <code>{d.eventId}</code>
                  </small>
                </div>
              </td>
              <td>{d.endpoint ? <code>{urlOf.get(d.endpoint) ?? `#${d.endpoint}`}</code> : 'removed'}</td>
              <td className={d.status === 'failed' ? 'error' : d.status === 'succeeded' ? 'ok' : undefined}>
                {d.status}
                {d.status === 'retrying' && d.nextAttemptAt && (
                  <div>
                    <small>next by {new Date(d.nextAttemptAt).toLocaleString()}</small>
                  </div>
                )}
              </td>
              <td>{d.attempts}</td>
              <td>
                {d.responseStatus ?? '—'} {d.durationMs != null && <small>{d.durationMs} ms</small>}
                {d.error && <div className="error">{d.error}</div>}
                {d.responseBody && (
                  <details>
                    <summary>body</summary>
                    <pre>{d.responseBody}</pre>
                  </details>
                )}
              </td>
              <td>
                {canChange && (d.status === 'succeeded' || d.status === 'failed') && (
                  <button
                    type="button"
                    className="secondary"
                    disabled={pending}
                    onClick={() => start(async () => setResult(await redeliver(tenant, String(d.id))))}
                  >
                    Redeliver
                  </button>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  )
}
