/**
 * Platform operations inside a worker process: the heartbeat (heartbeat.ts) and the alerts job
 * (alerts.ts) on a pg-boss cron schedule `ops.alerts` every minute. `pnpm worker` starts them
 * (src/worker.ts); `pnpm dev`'s CMS starts them with its in-process worker (opsPlugin).
 */
import type { Query } from '@bizosaas/contracts/platform-state'
import type { Config, Payload, Plugin } from 'payload'
import { PgBoss } from 'pg-boss'
import cmsPackage from '../../package.json' with { type: 'json' }
import { checkAlerts, type PoolLike } from './alerts.ts'
import { type Heartbeat, startHeartbeat } from './heartbeat.ts'
import { readAlertSettings } from './settings.ts'

export const ALERTS_QUEUE = 'ops.alerts'
const EVERY_MINUTE = '* * * * *'

export interface Ops {
  heartbeat: Heartbeat
  stop(options?: { graceMs?: number }): Promise<void>
}

type PgPool = PoolLike & { query: Query; options?: { connectionString?: string } }

/** Payload's pg pool (the postgres adapter's). */
function poolOf(payload: Payload): PgPool {
  const pool = (payload.db as unknown as { pool?: PgPool }).pool
  if (!pool) throw new Error('ops: the Payload database adapter has no pg pool')
  return pool
}

function connectionString(payload: Payload): string {
  const url =
    (payload.db as unknown as { poolOptions?: { connectionString?: string } }).poolOptions?.connectionString ??
    process.env.DATABASE_URL
  if (!url) throw new Error('ops: no database URL for the alerts queue (set DATABASE_URL)')
  return url
}

/** Starts the heartbeat and the alerts job of this worker process. */
export async function startOps(
  payload: Payload,
  options: { kind: 'worker' | 'cms'; intervalMs?: number; pollingIntervalSeconds?: number },
): Promise<Ops> {
  const settings = readAlertSettings()
  const pool = poolOf(payload)
  const query: Query = (text, values) => pool.query(text, values)
  const heartbeat = await startHeartbeat(query, {
    kind: options.kind,
    version: cmsPackage.version,
    intervalMs: options.intervalMs,
    onError: (error) => payload.logger.error({ err: error }, 'heartbeat failed; retrying next interval'),
  })
  const boss = new PgBoss({ connectionString: connectionString(payload), application_name: 'bizosaas-ops', max: 2 })
  boss.on('error', (error: Error) => payload.logger.error({ err: error }, 'ops queue error'))
  await boss.start()
  // exclusive: one check queued or running at a time, however many workers the cron wakes.
  if (!(await boss.getQueue(ALERTS_QUEUE)))
    await boss
      .createQueue(ALERTS_QUEUE, { policy: 'exclusive', retryLimit: 0, expireInSeconds: 120 } as never)
      .catch(async (error: Error) => {
        if (!(await boss.getQueue(ALERTS_QUEUE))) throw error
      })
  await boss.schedule(ALERTS_QUEUE, EVERY_MINUTE, {}, { tz: 'UTC' })
  const poll = options.pollingIntervalSeconds ?? 30
  await boss.work(ALERTS_QUEUE, { pollingIntervalSeconds: poll }, async () => {
    const { conditions, notified } = await checkAlerts(pool, settings, payload.logger)
    if (notified.length) payload.logger.warn({ notified }, `alerts: ${notified.length} incident change(s) notified`)
    return { conditions: conditions.length, notified: notified.length }
  })
  return {
    heartbeat,
    async stop({ graceMs = 10_000 } = {}) {
      await boss.stop({ graceful: true, timeout: graceMs, close: true } as never)
      await heartbeat.stop().catch((error) => payload.logger.error({ err: error }, 'heartbeat: row not deleted'))
    },
  }
}

/**
 * Starts the heartbeat and alerts with the CMS's in-process worker (`AGENTS_WORKER=in-process`, as in
 * `pnpm dev`); stops them on SIGTERM/SIGINT. Does nothing otherwise.
 */
export function opsPlugin(options: { inProcess: boolean }): Plugin {
  return (config: Config): Config => {
    if (!options.inProcess) return config
    const previous = config.onInit
    return {
      ...config,
      onInit: async (payload) => {
        await previous?.(payload)
        const ops = await startOps(payload, { kind: 'cms' })
        const stop = () => void ops.stop({ graceMs: 5_000 })
        process.once('SIGTERM', stop)
        process.once('SIGINT', stop)
      },
    }
  }
}

export { type AlertCheck, checkAlerts, currentConditions } from './alerts.ts'
export { type Heartbeat, startHeartbeat } from './heartbeat.ts'
export { type IncidentNotice, SIGNATURE_HEADER, signBody } from './notify.ts'
export { type AlertSettings, readAlertSettings } from './settings.ts'
