/**
 * Dashboard widget (server component): the agents' queues for platform admins — queued, active,
 * retrying, failed and dead-lettered per queue — and, for tenant members, their tenants' runs by state.
 */
import type { Payload, TypedUser } from 'payload'
import type React from 'react'
import { agentsHealth } from '../store/health.ts'

const cell: React.CSSProperties = {
  padding: '6px 10px',
  borderBottom: '1px solid var(--theme-elevation-100)',
  textAlign: 'right',
  fontVariantNumeric: 'tabular-nums',
}
const first: React.CSSProperties = { ...cell, textAlign: 'left' }
const warn = (n: number): React.CSSProperties =>
  n > 0 ? { ...cell, color: 'var(--theme-error-600)', fontWeight: 600 } : cell

export async function QueueHealthWidget({
  payload,
  user,
}: {
  payload: Payload
  user?: TypedUser | null
}): Promise<React.ReactElement | null> {
  let health: Awaited<ReturnType<typeof agentsHealth>>
  try {
    health = await agentsHealth(payload, { user: (user ?? null) as never, payload })
  } catch (error) {
    payload.logger.error({ err: error }, 'agents: queue health failed')
    return (
      <section style={{ marginBottom: 32 }} data-queue-health="">
        <h3>Agent queues</h3>
        <p role="alert">Queue health is unavailable right now: {(error as Error).message}</p>
      </section>
    )
  }
  if (!health) return null
  const admin = payload.config.routes.admin
  if (health.scope === 'platform')
    return (
      <section style={{ marginBottom: 32 }} data-queue-health="platform">
        <h3 style={{ marginBottom: 8 }}>Agent queues</h3>
        <table style={{ width: '100%', borderCollapse: 'collapse' }}>
          <thead>
            <tr>
              {['Queue', 'Queued', 'Deferred', 'Active', 'Retrying', 'Failed', 'Dead-lettered'].map((h, i) => (
                <th key={h} style={i === 0 ? first : cell}>
                  {h}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {health.queues.map((q) => (
              <tr key={q.queue} data-queue={q.queue}>
                <td style={first}>{q.queue}</td>
                <td style={cell}>{q.queued}</td>
                <td style={cell}>{q.deferred}</td>
                <td style={cell}>{q.active}</td>
                <td style={cell}>{q.retrying}</td>
                <td style={warn(q.failed)}>{q.failed}</td>
                <td style={warn(q.deadLettered)}>{q.deadLetterQueue ? q.deadLettered : '–'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
    )
  return (
    <section style={{ marginBottom: 32 }} data-queue-health="tenant">
      <h3 style={{ marginBottom: 8 }}>Your agents</h3>
      <table style={{ width: '100%', borderCollapse: 'collapse' }}>
        <thead>
          <tr>
            {['Agent', 'Queued', 'Running', 'Awaiting approval', 'Failed (24 h)'].map((h, i) => (
              <th key={h} style={i === 0 ? first : cell}>
                {h}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {health.agents.map((a) => (
            <tr key={a.agent} data-agent={a.agent}>
              <td style={first}>{a.agent}</td>
              <td style={cell}>{a.queued}</td>
              <td style={cell}>{a.running}</td>
              <td style={cell}>
                {a.awaitingApproval > 0 ? (
                  <a
                    href={`${admin}/collections/approvals?where[agent][equals]=${a.agent}&where[status][equals]=pending`}
                  >
                    {a.awaitingApproval}
                  </a>
                ) : (
                  0
                )}
              </td>
              <td style={warn(a.failed24h)}>{a.failed24h}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  )
}
