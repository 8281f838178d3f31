/**
 * The bridge's pg-boss: one instance per Payload process, on the CMS database (the agents' schema).
 * Medusa's subscribers send to PRODUCT_SYNC_QUEUE and ORDER_PLACED_QUEUE; the bridge worker works them.
 */

import type { ProductSyncJob } from '@bizosaas/contracts/product-sync'
import { logContext } from '@bizosaas/observability/logger'
import type { Payload } from 'payload'
import { PgBoss } from 'pg-boss'
import { medusaConfigOf } from '../client.ts'
import { ORDER_PLACED_DLQ, ORDER_PLACED_QUEUE, PRODUCT_SYNC_DLQ, PRODUCT_SYNC_QUEUE } from '../constants.ts'
import type { ResolvedMedusaConfig } from '../types.ts'

/** The job Medusa sends (the contract with commerce/, defined once in @bizosaas/contracts). */
export type { ProductSyncJob }

const bosses = new WeakMap<Payload, Promise<PgBoss>>()

/** The connection string pg-boss uses: the plugin option, or the database Payload uses. */
export function bridgeConnectionString(payload: Payload, config: ResolvedMedusaConfig): string {
  const fromAdapter = (payload.db as unknown as { poolOptions?: { connectionString?: string } }).poolOptions
    ?.connectionString
  const url = config.queueConnectionString ?? fromAdapter ?? process.env.DATABASE_URL
  if (!url)
    throw new Error(
      '@bizosaas/plugin-medusa: no database URL for the queue (set queueConnectionString or DATABASE_URL)',
    )
  return url
}

/** Queue settings: a burst of events for one product coalesces (one queued + one active per product). */
export function queueDefinitions(config: ResolvedMedusaConfig) {
  const retry = {
    retryLimit: config.retry.limit,
    retryDelay: config.retry.delaySeconds,
    retryBackoff: true,
    expireInSeconds: 120,
  }
  return [
    { name: PRODUCT_SYNC_DLQ, options: { policy: 'standard' as const } },
    {
      name: PRODUCT_SYNC_QUEUE,
      // notify: a send also NOTIFYs, so an idle worker picks the job up at once instead of at its next poll.
      options: { ...retry, policy: 'stately' as const, deadLetter: PRODUCT_SYNC_DLQ, notify: true },
    },
    { name: ORDER_PLACED_DLQ, options: { policy: 'standard' as const } },
    {
      name: ORDER_PLACED_QUEUE,
      // Stately per order id: one job for an order waits, and one runs at a time (no two deliveries race).
      options: { ...retry, policy: 'stately' as const, deadLetter: ORDER_PLACED_DLQ, notify: true },
    },
  ]
}

/** This Payload's bridge pg-boss, started (and its queues created) on first use. */
export function bridgeBossOf(payload: Payload): Promise<PgBoss> {
  let boss = bosses.get(payload)
  if (!boss) {
    const config = medusaConfigOf(payload)
    boss = (async () => {
      const instance = new PgBoss({
        connectionString: bridgeConnectionString(payload, config),
        schema: config.queueSchema,
        application_name: 'bizosaas-medusa-bridge',
        useListenNotify: true,
        max: 4,
      } as ConstructorParameters<typeof PgBoss>[0])
      instance.on('error', (error: Error) => payload.logger.error({ err: error }, 'medusa bridge queue error'))
      await instance.start()
      for (const { name, options } of queueDefinitions(config)) {
        // Medusa's subscriber may have made the queue first; the policy is fixed at creation.
        const { policy: _policy, ...updatable } = options
        if (await instance.getQueue(name)) {
          // pg-boss refuses an update with nothing in it (the dead-letter queue has only its policy).
          if (Object.keys(updatable).length) await instance.updateQueue(name, updatable as never)
        } else
          await instance.createQueue(name, options as never).catch(async (error: Error) => {
            if (!(await instance.getQueue(name))) throw error
          })
      }
      return instance
    })()
    bosses.set(payload, boss)
    boss.catch(() => bosses.delete(payload))
  }
  return boss
}

/** Stops this Payload's bridge pg-boss if it was started (workers finish within `graceMs`). */
export async function stopBridgeBoss(payload: Payload, graceMs = 10_000): Promise<void> {
  const boss = bosses.get(payload)
  if (!boss) return
  bosses.delete(payload)
  await (await boss.catch(() => undefined))?.stop({ graceful: true, timeout: graceMs, close: true } as never)
}

/** Queues a sync of one product (coalesced with others queued for it). */
export async function enqueueProductSync(payload: Payload, job: ProductSyncJob): Promise<string | null> {
  const boss = await bridgeBossOf(payload)
  // Queued while serving a request (a re-sync from the admin): the job keeps the request's id.
  const requestId = job.requestId ?? logContext()?.reqId
  return boss.send(PRODUCT_SYNC_QUEUE, requestId ? { ...job, requestId } : job, { singletonKey: job.productId })
}
