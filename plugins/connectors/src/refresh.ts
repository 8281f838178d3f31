/**
 * The refresh cron: a pg-boss schedule sends `connectors.refresh-tokens` every minute (on the agents'
 * `pgboss` schema, like the audit log's prune); the worker refreshes every connection whose token
 * expires within the margin, each under its advisory lock (`freshTokens`). An outage fails the job so
 * pg-boss retries it with backoff. `pnpm worker` starts it; `pnpm dev` runs it in the CMS (`worker.inProcess`).
 */
import type { Payload } from 'payload'
import { PgBoss } from 'pg-boss'
import { freshTokens, poolOf } from './connections.ts'
import { REFRESH_QUEUE } from './constants.ts'
import { connectorsConfigOf } from './defaults.ts'
import { ConnectionError } from './define.ts'
import { selectDueForRefresh } from './sql.ts'

const EVERY_MINUTE = '* * * * *'
const bosses = new WeakMap<Payload, Promise<PgBoss>>()

export interface ConnectorsWorker {
  stop(options?: { graceMs?: number }): Promise<void>
}

export interface RefreshReport {
  due: number
  refreshed: number
  /** Flipped to needs-reconnect or error (final until a person acts). */
  failed: number
  /** The provider was unavailable: retried by pg-boss. */
  unavailable: number
}

/** Refreshes every connection whose token expires within the margin; one at a time, each under its lock. */
export async function refreshDueConnections(payload: Payload): Promise<RefreshReport> {
  const config = connectorsConfigOf(payload)
  const ids = await selectDueForRefresh(poolOf(payload), config.refreshMarginSeconds)
  const report: RefreshReport = { due: ids.length, refreshed: 0, failed: 0, unavailable: 0 }
  for (const id of ids) {
    try {
      await freshTokens(payload, id, { strict: true })
      report.refreshed++
    } catch (error) {
      if (error instanceof ConnectionError && error.code === 'unavailable') report.unavailable++
      else report.failed++
    }
  }
  return report
}

function connectionString(payload: Payload): string {
  const url =
    (payload.db as unknown as { poolOptions?: { connectionString?: string } }).poolOptions?.connectionString ??
    process.env.DATABASE_URL
  if (!url) throw new Error('@bizosaas/plugin-connectors: no database URL for the refresh queue (set DATABASE_URL)')
  return url
}

function bossOf(payload: Payload): Promise<PgBoss> {
  let boss = bosses.get(payload)
  if (!boss) {
    boss = (async () => {
      const instance = new PgBoss({
        connectionString: connectionString(payload),
        schema: connectorsConfigOf(payload).queueSchema,
        application_name: 'bizosaas-connectors',
        useListenNotify: true,
        max: 2,
      } as ConstructorParameters<typeof PgBoss>[0])
      instance.on('error', (error: Error) => payload.logger.error({ err: error }, 'connectors queue error'))
      await instance.start()
      // exclusive: one refresh pass queued or running at a time, however many workers the cron wakes;
      // an outage fails the pass and pg-boss retries it with backoff.
      if (!(await instance.getQueue(REFRESH_QUEUE)))
        await instance
          .createQueue(REFRESH_QUEUE, {
            policy: 'exclusive',
            retryLimit: 4,
            retryDelay: 15,
            retryBackoff: true,
            expireInSeconds: 300,
          } as never)
          .catch(async (error: Error) => {
            if (!(await instance.getQueue(REFRESH_QUEUE))) throw error
          })
      return instance
    })()
    bosses.set(payload, boss)
    boss.catch(() => bosses.delete(payload))
  }
  return boss
}

/** Schedules the every-minute refresh pass and works its queue in this process. */
export async function startConnectorsWorker(
  payload: Payload,
  options: { pollingIntervalSeconds?: number } = {},
): Promise<ConnectorsWorker> {
  const boss = await bossOf(payload)
  await boss.schedule(REFRESH_QUEUE, EVERY_MINUTE, {}, { tz: 'UTC' })
  const poll = options.pollingIntervalSeconds ?? 10
  await boss.work(REFRESH_QUEUE, { pollingIntervalSeconds: poll }, async () => {
    const report = await refreshDueConnections(payload)
    if (report.due)
      payload.logger.info(report, `connectors: refreshed ${report.refreshed} of ${report.due} connection(s)`)
    if (report.unavailable)
      throw new Error(
        `${report.unavailable} connection(s) could not be refreshed: the provider was unavailable; retrying`,
      )
    return report
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

/** Sends a refresh pass now (what the cron does every minute); the job id, or null when one is already queued. */
export async function enqueueTokenRefresh(payload: Payload): Promise<string | null> {
  return (await bossOf(payload)).send(REFRESH_QUEUE, {})
}
