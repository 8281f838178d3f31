/**
 * Dashboard widget (server component): the commerce sync's failures with their reasons — products whose
 * sync gave up, tenants whose Medusa link failed — and, for platform admins, the bridge's queues.
 * Renders nothing when all is well for a tenant member.
 */
import type { Payload, TypedUser } from 'payload'
import type React from 'react'
import { bridgeHealth } from '../health.ts'

const cell: React.CSSProperties = {
  padding: '6px 10px',
  borderBottom: '1px solid var(--theme-elevation-100)',
  textAlign: 'left',
  verticalAlign: 'top',
}
const num: React.CSSProperties = { ...cell, textAlign: 'right', fontVariantNumeric: 'tabular-nums' }
const warn = (n: number): React.CSSProperties =>
  n > 0 ? { ...num, color: 'var(--theme-error-600)', fontWeight: 600 } : num

export async function CommerceSyncWidget({
  payload,
  user,
}: {
  payload: Payload
  user?: TypedUser | null
}): Promise<React.ReactElement | null> {
  let health: Awaited<ReturnType<typeof bridgeHealth>>
  try {
    health = await bridgeHealth(payload, { user: (user ?? null) as never })
  } catch (error) {
    payload.logger.error({ err: error }, 'medusa: sync health failed')
    return (
      <section style={{ marginBottom: 32 }} data-commerce-sync="">
        <h3>Commerce sync</h3>
        <p role="alert">The commerce sync status is unavailable right now: {(error as Error).message}</p>
      </section>
    )
  }
  if (!health || (health.scope === 'tenant' && !health.failures.length)) return null
  const admin = payload.config.routes.admin
  return (
    <section style={{ marginBottom: 32 }} data-commerce-sync={health.scope}>
      <h3 style={{ marginBottom: 8 }}>Commerce sync</h3>
      {!health.configured && (
        <p role="alert">
          Medusa is not configured: set MEDUSA_API_KEY (a secret API key of a Medusa admin) and MEDUSA_URL (
          {health.medusaUrl}).
        </p>
      )}
      {health.queues.length > 0 && (
        <table style={{ width: '100%', borderCollapse: 'collapse', marginBottom: 12 }}>
          <thead>
            <tr>
              {['Queue', 'Queued', 'Active', 'Failed', 'Dead-lettered'].map((h, i) => (
                <th key={h} style={i === 0 ? cell : num}>
                  {h}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {health.queues.map((q) => (
              <tr key={q.queue} data-queue={q.queue}>
                <td style={cell}>{q.queue}</td>
                <td style={num}>{q.queued}</td>
                <td style={num}>{q.active}</td>
                <td style={warn(q.failed)}>{q.failed}</td>
                <td style={warn(q.deadLettered)}>{q.deadLettered}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {health.failures.length > 0 && (
        <table style={{ width: '100%', borderCollapse: 'collapse' }} data-sync-failures="">
          <thead>
            <tr>
              {['Failed', 'Reason', 'When'].map((h) => (
                <th key={h} style={cell}>
                  {h}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {health.failures.map((f) => (
              <tr key={`${f.kind}:${f.subject}`} data-failure={f.kind}>
                <td style={cell}>
                  {f.kind === 'product' ? 'Product ' : 'Tenant link '}
                  {f.doc ? (
                    <a href={`${admin}/collections/${f.doc.collection}/${f.doc.id}`}>{f.title ?? f.subject}</a>
                  ) : (
                    <code>{f.subject}</code>
                  )}
                </td>
                <td style={{ ...cell, color: 'var(--theme-error-600)' }}>{f.reason}</td>
                <td style={cell}>{f.at ? new Date(f.at).toLocaleString() : '–'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {health.failures.length === 0 && <p>No failures.</p>}
    </section>
  )
}
