/**
 * Retention: a pg-boss cron schedule (on the agents' `pgboss` schema, like the Medusa bridge) sends to
 * `audit-log.prune` daily; the worker deletes entries older than `retentionDays` in batches. `pnpm worker`
 * starts it; `pnpm dev` runs it in the CMS process (`worker.inProcess`).
 */
import type { Payload } from 'payload'
import { PgBoss } from 'pg-boss'
import { PRUNE_QUEUE } from './constants.ts'
import { auditLogConfigOf } from './defaults.ts'
import { pruneBatch } from './sql.ts'

const BATCH = 5_000
const bosses = new WeakMap<Payload, Promise<PgBoss>>()

export interface AuditPruneWorker {
  stop(options?: { graceMs?: number }): Promise<void>
}

function connectionString(payload: Payload): string {
  const config = auditLogConfigOf(payload)
  const fromAdapter = (payload.db as unknown as { poolOptions?: { connectionString?: string } }).poolOptions
    ?.connectionString
  const url = config.queueConnectionString ?? fromAdapter ?? process.env.DATABASE_URL
  if (!url)
    throw new Error(
      '@bizosaas/plugin-audit-log: no database URL for the queue (set queueConnectionString or DATABASE_URL)',
    )
  return url
}

/** This Payload's pg-boss for the prune queue, started (queue created) on first use. */
function pruneBossOf(payload: Payload): Promise<PgBoss> {
  let boss = bosses.get(payload)
  if (!boss) {
    const config = auditLogConfigOf(payload)
    boss = (async () => {
      const instance = new PgBoss({
        connectionString: connectionString(payload),
        schema: config.queueSchema,
        application_name: 'bizosaas-audit-log',
        // A send (the cron's, or enqueueAuditPrune) wakes the worker at once instead of at its next poll.
        useListenNotify: true,
        max: 2,
      } as ConstructorParameters<typeof PgBoss>[0])
      instance.on('error', (error: Error) => payload.logger.error({ err: error }, 'audit-log queue error'))
      await instance.start()
      // exclusive: one prune queued or running at a time, however many workers schedule it.
      if (!(await instance.getQueue(PRUNE_QUEUE)))
        await instance
          .createQueue(PRUNE_QUEUE, {
            policy: 'exclusive',
            retryLimit: 3,
            retryDelay: 60,
            expireInSeconds: 900,
          } as never)
          .catch(async (error: Error) => {
            if (!(await instance.getQueue(PRUNE_QUEUE))) throw error
          })
      return instance
    })()
    bosses.set(payload, boss)
    boss.catch(() => bosses.delete(payload))
  }
  return boss
}

/** Deletes entries older than `retentionDays` (or `olderThanDays`); returns how many were deleted. */
export async function pruneAuditLog(payload: Payload, options: { olderThanDays?: number; now?: Date } = {}) {
  const days = options.olderThanDays ?? auditLogConfigOf(payload).retentionDays
  const cutoff = new Date((options.now ?? new Date()).getTime() - days * 86_400_000)
  const db = (payload.db as unknown as { drizzle: { execute(q: unknown): Promise<{ rowCount?: number | null }> } })
    .drizzle
  let deleted = 0
  for (;;) {
    const { rowCount } = await db.execute(pruneBatch(cutoff, BATCH))
    deleted += rowCount ?? 0
    if ((rowCount ?? 0) < BATCH) return { deleted, cutoff }
  }
}

/** Schedules the daily prune (idempotent: one schedule, updated to the current cron) and works the queue. */
export async function startAuditPrune(
  payload: Payload,
  options: { pollingIntervalSeconds?: number } = {},
): Promise<AuditPruneWorker> {
  const config = auditLogConfigOf(payload)
  const boss = await pruneBossOf(payload)
  await boss.schedule(PRUNE_QUEUE, config.pruneCron, {}, { tz: 'UTC' })
  // A daily job: NOTIFY wakes the worker; the poll is only the backstop (retries are found by polling).
  const poll = options.pollingIntervalSeconds ?? 30
  await boss.work(PRUNE_QUEUE, { pollingIntervalSeconds: poll, notifyPollingIntervalSeconds: poll }, async () => {
    const { deleted, cutoff } = await pruneAuditLog(payload)
    payload.logger.info(`audit-log: pruned ${deleted} entries created before ${cutoff.toISOString()}`)
    return { deleted }
  })
  return {
    async stop({ graceMs = 10_000 } = {}) {
      const started = bosses.get(payload)
      if (!started) return
      bosses.delete(payload)
      await (await started.catch(() => undefined))?.stop({ graceful: true, timeout: graceMs, close: true } as never)
    },
  }
}

/** Sends a prune job now (what the cron does daily); returns the job id, or null if one is already queued. */
export async function enqueueAuditPrune(payload: Payload): Promise<string | null> {
  return (await pruneBossOf(payload)).send(PRUNE_QUEUE, {})
}
