/**
 * The CMS's job queue, seen from Medusa: product events and placed orders go to pg-boss in the CMS
 * database, where the CMS's Medusa plugin (plugins/medusa) works them off. Medusa only sends, so this pg-boss instance
 * runs no maintenance, no schedules and no workers, on a small pool, started on the first send.
 */

// pg-boss is an ES module: Node (22.12+) loads it from this CommonJS app, but TypeScript's Node16
// mode only through import(), so the type comes from there too.
const loadPgBoss = () => import('pg-boss')
type PgBoss = InstanceType<Awaited<ReturnType<typeof loadPgBoss>>['PgBoss']>
type SharedProductSyncJob = import('@bizosaas/contracts/product-sync', { with: {
  'resolution-mode': 'import',
}}).ProductSyncJob

// The queue names and the job's shape are the contract with the CMS's bridge (plugins/medusa), defined
// once in @bizosaas/contracts; an ES module, so loaded with import() like pg-boss.
const loadContract = () => import('@bizosaas/contracts/product-sync')
const loadOrderContract = () => import('@bizosaas/contracts/order-placed')

/** An order-placed job's data (no personal data): the contract with the CMS's bridge. */
export type OrderPlacedJob = import('@bizosaas/contracts/order-placed', { with: {
  'resolution-mode': 'import',
}}).OrderPlacedJob

export type ProductEvent = 'created' | 'updated' | 'deleted'

/** A product-sync job's data as Medusa sends it. The CMS reads the product from Medusa; `event` says what happened last. */
export type ProductSyncJob = SharedProductSyncJob & {
  event: ProductEvent
  /** ISO 8601 time at which Medusa emitted the event. */
  occurredAt: string
}

export interface CmsQueueConnection {
  /** PostgreSQL URL of the CMS database. */
  url: string
  /** @default 'pgboss' */
  schema?: string
}

let current: { key: string; boss: Promise<PgBoss> } | undefined

/** The started pg-boss for `connection`, with its queues created; made once per process and connection. */
function cmsQueue(connection: CmsQueueConnection): Promise<PgBoss> {
  const schema = connection.schema ?? 'pgboss'
  const key = `${connection.url}#${schema}`
  if (current?.key === key) return current.boss
  const previous = current?.boss
  const boss = (async () => {
    if (previous)
      await previous.then(
        (old) => old.stop({ graceful: false }),
        () => {},
      )
    const [{ PgBoss }, { PRODUCT_SYNC_DLQ, PRODUCT_SYNC_QUEUE }, { ORDER_PLACED_DLQ, ORDER_PLACED_QUEUE }] =
      await Promise.all([loadPgBoss(), loadContract(), loadOrderContract()])
    const instance = new PgBoss({
      connectionString: connection.url,
      schema,
      application_name: 'medusa-cms-queue',
      max: 2,
      // A sender: the CMS supervises, schedules and works the queues.
      supervise: false,
      schedule: false,
      registerInstance: false,
    })
    // pg-boss emits pool errors as events; unhandled, an 'error' event would end the process.
    instance.on('error', () => {})
    try {
      await instance.start()
      // The dead-letter queue first: a queue can only name one that exists. create_queue leaves an
      // existing queue as it is, so whichever side (Medusa or the CMS) creates them first decides.
      await instance.createQueue(PRODUCT_SYNC_DLQ)
      await instance.createQueue(PRODUCT_SYNC_QUEUE, {
        // At most one queued and one active job per singletonKey (the product id): a burst of events
        // for one product becomes one sync, and a change during a sync still gets its own.
        policy: 'stately',
        retryLimit: 5,
        retryDelay: 5,
        retryBackoff: true,
        deadLetter: PRODUCT_SYNC_DLQ,
        // Each send NOTIFYs the CMS's waiting workers (they would otherwise find it at their next poll).
        notify: true,
      })
      await instance.createQueue(ORDER_PLACED_DLQ)
      await instance.createQueue(ORDER_PLACED_QUEUE, {
        // singletonKey = the order id: the same order sent twice while a job for it waits is one job, and
        // one that runs waits for the other (the bridge's event id de-duplicates the rest).
        policy: 'stately',
        retryLimit: 5,
        retryDelay: 5,
        retryBackoff: true,
        deadLetter: ORDER_PLACED_DLQ,
        notify: true,
      })
      return instance
    } catch (error) {
      await instance.stop({ graceful: false }).catch(() => {})
      throw error
    }
  })()
  current = { key, boss }
  // A failed start is not kept: the next event tries again (the CMS database may be back).
  boss.catch(() => {
    if (current?.boss === boss) current = undefined
  })
  return boss
}

/**
 * Queues a sync of one product for the CMS. Resolves with the job id, or null when a job for this
 * product is already waiting (it will read the product's latest state anyway); rejects when the CMS
 * database cannot be reached.
 */
export async function sendProductEvent(
  connection: CmsQueueConnection,
  productId: string,
  event: ProductEvent,
  occurredAt: Date = new Date(),
  requestId?: string,
): Promise<string | null> {
  const [boss, { PRODUCT_SYNC_QUEUE }] = await Promise.all([cmsQueue(connection), loadContract()])
  const job: ProductSyncJob = {
    productId,
    event,
    occurredAt: occurredAt.toISOString(),
    ...(requestId ? { requestId } : {}),
  }
  return boss.send(PRODUCT_SYNC_QUEUE, job, { singletonKey: productId })
}

/**
 * Queues a placed order for the CMS (its outgoing `order.placed` webhooks). Resolves with the job id, or
 * null when a job for this order already waits; rejects when the CMS database cannot be reached.
 */
export async function sendOrderPlaced(connection: CmsQueueConnection, job: OrderPlacedJob): Promise<string | null> {
  const [boss, { ORDER_PLACED_QUEUE }] = await Promise.all([cmsQueue(connection), loadOrderContract()])
  return boss.send(ORDER_PLACED_QUEUE, job, { singletonKey: job.orderId })
}

/** Stops the queue's pg-boss and closes its pool, if it was started. */
export async function stopCmsQueue(): Promise<void> {
  const boss = current?.boss
  current = undefined
  if (boss)
    await boss.then(
      (instance) => instance.stop({ graceful: false }),
      () => {},
    )
}
