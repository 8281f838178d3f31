import { PRODUCT_SYNC_DLQ, PRODUCT_SYNC_QUEUE } from '@bizosaas/contracts/product-sync'
import { createTestDatabase, type TestDatabase } from '@bizosaas/scripts/test/database'
import pg from 'pg'
import { PgBoss } from 'pg-boss'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type ProductSyncJob, sendProductEvent, stopCmsQueue } from './cms-queue'

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
})
