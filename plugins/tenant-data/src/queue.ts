/**
 * The deletion queue (`tenant-data.delete`) on pg-boss, one instance per Payload process. One job per
 * tenant at a time (policy `exclusive`, key = tenant id). The worker heartbeats; a worker killed mid-way
 * stops heartbeating, pg-boss fails the job after `heartbeatSeconds` and retries it, and the retry
 * resumes from the progress recorded on the job's `tenant-data-jobs` row (see ./deletion.ts).
 */
import type { Payload } from 'payload'
import { PgBoss } from 'pg-boss'
import { DELETE_QUEUE } from './constants.ts'
import { tenantDataConfigOf } from './defaults.ts'

export interface DeleteJobData {
  /** The `tenant-data-jobs` row that records the deletion. */
  job: number | string
  /** The tenant being deleted, as text. */
  tenant: string
}

const bosses = new WeakMap<Payload, Promise<PgBoss>>()

function connectionString(payload: Payload): string {
  const config = tenantDataConfigOf(payload)
  const fromAdapter = (payload.db as unknown as { poolOptions?: { connectionString?: string } }).poolOptions
    ?.connectionString
  const url = config.queue.connectionString ?? fromAdapter ?? process.env.DATABASE_URL
  if (!url) throw new Error('@bizosaas/plugin-tenant-data: no database URL for the queue')
  return url
}

/** This Payload's pg-boss for deletions, started (and the queue made) on first use. */
export function tenantDataBossOf(payload: Payload): Promise<PgBoss> {
  let boss = bosses.get(payload)
  if (!boss) {
    const { queue } = tenantDataConfigOf(payload)
    boss = (async () => {
      const instance = new PgBoss({
        connectionString: connectionString(payload),
        schema: queue.schema,
        application_name: 'bizosaas-tenant-data',
        superviseIntervalSeconds: queue.superviseIntervalSeconds,
        monitorIntervalSeconds: queue.superviseIntervalSeconds,
        max: 3,
      } as ConstructorParameters<typeof PgBoss>[0])
      instance.on('error', (error: Error) => payload.logger.error({ err: error }, 'tenant-data queue error'))
      await instance.start()
      const options = {
        retryLimit: queue.retryLimit,
        retryDelay: queue.retryDelaySeconds,
        expireInSeconds: queue.expireInSeconds,
        heartbeatSeconds: queue.heartbeatSeconds,
      }
      if (await instance.getQueue(DELETE_QUEUE)) await instance.updateQueue(DELETE_QUEUE, options as never)
      else
        await instance.createQueue(DELETE_QUEUE, { ...options, policy: 'exclusive' } as never).catch(async (error) => {
          if (!(await instance.getQueue(DELETE_QUEUE))) throw error
        })
      return instance
    })()
    bosses.set(payload, boss)
    boss.catch(() => bosses.delete(payload))
  }
  return boss
}

/** Stops this Payload's deletion pg-boss if it was started (a running deletion finishes within `graceMs`). */
export async function stopTenantDataBoss(payload: Payload, graceMs = 10_000): Promise<void> {
  const boss = bosses.get(payload)
  if (!boss) return
  bosses.delete(payload)
  await (await boss.catch(() => undefined))?.stop({ graceful: true, timeout: graceMs, close: true } as never)
}
