/**
 * The production-mode CMS of the portal bench, in its own process (started by ./run.ts over IPC): our
 * Payload config (`cms/src/payload.config.ts`) with `NODE_ENV=production` on the dev stack's database,
 * served over node:http by `servePayloadRest` from cms/src/test/rest-server.ts — Payload's real REST route
 * handlers (`@payloadcms/next/routes`, the ones `app/(payload)/api/[...slug]/route.ts` exports), as
 * the portal e2e suite serves them. No agents worker here (AGENTS_WORKER=off): the dev stack's
 * in-process worker takes the jobs this process queues.
 *
 * IPC: sends `{ url }` when listening; on `{ record: true }` it starts recording the requests it
 * receives (arrival time, method and path; not those carrying the `x-bench` header the runner's own
 * setup and polling requests send) and on `{ record: false }` it answers `{ requests }`.
 *
 * It also owns the bench's data: `{ own: { tenant, user } }` names the bench tenant and user, and on
 * SIGTERM — or when the runner is gone (the IPC channel closes, e.g. tsx SIGKILLed it on Ctrl-C) — it
 * deletes them with the Local API (the tenant's documents first: deleting only the tenant would leave
 * them behind, tenant-less), sends `{ cleaned }` if it still can, and exits. Ctrl-C (SIGINT) it ignores.
 */
import { subscribe } from 'node:diagnostics_channel'
import type { IncomingMessage } from 'node:http'
import { servePayloadRest } from '@bizosaas/cms/test'
import { getPayload } from 'payload'

if (process.env.NODE_ENV !== 'production' || !process.send) {
  console.error('bench/portal/cms-server.ts is started by bench/portal/run.ts (NODE_ENV=production, with IPC)')
  process.exit(2)
}
const send = (message: unknown) => process.send?.(message)

/** Requests received while recording, with their arrival time (ms since the epoch, sub-millisecond). */
let recording: { at: number; request: string }[] | null = null
subscribe('http.server.request.start', (message) => {
  const req = (message as { request: IncomingMessage }).request
  if (recording && !req.headers['x-bench'])
    recording.push({ at: performance.timeOrigin + performance.now(), request: `${req.method} ${req.url}` })
})

const { default: config } = await import('@bizosaas/cms/payload-config')
const sanitized = await config
// Initialise Payload before the first request (in production it also applies pending committed migrations).
const payload = await getPayload({ config: sanitized })
const server = await servePayloadRest(sanitized)

/** The bench tenant and user, deleted when this process stops. */
const owned: { tenant?: number; user?: number } = {}
const TENANT_COLLECTIONS = ['approvals', 'agent-steps', 'agent-runs', 'agent-settings', 'posts'] as const

async function deleteOwned(): Promise<string> {
  if (owned.tenant === undefined) return 'no bench data'
  const done: string[] = []
  const where = { tenant: { equals: owned.tenant } }
  for (const collection of TENANT_COLLECTIONS) {
    const result = await payload.delete({ collection, where, overrideAccess: true, depth: 0 })
    done.push(`${result.docs.length} ${collection}${result.errors.length ? ` (${result.errors.length} failed)` : ''}`)
  }
  if (owned.user !== undefined) await payload.delete({ collection: 'users', id: owned.user, overrideAccess: true })
  await payload.delete({ collection: 'tenants', id: owned.tenant, overrideAccess: true })
  return `deleted tenant ${owned.tenant}${owned.user === undefined ? '' : ` and user ${owned.user}`}, ${done.join(', ')}`
}

process.on('message', (message: { record?: boolean; own?: typeof owned }) => {
  if (message.own) Object.assign(owned, message.own)
  if (message.record === true) {
    recording = []
    send({ recording: true })
  } else if (message.record === false) {
    send({ requests: recording ?? [] })
    recording = null
  }
})

let stopping = false
async function stop() {
  if (stopping) return
  stopping = true
  await server.close()
  const cleaned = await deleteOwned().catch((error: Error) => `cleanup failed: ${error.message}`)
  if (process.connected) send({ cleaned })
  else console.error(`bench/portal cms-server: ${cleaned}`)
  await payload.destroy().catch(() => {})
  process.exit(0)
}
process.on('SIGTERM', () => void stop())
// Ctrl-C reaches the whole process group: keep serving until the runner has cleaned up through this CMS
// (it then sends SIGTERM); should the runner die instead, the IPC channel closes.
process.on('SIGINT', () => {})
process.on('disconnect', () => void stop())
send({ url: server.url })
