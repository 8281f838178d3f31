/**
 * Our admin API and what the CMS gets from Medusa, against one real Medusa server: the tenant
 * storefront route, and product events arriving as pg-boss jobs in a (test) CMS database.
 */
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { DEMO_PASSWORD, DEMO_SUPER_ADMIN } from '@bizosaas/contracts/demo'
import { PRODUCT_SYNC_QUEUE } from '@bizosaas/contracts/product-sync'
import { ensureSecretApiKey, medusaAdminToken } from '@bizosaas/scripts/commerce'
import { createTestDatabase, type TestDatabase } from '@bizosaas/scripts/test/database'
import pg from 'pg'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { ProductSyncJob } from '../../lib/cms-queue'
import { startTestCommerce, type TestCommerce } from '../../test/harness'

interface StorefrontResponse {
  storefront: { salesChannelId: string; publishableKeyId: string; publishableKey: string; stockLocationId: string }
  created: boolean
}

let commerce: TestCommerce
let cmsDb: TestDatabase
let jwt: string
let secretKey: string
let keyDir: string

beforeAll(async () => {
  cmsDb = await createTestDatabase('cms_queue')
  commerce = await startTestCommerce('admin', { cmsQueueUrl: cmsDb.url })
  const login = { url: commerce.url, email: DEMO_SUPER_ADMIN.email, password: DEMO_PASSWORD }
  jwt = await medusaAdminToken(login)
  keyDir = await mkdtemp(path.join(tmpdir(), 'commerce-admin-test-'))
  secretKey = (await ensureSecretApiKey({ ...login, file: path.join(keyDir, 'secret-key') })).token
})
afterAll(async () => {
  await commerce?.close()
  await cmsDb?.drop()
  if (keyDir) await rm(keyDir, { recursive: true, force: true })
})

const bearer = () => ({ authorization: `Bearer ${jwt}` })
const basic = () => ({ authorization: `Basic ${Buffer.from(`${secretKey}:`).toString('base64')}` })

async function call(method: string, pathname: string, body?: unknown, headers: Record<string, string> = bearer()) {
  const res = await fetch(`${commerce.url}${pathname}`, {
    method,
    headers: { 'content-type': 'application/json', ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
  })
  return { status: res.status, body: (await res.json().catch(() => ({}))) as Record<string, unknown> }
}

async function withCommerceDb<T>(run: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: commerce.db.url })
  await client.connect()
  try {
    return await run(client)
  } finally {
    await client.end()
  }
}

describe('POST /admin/bizosaas/tenants/:slug/storefront', () => {
  const link = (slug: string, body: unknown = { name: 'Acme Shop' }, headers?: Record<string, string>) =>
    call('POST', `/admin/bizosaas/tenants/${slug}/storefront`, body, headers)

  it('creates a new tenant storefront once, then returns the same one', async () => {
    const first = await link('acme-shop')
    expect(first.status).toBe(200)
    const made = first.body as unknown as StorefrontResponse
    expect(made.created).toBe(true)
    expect(made.storefront).toEqual({
      salesChannelId: expect.stringMatching(/^sc_/),
      publishableKeyId: expect.stringMatching(/^apk_/),
      publishableKey: expect.stringMatching(/^pk_/),
      stockLocationId: expect.stringMatching(/^sloc_/),
    })

    // The storefront's key works on the store API and shows the new, empty catalogue.
    const products = await fetch(`${commerce.url}/store/products`, {
      headers: { 'x-publishable-api-key': made.storefront.publishableKey },
    })
    expect(products.status).toBe(200)
    expect(((await products.json()) as { count: number }).count).toBe(0)

    // The defaults name everything after the tenant.
    const names = await withCommerceDb(async (db) => {
      const { rows } = await db.query(
        `SELECT sc.name AS channel, k.title AS key, l.name AS location FROM sales_channel sc, api_key k, stock_location l
          WHERE sc.id = $1 AND k.id = $2 AND l.id = $3`,
        [made.storefront.salesChannelId, made.storefront.publishableKeyId, made.storefront.stockLocationId],
      )
      return rows[0]
    })
    expect(names).toEqual({ channel: 'Acme Shop', key: 'Acme Shop storefront', location: 'Acme Shop stock' })

    // Again, with a secret API key this time: nothing new.
    const second = await link('acme-shop', { name: 'Acme Shop' }, basic())
    expect(second.status).toBe(200)
    expect(second.body).toEqual({ storefront: made.storefront, created: false })
  })

  it('makes one sales channel when two calls for a new tenant race', async () => {
    const [a, b] = await Promise.all([link('race-shop', { name: 'Race' }), link('race-shop', { name: 'Race' })])
    expect([a.status, b.status]).toEqual([200, 200])
    const results = [a.body, b.body] as unknown as StorefrontResponse[]
    expect(results.map((r) => r.created).sort()).toEqual([false, true])
    expect(results[0]!.storefront).toEqual(results[1]!.storefront)
    const channels = await withCommerceDb(async (db) => {
      const { rows } = await db.query(
        `SELECT id FROM sales_channel WHERE metadata->>'tenant' = 'race-shop' AND deleted_at IS NULL`,
      )
      return rows
    })
    expect(channels).toEqual([{ id: results[0]!.storefront.salesChannelId }])
  })

  it("returns a seeded tenant's storefront as it is", async () => {
    const seeded = commerce.tenants.coreldove!
    const res = await link('coreldove', { name: 'CoreLDove' })
    expect(res.status).toBe(200)
    const body = res.body as unknown as StorefrontResponse
    expect(body.created).toBe(false)
    expect(body.storefront).toMatchObject({
      salesChannelId: seeded.salesChannelId,
      publishableKey: seeded.publishableKey,
      stockLocationId: seeded.stockLocationId,
    })
  })

  it('adds only what is missing to an existing channel', async () => {
    const first = (await link('half-shop', { name: 'Half' })).body as unknown as StorefrontResponse
    // Someone revoked the key: the next call gives the channel a new one and keeps the rest.
    const revoke = await call('POST', `/admin/api-keys/${first.storefront.publishableKeyId}/revoke`, {})
    expect(revoke.status).toBe(200)
    const again = (await link('half-shop', { name: 'Half' })).body as unknown as StorefrontResponse
    expect(again.created).toBe(true)
    expect(again.storefront.salesChannelId).toBe(first.storefront.salesChannelId)
    expect(again.storefront.stockLocationId).toBe(first.storefront.stockLocationId)
    expect(again.storefront.publishableKeyId).not.toBe(first.storefront.publishableKeyId)
    const store = await fetch(`${commerce.url}/store/products`, {
      headers: { 'x-publishable-api-key': again.storefront.publishableKey },
    })
    expect(store.status).toBe(200)
  })

  it('refuses a bad slug or body with 400 and a message that says what is wrong', async () => {
    const slug = await link('Acme_Shop')
    expect(slug.status).toBe(400)
    expect(slug.body.message).toMatch(/slug.*lower-case letters and digits/)

    const empty = await link('acme-shop', { name: '   ' })
    expect(empty.status).toBe(400)
    expect(empty.body.message).toMatch(/name/)

    const long = await link('acme-shop', { name: 'x'.repeat(121) })
    expect(long.status).toBe(400)
    expect(long.body.message).toMatch(/120/)

    const missing = await link('acme-shop', {})
    expect(missing.status).toBe(400)
    expect(missing.body.message).toMatch(/name/)
  })

  it('answers 401 without admin credentials', async () => {
    expect((await link('acme-shop', { name: 'Acme' }, {})).status).toBe(401)
    expect((await link('acme-shop', { name: 'Acme' }, { authorization: 'Bearer not-a-token' })).status).toBe(401)
  })
})

describe('product events → CMS queue', () => {
  let cms: pg.Client

  beforeAll(async () => {
    cms = new pg.Client({ connectionString: cmsDb.url })
    await cms.connect()
  })
  afterAll(async () => {
    await cms?.end()
  })

  /** Waits until the CMS queue holds a waiting job for `productId` whose event is `event`; returns its row. */
  async function waitForJob(productId: string, event: ProductSyncJob['event'], timeoutMs = 15_000) {
    const deadline = Date.now() + timeoutMs
    for (;;) {
      const { rows } = await cms
        .query<{ id: string; state: string; data: ProductSyncJob; singleton_key: string }>(
          `SELECT id, state, data, singleton_key FROM pgboss.job
            WHERE name = $1 AND state = 'created' AND data->>'productId' = $2 AND data->>'event' = $3`,
          [PRODUCT_SYNC_QUEUE, productId, event],
        )
        .catch(() => ({ rows: [] })) // the schema appears with Medusa's first send
      if (rows[0]) return rows[0]
      if (Date.now() > deadline) throw new Error(`no ${event} job for ${productId} within ${timeoutMs} ms`)
      await new Promise((r) => setTimeout(r, 200))
    }
  }

  /** What the CMS worker does: works the job off, so the next change of the product queues a new one. */
  async function take(jobId: string) {
    await cms.query(
      `UPDATE pgboss.job SET state = 'completed', started_on = now(), completed_on = now() WHERE id = $1`,
      [jobId],
    )
  }

  it('queues a job for the CMS when a product is created, updated and deleted', async () => {
    const created = await call(
      'POST',
      '/admin/products',
      {
        title: 'Queue Test Lamp',
        handle: 'queue-test-lamp',
        status: 'draft',
        options: [{ title: 'Size', values: ['One'] }],
        variants: [{ title: 'One', options: { Size: 'One' }, prices: [{ currency_code: 'eur', amount: 10 }] }],
      },
      basic(),
    )
    expect(created.status).toBe(200)
    const productId = (created.body.product as { id: string }).id

    const createdJob = await waitForJob(productId, 'created')
    expect(createdJob).toMatchObject({ state: 'created', singleton_key: productId })
    expect(new Date(createdJob.data.occurredAt).getTime()).toBeGreaterThan(Date.now() - 60_000)
    await take(createdJob.id)

    expect((await call('POST', `/admin/products/${productId}`, { subtitle: 'now with a subtitle' })).status).toBe(200)
    const updatedJob = await waitForJob(productId, 'updated')
    await take(updatedJob.id)

    // Adding the product to a sales channel through the product emits product.updated too.
    const channel = commerce.tenants.coreldove!.salesChannelId
    expect((await call('POST', `/admin/products/${productId}`, { sales_channels: [{ id: channel }] })).status).toBe(200)
    const relinked = await waitForJob(productId, 'updated')
    expect(relinked.id).not.toBe(updatedJob.id)
    await take(relinked.id)

    expect((await call('DELETE', `/admin/products/${productId}`)).status).toBe(200)
    expect(await waitForJob(productId, 'deleted')).toMatchObject({ state: 'created', singleton_key: productId })
  })

  it("queues an update when a product joins or leaves a channel from the channel's side", async () => {
    // A seeded product, and a new channel it is not in.
    const listed = await call('GET', '/admin/products?limit=1&fields=id,sales_channels.id')
    expect(listed.status).toBe(200)
    const product = (listed.body.products as { id: string; sales_channels: { id: string }[] }[])[0]!
    const made = await call('POST', '/admin/sales-channels', { name: 'Queue Test Channel' })
    expect(made.status).toBe(200)
    const channel = (made.body.sales_channel as { id: string }).id
    expect(product.sales_channels.map((c) => c.id)).not.toContain(channel)
    const channelsOf = async () =>
      (
        (await call('GET', `/admin/products/${product.id}?fields=sales_channels.id`)).body.product as {
          sales_channels: { id: string }[]
        }
      ).sales_channels.map((c) => c.id)

    // Added. (Medusa answers 500 to an id given twice in `add`: the link already exists.)
    const added = await call('POST', `/admin/sales-channels/${channel}/products`, { add: [product.id] })
    expect(added.status).toBe(200)
    expect(added.body.sales_channel).toMatchObject({ id: channel })
    expect(await channelsOf()).toContain(channel)
    const addedJob = await waitForJob(product.id, 'updated')
    expect(addedJob).toMatchObject({ state: 'created', singleton_key: product.id })
    const { rows: jobs } = await cms.query(`SELECT id FROM pgboss.job WHERE name = $1 AND data->>'productId' = $2`, [
      PRODUCT_SYNC_QUEUE,
      product.id,
    ])
    expect(jobs).toHaveLength(1)
    await take(addedJob.id)

    // Removed.
    const removed = await call('POST', `/admin/sales-channels/${channel}/products`, { remove: [product.id] })
    expect(removed.status).toBe(200)
    expect(await channelsOf()).not.toContain(channel)
    const removedJob = await waitForJob(product.id, 'updated')
    expect(removedJob.id).not.toBe(addedJob.id)
    await take(removedJob.id)

    // Added again, then the channel deleted: its products are synced too.
    expect((await call('POST', `/admin/sales-channels/${channel}/products`, { add: [product.id] })).status).toBe(200)
    await take((await waitForJob(product.id, 'updated')).id)
    expect((await call('DELETE', `/admin/sales-channels/${channel}`)).status).toBe(200)
    expect(await channelsOf()).not.toContain(channel)
    const deletedChannelJob = await waitForJob(product.id, 'updated')
    await take(deletedChannelJob.id)

    // A refused request (400) is answered as before and queues nothing.
    const bad = await call('POST', `/admin/sales-channels/${channel}/products`, { add: [product.id], remove: 'x' })
    expect(bad.status).toBe(400)
    await new Promise((r) => setTimeout(r, 1000))
    await expect(waitForJob(product.id, 'updated', 0)).rejects.toThrow(/no updated job/)
  })
})
