import { ORDER_PLACED_DLQ, ORDER_PLACED_QUEUE } from '@bizosaas/contracts/order-placed'
import { PRODUCT_SYNC_DLQ, PRODUCT_SYNC_QUEUE } from '@bizosaas/contracts/product-sync'
import { createTestDatabase, type TestDatabase } from '@bizosaas/scripts/test/database'
import pg from 'pg'
import { PgBoss } from 'pg-boss'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type ProductSyncJob, sendOrderPlaced, sendProductEvent, stopCmsQueue } from './cms-queue'
import { orderPlacedJob } from './order-placed'

describe('CMS queue (pg-boss in the CMS database)', () => {
  let db: TestDatabase
  let cms: PgBoss

  beforeAll(async () => {
    db = await createTestDatabase('cms_queue')
  })
  afterAll(async () => {
    await stopCmsQueue()
    await cms?.stop({ graceful: false })
    await db?.drop()
  })

  async function jobs(productId: string) {
    const client = new pg.Client({ connectionString: db.url })
    await client.connect()
    try {
      const { rows } = await client.query<{ state: string; data: ProductSyncJob; singleton_key: string }>(
        `SELECT state, data, singleton_key FROM pgboss.job WHERE name = $1 AND data->>'productId' = $2 ORDER BY created_on`,
        [PRODUCT_SYNC_QUEUE, productId],
      )
      return rows
    } finally {
      await client.end()
    }
  }

  it('rejects, naming the cause, while the CMS database cannot be reached, and works once it can', async () => {
    const missing = `${db.url}_missing`
    await expect(sendProductEvent({ url: missing }, 'prod_down', 'updated')).rejects.toThrow(/does not exist/)
    // The failed start is not kept: the next send connects again.
    const id = await sendProductEvent({ url: db.url }, 'prod_first', 'created')
    expect(id).toEqual(expect.any(String))
  })

  it('creates the queue as the CMS expects it: stately, 5 retries with backoff, dead letters kept', async () => {
    cms = new PgBoss({ connectionString: db.url, supervise: false, schedule: false })
    cms.on('error', () => {})
    await cms.start()
    const queue = await cms.getQueue(PRODUCT_SYNC_QUEUE)
    expect(queue).toMatchObject({
      policy: 'stately',
      retryLimit: 5,
      retryDelay: 5,
      retryBackoff: true,
      deadLetter: PRODUCT_SYNC_DLQ,
    })
    expect(await cms.getQueue(PRODUCT_SYNC_DLQ)).not.toBeNull()
  })

  it('keeps one waiting job per product: a burst becomes one sync, a change during a sync gets its own', async () => {
    const when = new Date('2026-01-02T03:04:05.000Z')
    expect(await sendProductEvent({ url: db.url }, 'prod_a', 'created', when)).toEqual(expect.any(String))
    expect(await sendProductEvent({ url: db.url }, 'prod_a', 'updated')).toBeNull()
    // Another product is not held up.
    expect(await sendProductEvent({ url: db.url }, 'prod_b', 'updated')).toEqual(expect.any(String))
    expect(await jobs('prod_a')).toEqual([
      {
        state: 'created',
        singleton_key: 'prod_a',
        data: { productId: 'prod_a', event: 'created', occurredAt: when.toISOString() },
      },
    ])

    // The CMS takes the waiting jobs; a change made meanwhile is queued behind the active one.
    const taken = await cms.fetch<ProductSyncJob>(PRODUCT_SYNC_QUEUE, { batchSize: 10 })
    expect(taken.map((job) => job.data.productId).sort()).toEqual(['prod_a', 'prod_b', 'prod_first'])
    expect(await sendProductEvent({ url: db.url }, 'prod_a', 'deleted')).toEqual(expect.any(String))
    expect((await jobs('prod_a')).map((j) => [j.state, j.data.event])).toEqual([
      ['active', 'created'],
      ['created', 'deleted'],
    ])
  })

  it('queues a placed order as the bridge expects it: no personal data, one waiting job per order', async () => {
    // What query.graph returns for the fields the subscriber asks for (totals may be BigNumber-like).
    const job = orderPlacedJob({
      id: 'order_1',
      display_id: 7,
      sales_channel_id: 'sc_shop',
      total: { valueOf: () => 59.8, toJSON: () => 59.8 } as unknown as number,
      currency_code: 'eur',
      created_at: new Date('2026-12-08T01:00:00.000Z'),
      items: [{ quantity: 2 }, { quantity: 1 }],
    })
    expect(job).toEqual({
      orderId: 'order_1',
      salesChannelId: 'sc_shop',
      displayId: 7,
      total: 59.8,
      currencyCode: 'eur',
      createdAt: '2026-12-08T01:00:00.000Z',
      itemCount: 3,
    })
    expect(orderPlacedJob({ id: 'order_2', sales_channel_id: null })).toBeNull()

    expect(await sendOrderPlaced({ url: db.url }, job!)).toEqual(expect.any(String))
    expect(await sendOrderPlaced({ url: db.url }, job!)).toBeNull()
    expect(await cms.getQueue(ORDER_PLACED_QUEUE)).toMatchObject({
      policy: 'stately',
      retryLimit: 5,
      deadLetter: ORDER_PLACED_DLQ,
    })
    const taken = await cms.fetch(ORDER_PLACED_QUEUE, { batchSize: 10 })
    expect(taken.map((j) => j.data)).toEqual([job])
  })
})
