/**
 * The social queues on pg-boss (the agents' `pgboss` schema, one instance per Payload):
 * `social.publish-variant` and `social.collect-metrics`, both `exclusive` — the only policy that keeps
 * one job per singleton key across queued, active and retrying (a second enqueue is a no-op), which is
 * what "one publish job per variant" needs. NOTIFY wakes workers for new jobs; jobs deferred to the
 * scheduled minute are found by polling (≤ 0.5 s), so the scheduled minute to API call stays under 1 s.
 */
import type { Payload } from 'payload'
import { type Db, PgBoss } from 'pg-boss'
import { METRICS_QUEUE, PUBLISH_QUEUE } from '../constants.ts'
import type { Queryable } from '../sql.ts'
import { publishExpireSeconds, type ResolvedSocialQueueConfig, socialQueueConfigOf } from './config.ts'

const bosses = new WeakMap<Payload, Promise<PgBoss>>()

export interface PublishJob {
  variant: number | string
}
/** The publish job's data (the name posts.ts knows it by). */
export type PublishVariantJob = PublishJob
export interface MetricsJob {
  variant: number | string
  window: '1d' | '7d'
}

interface PgPool extends Queryable {
  connect(): Promise<Queryable & { release(error?: Error | boolean): void }>
}

/** Payload's pg pool (the postgres adapter's): the publisher's SQL and its queue transactions use it. */
export function poolOf(payload: Payload): PgPool {
  const pool = (payload.db as unknown as { pool?: PgPool }).pool
  if (!pool) throw new Error('@bizosaas/plugin-social needs the postgres adapter (no pg pool found)')
  return pool
}

function connectionString(payload: Payload): string {
  const url =
    (payload.db as unknown as { poolOptions?: { connectionString?: string } }).poolOptions?.connectionString ??
    process.env.DATABASE_URL
  if (!url) throw new Error('@bizosaas/plugin-social: no database URL for the social queues (set DATABASE_URL)')
  return url
}

export function publishQueueOptions(config: ResolvedSocialQueueConfig) {
  return {
    // The handler settles nearly everything itself; a throw is an outage (database, bug): retried.
    retryLimit: 20,
    retryDelay: 5,
    retryBackoff: true,
    retryDelayMax: 300,
    expireInSeconds: publishExpireSeconds(config),
  }
}

export function metricsQueueOptions(config: ResolvedSocialQueueConfig) {
  return {
    retryLimit: config.metricsRetryLimit,
    retryDelay: config.metricsRetryDelaySeconds,
    retryBackoff: true,
    expireInSeconds: Math.ceil(config.publishTimeoutMs / 1000) * 2 + 10,
  }
}

/** Creates the queue as `exclusive`, or updates its options; a queue made with another policy is remade. */
async function ensureQueue(payload: Payload, boss: PgBoss, name: string, options: Record<string, unknown>) {
  const existing = await boss.getQueue(name)
  if (existing && existing.policy !== 'exclusive') {
    // pg-boss cannot change a policy; the variants are the source of truth and the sweep re-enqueues them.
    payload.logger.warn(`social: queue ${name} had policy "${existing.policy}"; recreating it as exclusive`)
    await boss.deleteQueue(name)
  } else if (existing) {
    await boss.updateQueue(name, { ...options, notify: true } as never).catch(() => {})
    return
  }
  await boss.createQueue(name, { policy: 'exclusive', notify: true, ...options } as never).catch(async (error) => {
    if (!(await boss.getQueue(name))) throw error
  })
}

/** This Payload's pg-boss for the social queues, started on first use. */
export function socialBossOf(payload: Payload): Promise<PgBoss> {
  let boss = bosses.get(payload)
  if (!boss) {
    const config = socialQueueConfigOf(payload)
    boss = (async () => {
      const instance = new PgBoss({
        connectionString: connectionString(payload),
        schema: config.queueSchema,
        application_name: 'bizosaas-social',
        useListenNotify: true,
        max: 4,
        ...(config.superviseIntervalSeconds ? { superviseIntervalSeconds: config.superviseIntervalSeconds } : {}),
      } as ConstructorParameters<typeof PgBoss>[0])
      instance.on('error', (error: Error) => payload.logger.error({ err: error }, 'social queue error'))
      await instance.start()
      await ensureQueue(payload, instance, PUBLISH_QUEUE, publishQueueOptions(config))
      await ensureQueue(payload, instance, METRICS_QUEUE, metricsQueueOptions(config))
      return instance
    })()
    bosses.set(payload, boss)
    boss.catch(() => bosses.delete(payload))
  }
  return boss
}

/** Stops this Payload's social pg-boss (workers finish in-flight jobs for up to `graceMs`). */
export async function stopSocialBoss(payload: Payload, graceMs = 10_000): Promise<void> {
  const started = bosses.get(payload)
  if (!started) return
  bosses.delete(payload)
  await (await started.catch(() => undefined))?.stop({ graceful: true, timeout: graceMs, close: true } as never)
}

/** Runs `work` in a transaction of Payload's pool, with a pg-boss `db` on the same client. */
export async function inTransaction<T>(payload: Payload, work: (db: Db, sql: Queryable) => Promise<T>): Promise<T> {
  const client = await poolOf(payload).connect()
  try {
    await client.query('BEGIN')
    const result = await work({ executeSql: (text, values) => client.query(text, values) }, client)
    await client.query('COMMIT')
    return result
  } catch (error) {
    await client.query('ROLLBACK').catch(() => {})
    throw error
  } finally {
    client.release()
  }
}
