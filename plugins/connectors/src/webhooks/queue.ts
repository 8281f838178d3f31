/**
 * The delivery queue (pg-boss, on the agents' `pgboss` schema like the Medusa bridge and the audit log):
 * one job per delivery, singleton key = delivery id, retried by pg-boss with exponential backoff. A
 * request's open transaction doubles as pg-boss's connection, so the job commits or rolls back with
 * the delivery row.
 */
import type { Payload, PayloadRequest } from 'payload'
import { type Db, PgBoss } from 'pg-boss'
import { webhooksConfigOf } from './config.ts'
import { DELIVER_WEBHOOK_QUEUE } from './constants.ts'
import type { ResolvedWebhooksConfig } from './types.ts'

const bosses = new WeakMap<Payload, Promise<PgBoss>>()

export interface DeliverJob {
  delivery: number | string
}

function ownConnectionString(payload: Payload): string | undefined {
  return (
    (payload.db as unknown as { poolOptions?: { connectionString?: string } }).poolOptions?.connectionString ??
    process.env.DATABASE_URL
  )
}

function connectionString(payload: Payload, config: ResolvedWebhooksConfig): string {
  const url = config.queueConnectionString ?? ownConnectionString(payload)
  if (!url) throw new Error('@bizosaas/plugin-connectors: no database URL for the webhook queue (set DATABASE_URL)')
  return url
}

/** The queue's options: `retryLimit` retries, `retryDelaySeconds` doubling (jittered) between them. */
export function queueOptions(config: ResolvedWebhooksConfig) {
  return {
    retryLimit: config.retryLimit,
    retryDelay: config.retryDelaySeconds,
    retryBackoff: true,
    // A POST takes at most timeoutMs; a job whose worker was killed mid-POST is retried after this.
    expireInSeconds: Math.ceil(config.timeoutMs / 1000) * 2 + 5,
  }
}

/** This Payload's pg-boss for webhooks, started (queue created or updated) on first use. */
export function webhookBossOf(payload: Payload): Promise<PgBoss> {
  let boss = bosses.get(payload)
  if (!boss) {
    const config = webhooksConfigOf(payload)
    boss = (async () => {
      const instance = new PgBoss({
        connectionString: connectionString(payload, config),
        schema: config.queueSchema,
        application_name: 'bizosaas-webhooks',
        // A new delivery wakes a worker at once; retries are found by polling.
        useListenNotify: true,
        max: 3,
        ...(config.superviseIntervalSeconds ? { superviseIntervalSeconds: config.superviseIntervalSeconds } : {}),
      } as ConstructorParameters<typeof PgBoss>[0])
      instance.on('error', (error: Error) => payload.logger.error({ err: error }, 'webhooks queue error'))
      await instance.start()
      const options = queueOptions(config)
      if (!(await instance.getQueue(DELIVER_WEBHOOK_QUEUE)))
        await instance
          .createQueue(DELIVER_WEBHOOK_QUEUE, { policy: 'standard', ...options } as never)
          .catch(async (error: Error) => {
            if (!(await instance.getQueue(DELIVER_WEBHOOK_QUEUE))) throw error
          })
      else await instance.updateQueue(DELIVER_WEBHOOK_QUEUE, options as never).catch(() => {})
      return instance
    })()
    bosses.set(payload, boss)
    boss.catch(() => bosses.delete(payload))
  }
  return boss
}

/** Stops this Payload's webhook pg-boss (workers and producer). */
export async function stopWebhookBoss(payload: Payload, graceMs = 10_000): Promise<void> {
  const started = bosses.get(payload)
  if (!started) return
  bosses.delete(payload)
  await (await started.catch(() => undefined))?.stop({ graceful: true, timeout: graceMs, close: true } as never)
}

interface PgClient {
  query(text: string, values?: unknown[]): Promise<{ rows: unknown[] }>
}

/** The request's open transaction as a pg-boss connection (undefined without one, or with a separate queue database). */
async function transactionDb(req: PayloadRequest | undefined, config: ResolvedWebhooksConfig): Promise<Db | undefined> {
  if (!req?.transactionID) return undefined
  const adapter = req.payload.db as unknown as { sessions?: Record<string, { db?: unknown }> }
  if (config.queueConnectionString && config.queueConnectionString !== ownConnectionString(req.payload))
    return undefined
  // Payload keeps each transaction as a Drizzle transaction; its session holds the checked-out pg client.
  const tx = adapter.sessions?.[String(await req.transactionID)]?.db as { session?: { client?: PgClient } } | undefined
  const client = tx?.session?.client
  if (typeof client?.query !== 'function') return undefined
  return { executeSql: (text, values) => client.query(text, values) }
}

/** Enqueues one job per delivery (in `req`'s transaction when there is one). */
export async function enqueueDeliveries(
  payload: Payload,
  deliveries: (number | string)[],
  req?: PayloadRequest,
): Promise<void> {
  if (!deliveries.length) return
  const config = webhooksConfigOf(payload)
  const boss = await webhookBossOf(payload)
  const db = await transactionDb(req, config)
  for (const delivery of deliveries)
    await boss.send(DELIVER_WEBHOOK_QUEUE, { delivery } satisfies DeliverJob, {
      singletonKey: String(delivery),
      ...queueOptions(config),
      ...(db ? { db } : {}),
    } as never)
}
