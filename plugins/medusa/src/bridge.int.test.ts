/**
 * The Payload ↔ Medusa bridge end to end, with a real Medusa (seeded: CoreLDove 20 products, Bizoholic 3)
 * whose product subscriber sends pg-boss jobs, and a real CMS whose worker turns them into
 * `product-content` documents. Medusa's events go to a queue database of their own (the CMS's
 * `queueConnectionString`), so each side can start before it knows the other's address.
 */
import { mkdtemp } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { DEMO_PASSWORD, seed } from '@bizosaas/cms/seed'
import { startTestCms, type TestCms } from '@bizosaas/cms/test'
import { startTestCommerce, type TestCommerce } from '@bizosaas/commerce/test'
import { DEMO_MEDUSA_ADMIN, ensureSecretApiKey } from '@bizosaas/scripts/commerce'
import { createTestDatabase, type TestDatabase } from '@bizosaas/scripts/test/database'
import { until } from '@bizosaas/scripts/test/until'
import type { Payload } from 'payload'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createMedusaClient, type MedusaClient } from './client.ts'
import { PRODUCT_CONTENT } from './constants.ts'
import { lexicalFromText, lexicalToText } from './lexical.ts'
import { bridgeBossOf } from './sync/queue.ts'
import { repairCommerce } from './sync/repair.ts'
import { linkTenantCommerce } from './sync/tenants.ts'
import { type MedusaSyncWorker, startMedusaSync } from './sync/worker.ts'

type Doc = Record<string, unknown> & { id: number; tenant: number; title: string }

let queueDb: TestDatabase
let shop: TestCommerce
let cms: TestCms
let payload: Payload
let medusa: MedusaClient
let worker: MedusaSyncWorker
const tenantIds: Record<string, number> = {}

beforeAll(async () => {
  queueDb = await createTestDatabase('bridge_queue')
  shop = await startTestCommerce('bridge', { cmsQueueUrl: queueDb.url })
  const { token } = await ensureSecretApiKey({
    url: shop.url,
    ...DEMO_MEDUSA_ADMIN,
    file: path.join(await mkdtemp(path.join(tmpdir(), 'bizosaas-bridge-')), 'medusa-api-key'),
  })
  medusa = createMedusaClient({ url: shop.url, apiKey: token })
  cms = await startTestCms('bridge', {
    medusa: { url: shop.url, apiKey: token, queueConnectionString: queueDb.url, retry: { limit: 2, delaySeconds: 1 } },
  })
  payload = cms.payload
  // The seed makes both tenants with `commerce.enabled`: saving them links them to Medusa.
  await seed(payload)
  for (const slug of ['bizoholic', 'coreldove']) {
    const { docs } = await payload.find({ collection: 'tenants', where: { slug: { equals: slug } } })
    tenantIds[slug] = docs[0]!.id as number
  }
  worker = await startMedusaSync(payload)
}, 300_000)

afterAll(async () => {
  await worker?.stop({ graceMs: 2_000 })
  await cms?.close()
  await shop?.close()
  await queueDb?.drop()
})

const contentOf = async (productId: string) =>
  (
    await payload.find({
      collection: PRODUCT_CONTENT as never,
      where: { medusaProductId: { equals: productId } },
      depth: 0,
    })
  ).docs as unknown as Doc[]

describe('tenant link', () => {
  it('records the seeded sales channel, key and stock location on the tenants when their shop is enabled', async () => {
    for (const slug of ['bizoholic', 'coreldove']) {
      const tenant = (await payload.findByID({ collection: 'tenants', id: tenantIds[slug]! })) as unknown as {
        commerce: Record<string, unknown>
      }
      expect(tenant.commerce).toMatchObject({
        enabled: true,
        salesChannelId: shop.tenants[slug]!.salesChannelId,
        publishableKey: shop.tenants[slug]!.publishableKey,
        stockLocationId: shop.tenants[slug]!.stockLocationId,
      })
      expect(tenant.commerce.linkError ?? null).toBeNull()
    }
  })

  it('is a no-op when run again', async () => {
    const again = await linkTenantCommerce(payload, tenantIds.coreldove!)
    expect(again).toMatchObject({ tenant: 'coreldove', createdInMedusa: false, recorded: false })
    expect(again.storefront.salesChannelId).toBe(shop.tenants.coreldove!.salesChannelId)
  })

  it('provisions a new tenant’s shop in Medusa and records it', async () => {
    const tenant = await payload.create({
      collection: 'tenants',
      data: { name: 'Lumen Lab', slug: 'lumen-lab', commerce: { enabled: true } } as never,
    })
    const commerce = (tenant as unknown as { commerce: Record<string, string> }).commerce
    expect(commerce.salesChannelId).toMatch(/^sc_/)
    expect(commerce.publishableKey).toMatch(/^pk_/)
    // The new key answers the store API, with an empty catalogue.
    const res = await fetch(`${shop.url}/store/products`, {
      headers: { 'x-publishable-api-key': commerce.publishableKey! },
    })
    expect(res.status).toBe(200)
    expect(((await res.json()) as { count: number }).count).toBe(0)
  })
})

describe('product sync', () => {
  it('the full re-sync brings every tenant’s products into product-content, and changes nothing the second time', async () => {
    const first = await repairCommerce(payload, { tenants: ['bizoholic', 'coreldove'] })
    const byTenant = Object.fromEntries(first.products.map((r) => [r.tenant, r]))
    expect(byTenant.coreldove).toMatchObject({ products: 20, failed: [] })
    expect(byTenant.bizoholic).toMatchObject({ products: 3, failed: [] })
    const count = async (slug: string) =>
      (
        await payload.count({
          collection: PRODUCT_CONTENT as never,
          where: { tenant: { equals: tenantIds[slug] } },
        })
      ).totalDocs
    expect(await count('coreldove')).toBe(20)
    expect(await count('bizoholic')).toBe(3)

    const second = await repairCommerce(payload, { tenants: ['coreldove'] })
    expect(second.products[0]).toMatchObject({ products: 20, created: 0, updated: 0, deleted: 0, unchanged: 20 })
  })

  it('a product created, updated and deleted in Medusa is created, updated and deleted in Payload for the right tenant', async () => {
    const channel = shop.tenants.coreldove!.salesChannelId
    const created = Date.now()
    const { product } = await medusa.admin.product.create({
      title: 'Bridge test lamp',
      handle: 'bridge-test-lamp',
      description: 'A lamp made by the bridge test.\n\n• Brass\n• Walnut',
      status: 'published',
      sales_channels: [{ id: channel }],
      options: [{ title: 'Finish', values: ['Brass'] }],
      variants: [{ title: 'Brass', options: { Finish: 'Brass' }, prices: [{ amount: 49, currency_code: 'eur' }] }],
    })
    const [doc] = await until('the product-content document', async () => {
      const docs = await contentOf(product.id)
      return docs.length ? docs : undefined
    })
    console.info(`[bridge] created in Medusa → product-content in ${Date.now() - created} ms`)
    expect(doc).toMatchObject({
      tenant: tenantIds.coreldove,
      title: 'Bridge test lamp',
      handle: 'bridge-test-lamp',
      status: 'published',
      medusaDescription: 'A lamp made by the bridge test.\n\n• Brass\n• Walnut',
    })
    expect(lexicalToText(doc!.description)).toBe('A lamp made by the bridge test.\n\n• Brass\n• Walnut')

    await medusa.admin.product.update(product.id, { title: 'Bridge test lamp, renamed' })
    await until(
      'the renamed title',
      async () => (await contentOf(product.id))[0]?.title === 'Bridge test lamp, renamed',
    )

    await medusa.admin.product.delete(product.id)
    await until('the document to be deleted', async () => (await contentOf(product.id)).length === 0)
  })

  it('keeps an editor’s description when Medusa’s text changes, and follows Medusa while nobody edited it', async () => {
    const channel = shop.tenants.coreldove!.salesChannelId
    const make = (handle: string) =>
      medusa.admin.product.create({
        title: handle,
        handle,
        description: 'Original text.',
        sales_channels: [{ id: channel }],
        options: [{ title: 'Size', values: ['One'] }],
        variants: [{ title: 'One', options: { Size: 'One' }, prices: [{ amount: 10, currency_code: 'eur' }] }],
      })
    const edited = (await make('bridge-edited')).product
    const untouched = (await make('bridge-untouched')).product
    const [editedDoc] = await until('both documents', async () => {
      const [a, b] = [await contentOf(edited.id), await contentOf(untouched.id)]
      return a.length && b.length ? a : undefined
    })
    await payload.update({
      collection: PRODUCT_CONTENT as never,
      id: editedDoc!.id,
      data: { description: lexicalFromText('Written by an editor in Payload.') } as never,
    })
    for (const product of [edited, untouched])
      await medusa.admin.product.update(product.id, { description: 'New Medusa text.' })
    await until('both mirrors to follow Medusa', async () => {
      const docs = [...(await contentOf(edited.id)), ...(await contentOf(untouched.id))]
      return docs.every((d) => d.medusaDescription === 'New Medusa text.')
    })
    expect(lexicalToText((await contentOf(edited.id))[0]!.description)).toBe('Written by an editor in Payload.')
    expect(lexicalToText((await contentOf(untouched.id))[0]!.description)).toBe('New Medusa text.')
  })

  it('skips a product whose sales channel belongs to no tenant, and never attaches it to one', async () => {
    const { sales_channel } = await medusa.admin.salesChannel.create({ name: 'Wholesale (no tenant)' })
    const { product } = await medusa.admin.product.create({
      title: 'Wholesale only',
      handle: 'wholesale-only',
      sales_channels: [{ id: sales_channel.id }],
      options: [{ title: 'Pack', values: ['Ten'] }],
      variants: [{ title: 'Ten', options: { Pack: 'Ten' }, prices: [{ amount: 100, currency_code: 'eur' }] }],
    })
    const boss = await bridgeBossOf(payload)
    await until('the sync job to finish', async () => {
      const jobs = await boss.findJobs('medusa.product-sync', { data: { productId: product.id } })
      return jobs.length > 0 && jobs.every((job) => job.state === 'completed')
    })
    expect(await contentOf(product.id)).toEqual([])
  })
})

describe('tenant isolation across the bridge', () => {
  it('a tenant’s publishable key never lists another tenant’s products', async () => {
    const list = async (slug: string) => {
      const res = await fetch(`${shop.url}/store/products?limit=100&fields=handle`, {
        headers: { 'x-publishable-api-key': shop.tenants[slug]!.publishableKey },
      })
      return ((await res.json()) as { products: { handle: string }[] }).products.map((p) => p.handle)
    }
    const [coreldove, bizoholic] = [await list('coreldove'), await list('bizoholic')]
    expect(coreldove.length).toBeGreaterThanOrEqual(20)
    expect(bizoholic).toHaveLength(3)
    expect(coreldove.filter((handle) => bizoholic.includes(handle))).toEqual([])
  })

  it('a tenant’s editors see and edit only their own product content', async () => {
    const token = await cms.login('manager@coreldove.dev', DEMO_PASSWORD)
    const own = await cms.rest.get('/product-content?limit=100&depth=0', token)
    expect(own.status).toBe(200)
    expect(own.body.docs!.length).toBeGreaterThanOrEqual(20)
    expect(own.body.docs!.every((doc) => doc.tenant === tenantIds.coreldove)).toBe(true)

    const { docs: theirs } = await payload.find({
      collection: PRODUCT_CONTENT as never,
      where: { tenant: { equals: tenantIds.bizoholic } },
      limit: 1,
    })
    const otherId = (theirs[0] as unknown as Doc).id
    expect((await cms.rest.get(`/product-content/${otherId}`, token)).status).toBe(404)
    const write = await cms.rest.patch(`/product-content/${otherId}`, { seo: { metaTitle: 'Hijacked' } }, token)
    expect([403, 404]).toContain(write.status)
    // Editors improve content but do not make documents for products: the sync does.
    const create = await cms.rest.post(
      '/product-content',
      { title: 'x', medusaProductId: 'prod_fake', tenant: tenantIds.coreldove },
      token,
    )
    expect(create.status).toBe(403)
  })
})
