/**
 * Writing entries: who, from where and in which request (read from `req`), turned into rows and written
 * with ONE insert on the request's open transaction — so an entry commits or rolls back with its change.
 * `recordAuditEvent` is the entry point for code outside the plugin (tenant export, import, deletion).
 */
import { randomUUID } from 'node:crypto'
import type { Payload, PayloadRequest } from 'payload'
import { z } from 'zod'
import { CONTEXT } from './constants.ts'
import { auditLogConfigOf } from './defaults.ts'
import { type AuditRow, insertEntries } from './sql.ts'
import type { AuditEvent, ResolvedAuditLogConfig } from './types.ts'

type Id = number | string

const idSchema = z.union([
  z.number().int().positive(),
  z
    .string()
    .regex(/^\d{1,18}$/)
    .transform(Number),
])
const fieldName = z.string().min(1).max(200)

/** The boundary check of `recordAuditEvent`: an action name, ids and field names — nothing that could be a value. */
export const auditEventSchema = z.object({
  action: z
    .string()
    .regex(/^[a-z][a-z0-9-]*(\.[a-z][a-z0-9-]*)*$/, 'action: lower-case words joined by dots, like "tenant.exported"')
    .max(100),
  collection: z.string().max(100).nullish(),
  documentId: z.union([z.number(), z.string().max(200)]).nullish(),
  tenant: idSchema.nullish(),
  changedFields: z.array(fieldName).max(500).optional(),
  details: z.record(z.string(), z.unknown()).nullish(),
  user: z.object({ id: idSchema.nullish(), email: z.string().max(254).nullish() }).nullish(),
})

/** Where a request came from and which request it was (one id per request, shared by its entries). */
export function requestOrigin(req: PayloadRequest | undefined, config: ResolvedAuditLogConfig) {
  const headers = req?.headers
  const header = (name: string) => headers?.get?.(name)?.trim() || undefined
  const forwarded = config.trustProxy
    ? (header('x-forwarded-for')?.split(',')[0]?.trim() ?? header('x-real-ip'))
    : undefined
  let requestId: string | undefined
  if (req) {
    if (!req.context) req.context = {}
    const context = req.context as Record<string, unknown>
    const given = header('x-request-id')
    requestId =
      (context[CONTEXT.requestId] as string | undefined) ??
      (given && /^[\w.:-]{1,128}$/.test(given) ? given : randomUUID())
    context[CONTEXT.requestId] = requestId
  }
  return {
    ip: forwarded?.slice(0, 64) ?? null,
    userAgent: header('user-agent')?.slice(0, 512) ?? null,
    requestId: requestId ?? null,
  }
}

const numericId = (id: Id | null | undefined): number | null => {
  if (id === null || id === undefined || id === '') return null
  const n = Number(id)
  return Number.isSafeInteger(n) ? n : null
}

/** The rows of `events` for `req` (the signed-in user of `userCollection` is "who", unless an event names one). */
export function rowsFor(
  req: PayloadRequest | undefined,
  events: readonly AuditEvent[],
  config: ResolvedAuditLogConfig,
): AuditRow[] {
  const origin = requestOrigin(req, config)
  const user = req?.user as { id?: Id; email?: string; collection?: string } | null | undefined
  const actor = user && (!user.collection || user.collection === config.userCollection) ? user : undefined
  return events.map((event) => ({
    action: event.action,
    collection_slug: event.collection ?? null,
    document_id: event.documentId === null || event.documentId === undefined ? null : String(event.documentId),
    tenant_id: numericId(event.tenant),
    user_id: numericId(event.user ? event.user.id : actor?.id),
    user_email: (event.user ? event.user.email : actor?.email) ?? null,
    changed_fields: [...new Set(event.changedFields ?? [])].sort(),
    details: event.details ?? null,
    ip: origin.ip,
    user_agent: origin.userAgent,
    request_id: origin.requestId,
  }))
}

interface DrizzleLike {
  execute(query: unknown): Promise<unknown>
}
interface PostgresAdapterLike {
  drizzle?: DrizzleLike
  sessions?: Record<string, { db?: DrizzleLike } | undefined>
}

/** The request's transaction (a Drizzle transaction the postgres adapter keeps per `transactionID`), or the pool. */
async function executorFor(payload: Payload, req: PayloadRequest | undefined): Promise<DrizzleLike> {
  const adapter = payload.db as unknown as PostgresAdapterLike
  if (!adapter.drizzle) throw new Error('@bizosaas/plugin-audit-log needs @payloadcms/db-postgres')
  const id = req?.transactionID ? String(await req.transactionID) : undefined
  return (id && adapter.sessions?.[id]?.db) || adapter.drizzle
}

/** Writes `events` as one INSERT in `req`'s transaction (or on its own when there is none). */
export async function writeEntries(
  payload: Payload,
  req: PayloadRequest | undefined,
  events: readonly AuditEvent[],
): Promise<void> {
  if (!events.length) return
  const config = auditLogConfigOf(payload)
  if (!config.enabled) return
  const db = await executorFor(payload, req)
  await db.execute(insertEntries(rowsFor(req, events, config)))
}

const isPayload = (source: PayloadRequest | Payload): source is Payload =>
  !('payload' in source && (source as PayloadRequest).payload) && 'collections' in source

/**
 * Records one or more events. Pass the request when there is one: the entry then takes its user, IP,
 * user agent and request id, and commits or rolls back with the request's transaction. With only
 * `payload` (a job, a script) the entry is written at once and carries no origin.
 *
 * @example await recordAuditEvent(req, { action: 'tenant.exported', tenant: 3, details: { documents: 1200 } })
 */
export async function recordAuditEvent(source: PayloadRequest | Payload, event: AuditEvent | AuditEvent[]) {
  const parsed = z.array(auditEventSchema).safeParse(Array.isArray(event) ? event : [event])
  if (!parsed.success)
    throw new Error(
      `recordAuditEvent: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`,
    )
  const payload = isPayload(source) ? source : source.payload
  const req = isPayload(source) ? undefined : source
  await writeEntries(payload, req, parsed.data as AuditEvent[])
}
