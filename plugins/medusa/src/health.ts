/**
 * How the bridge is doing: its queues (platform admins) and what failed, with the reason — products
 * whose sync gave up and tenants whose link failed — so the admin shows failures, not silence.
 */
import { countLiveJobs, JOB_STATE } from '@bizosaas/agents/queue'
import type { Payload, PayloadRequest } from 'payload'
import { medusaApiKey, medusaConfigOf } from './client.ts'
import { PRODUCT_CONTENT, PRODUCT_SYNC_DLQ, PRODUCT_SYNC_QUEUE } from './constants.ts'
import { recentFailedJobs } from './sql.ts'
import { bridgeBossOf } from './sync/queue.ts'

type Id = number | string

export interface BridgeQueueHealth {
  queue: string
  queued: number
  active: number
  failed: number
  deadLettered: number
}

export interface BridgeFailure {
  kind: 'product' | 'tenant'
  /** Medusa product id or tenant slug. */
  subject: string
  title?: string
  reason: string
  at: string | null
  /** The Payload document to open, when there is one. */
  doc?: { collection: string; id: Id }
}

export interface BridgeHealth {
  scope: 'platform' | 'tenant'
  configured: boolean
  medusaUrl: string
  queues: BridgeQueueHealth[]
  failures: BridgeFailure[]
}

const isSuperAdmin = (user: unknown) => (user as { roles?: string[] } | null)?.roles?.includes('super-admin') === true

/** Bridge health for the request's user: everything for platform admins, their tenants' failures otherwise. */
export async function bridgeHealth(payload: Payload, req: Pick<PayloadRequest, 'user'>): Promise<BridgeHealth | null> {
  if (!req.user) return null
  const config = medusaConfigOf(payload)
  const platform = isSuperAdmin(req.user)
  const failures: BridgeFailure[] = []

  // Read with the user's access, so the multi-tenant scope applies.
  const failed = await payload.find({
    collection: PRODUCT_CONTENT as never,
    where: { 'sync.state': { equals: 'failed' } },
    limit: 20,
    depth: 0,
    overrideAccess: false,
    user: req.user,
  })
  for (const doc of failed.docs as unknown as {
    id: Id
    title: string
    medusaProductId: string
    sync?: { error?: string; syncedAt?: string }
  }[])
    failures.push({
      kind: 'product',
      subject: doc.medusaProductId,
      title: doc.title,
      reason: doc.sync?.error ?? 'unknown',
      at: doc.sync?.syncedAt ?? null,
      doc: { collection: PRODUCT_CONTENT, id: doc.id },
    })
  const tenants = await payload.find({
    collection: 'tenants' as never,
    where: { 'commerce.linkError': { exists: true } },
    limit: 20,
    depth: 0,
    overrideAccess: false,
    user: req.user,
  })
  for (const tenant of tenants.docs as unknown as {
    id: Id
    slug: string
    name: string
    commerce?: { linkError?: string }
  }[])
    if (tenant.commerce?.linkError)
      failures.push({
        kind: 'tenant',
        subject: tenant.slug,
        title: tenant.name,
        reason: tenant.commerce.linkError,
        at: null,
        doc: { collection: 'tenants', id: tenant.id },
      })

  if (!platform)
    return { scope: 'tenant', configured: Boolean(medusaApiKey(config)), medusaUrl: config.url, queues: [], failures }

  const boss = await bridgeBossOf(payload)
  // Live counts (pg-boss's own queue stats lag behind by a monitoring interval).
  const { rows: counts } = await boss
    .getDb()
    .executeSql(countLiveJobs(config.queueSchema), [[PRODUCT_SYNC_QUEUE, PRODUCT_SYNC_DLQ]])
  const count = (name: string, states: string[]) =>
    (counts as { name: string; state: string; count: number }[])
      .filter((row) => row.name === name && states.includes(row.state))
      .reduce((sum, row) => sum + Number(row.count), 0)
  const queues: BridgeQueueHealth[] = [
    {
      queue: PRODUCT_SYNC_QUEUE,
      queued: count(PRODUCT_SYNC_QUEUE, [JOB_STATE.created, JOB_STATE.retry]),
      active: count(PRODUCT_SYNC_QUEUE, [JOB_STATE.active]),
      failed: count(PRODUCT_SYNC_QUEUE, [JOB_STATE.failed]),
      deadLettered: count(PRODUCT_SYNC_DLQ, [JOB_STATE.created, JOB_STATE.retry, JOB_STATE.active]),
    },
  ]
  // Products that never got a document (created while Medusa or the CMS was failing): the failed jobs.
  const { rows } = await boss.getDb().executeSql(recentFailedJobs(config.queueSchema), [PRODUCT_SYNC_QUEUE, 20])
  for (const row of rows as {
    data: { productId?: string }
    output: { message?: string } | null
    completed_on: Date | null
  }[]) {
    const subject = row.data?.productId ?? '?'
    if (failures.some((f) => f.kind === 'product' && f.subject === subject)) continue
    failures.push({
      kind: 'product',
      subject,
      reason: row.output?.message ?? 'failed',
      at: row.completed_on ? new Date(row.completed_on).toISOString() : null,
    })
  }
  return { scope: 'platform', configured: Boolean(medusaApiKey(config)), medusaUrl: config.url, queues, failures }
}
