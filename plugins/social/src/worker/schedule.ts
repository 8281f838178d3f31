/**
 * Enqueueing publishes: one `social.publish-variant` job per scheduled variant, singleton key = variant
 * id, deferred to the variant's `scheduledAt`. The queue is `exclusive`, so enqueueing twice (approve
 * racing the sweep, two workers' sweeps) leaves one job. A reschedule replaces the queued job; a job that
 * was already running when its variant moved finds it not due and re-defers itself (publish.ts).
 */
import { randomUUID } from 'node:crypto'
import type { Payload, PayloadRequest } from 'payload'
import { PUBLISH_QUEUE } from '../constants.ts'
import { type Queryable, selectDueScheduled } from '../sql.ts'
import { socialQueueConfigOf } from './config.ts'
import { type PublishJob, poolOf, publishQueueOptions, socialBossOf } from './queue.ts'

export type { PublishVariantJob } from './queue.ts'

interface ScheduledRow {
  id: number
  status: string
  scheduledAt: Date | null
}

/** The request's open transaction (Payload keeps a Drizzle session per transaction holding the pg client). */
async function transactionClient(req: PayloadRequest | undefined): Promise<Queryable | undefined> {
  if (!req?.transactionID) return undefined
  const adapter = req.payload.db as unknown as { sessions?: Record<string, { db?: unknown }> }
  const tx = adapter.sessions?.[String(await req.transactionID)]?.db as { session?: { client?: Queryable } } | undefined
  const client = tx?.session?.client
  return typeof client?.query === 'function' ? client : undefined
}

async function scheduledRows(db: Queryable, ids: readonly (number | string)[]) {
  const { rows } = await db.query<ScheduledRow>(
    `SELECT id, status::text AS status, scheduled_at AS "scheduledAt" FROM social_variants WHERE id = ANY($1::int[])`,
    [ids.map(Number)],
  )
  return rows
}

/**
 * Enqueues the publish job of each variant that is `scheduled` (others are skipped), deferred to its
 * `scheduledAt`. A variant that already has a queued job for another time gets its job replaced; one
 * whose job is running keeps it. Returns how many jobs were added.
 */
export async function schedulePublish(
  payload: Payload,
  variantIds: readonly (number | string)[],
  options: { req?: PayloadRequest } = {},
): Promise<number> {
  if (!variantIds.length) return 0
  const boss = await socialBossOf(payload)
  const queueOptions = publishQueueOptions(socialQueueConfigOf(payload))
  // Inside the caller's transaction the variants it just scheduled are visible, and the jobs commit with them.
  const tx = await transactionClient(options.req)
  const sql = tx ?? poolOf(payload)
  const db = tx ? { db: { executeSql: (text: string, values?: unknown[]) => tx.query(text, values) } } : {}
  const rows = (await scheduledRows(sql, variantIds)).filter((row) => row.status === 'scheduled')
  if (!rows.length) return 0
  // Own job ids tell the inserted apart from those the exclusive policy skipped (a job already exists).
  const jobs = rows.map((row) => ({
    id: randomUUID(),
    data: { variant: row.id } satisfies PublishJob,
    singletonKey: String(row.id),
    startAfter: row.scheduledAt ?? new Date(),
    ...queueOptions,
  }))
  const inserted = new Set((await boss.insert(PUBLISH_QUEUE, jobs, { returnId: true, ...db })) ?? [])
  let added = inserted.size
  for (const job of jobs) {
    if (inserted.has(job.id)) continue
    // A job exists: keep it when it is running or due at the same time; replace a queued one for another time.
    const [existing] = await boss.findJobs(PUBLISH_QUEUE, { key: job.singletonKey, queued: true, ...db })
    if (!existing) continue
    const due = new Date(existing.startAfter).getTime()
    if (Math.abs(due - new Date(job.startAfter).getTime()) < 1000) continue
    await boss.deleteJob(PUBLISH_QUEUE, existing.id, db)
    if (await boss.send(PUBLISH_QUEUE, job.data, { ...job, id: randomUUID(), ...db })) added += 1
  }
  return added
}

/**
 * Removes the queued publish job of each variant (unscheduled, rescheduled, post deleted). A job that
 * is already running is left alone: it finds its variant no longer `scheduled`, or not yet due, and
 * posts nothing.
 */
export async function unschedulePublish(payload: Payload, variantIds: readonly (number | string)[]): Promise<number> {
  if (!variantIds.length) return 0
  const boss = await socialBossOf(payload)
  let removed = 0
  for (const id of variantIds) {
    const queued = await boss.findJobs(PUBLISH_QUEUE, { key: String(id), queued: true })
    if (!queued.length) continue
    await boss.deleteJob(
      PUBLISH_QUEUE,
      queued.map((job) => job.id),
    )
    removed += queued.length
  }
  return removed
}

/**
 * Enqueues scheduled variants due within `horizonSeconds` that have no job (one lost to a failed
 * enqueue, a recreated queue, a reschedule racing a running job). Existing jobs make it a no-op.
 */
export async function sweepScheduled(payload: Payload, horizonSeconds = 120, limit = 5000): Promise<number> {
  const due = await selectDueScheduled(poolOf(payload), new Date(Date.now() + horizonSeconds * 1000), limit)
  if (!due.length) return 0
  const boss = await socialBossOf(payload)
  const options = publishQueueOptions(socialQueueConfigOf(payload))
  const inserted = await boss.insert(
    PUBLISH_QUEUE,
    due.map((row) => ({
      data: { variant: row.id } satisfies PublishJob,
      singletonKey: String(row.id),
      startAfter: row.scheduledAt,
      ...options,
    })),
    { returnId: true },
  )
  return inserted?.length ?? 0
}
export { stopSocialBoss } from './queue.ts'
