import { DEMO_PASSWORD, DEMO_SUPER_ADMIN } from '@bizosaas/contracts/demo'
import { histogramCount, parseMetrics, sampleValue } from '@bizosaas/observability/testing'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { regions } from '../scripts/data/regions'
import { commerceTenant } from '../scripts/tenants'
import { startTestCommerce, type TestCommerce } from '../test/harness'

interface StoreProduct {
  id: string
  handle: string
  thumbnail: string | null
  variants: { sku: string; calculated_price: { calculated_amount: number; currency_code: string } }[]
}

const coreldove = commerceTenant('coreldove')
const bizoholic = commerceTenant('bizoholic')
const handlesOf = (tenant: typeof coreldove) => new Set(tenant.catalogue.products.map((p) => p.handle))

describe('store API per tenant', () => {
  let commerce: TestCommerce

  beforeAll(async () => {
    commerce = await startTestCommerce('store')
  })
  afterAll(async () => {
    await commerce?.close()
  })

  async function get(path: string, key?: string) {
    const res = await fetch(`${commerce.url}${path}`, { headers: key ? { 'x-publishable-api-key': key } : {} })
    return { status: res.status, body: (await res.json()) as Record<string, unknown> }
  }

  async function products(key: string, query = '') {
    const { status, body } = await get(`/store/products?limit=100${query}`, key)
    expect(status).toBe(200)
    return body as { count: number; products: StoreProduct[] }
  }

  it("lists only CoreLDove's products with its key, priced in each region's currency", async () => {
    const key = commerce.tenants.coreldove!.publishableKey
    const { body } = await get('/store/regions', key)
    const storeRegions = body.regions as { id: string; name: string; currency_code: string }[]
    expect(storeRegions.map((r) => [r.name, r.currency_code]).sort()).toEqual(
      regions.map((r) => [r.name, r.currency_code]).sort(),
    )

    const expectedPrice = { eur: 89, usd: 99 } // Fjord Opal Pendant, Ø25 cm
    for (const region of storeRegions) {
      const list = await products(
        key,
        `&region_id=${region.id}&fields=id,handle,thumbnail,variants.sku,*variants.calculated_price`,
      )
      expect(list.count).toBe(coreldove.catalogue.products.length)
      expect(list.products.every((p) => handlesOf(coreldove).has(p.handle))).toBe(true)
      for (const variant of list.products.flatMap((p) => p.variants)) {
        expect(variant.calculated_price.currency_code).toBe(region.currency_code)
        expect(variant.calculated_price.calculated_amount).toBeGreaterThan(0)
      }
      const fjord = list.products.find((p) => p.handle === 'fjord-opal-pendant')!
      const smallest = fjord.variants.find((v) => v.sku === 'FJORD-OPAL-PENDANT-25-CM')!
      expect(smallest.calculated_price.calculated_amount).toBe(
        expectedPrice[region.currency_code as keyof typeof expectedPrice],
      )
    }
  })

  it("never shows one tenant's products with the other tenant's key", async () => {
    const coreldoveKey = commerce.tenants.coreldove!.publishableKey
    const bizoholicKey = commerce.tenants.bizoholic!.publishableKey

    const bizoholicList = await products(bizoholicKey, '&fields=id,handle')
    expect(bizoholicList.products.map((p) => p.handle).sort()).toEqual([...handlesOf(bizoholic)].sort())
    const coreldoveList = await products(coreldoveKey, '&fields=id,handle')
    expect(coreldoveList.products.some((p) => handlesOf(bizoholic).has(p.handle))).toBe(false)

    // Not by handle, and not by id either.
    expect((await products(bizoholicKey, '&handle=fjord-opal-pendant')).count).toBe(0)
    const lamp = coreldoveList.products[0]!
    expect((await get(`/store/products/${lamp.id}`, bizoholicKey)).status).toBe(404)
    const audit = bizoholicList.products[0]!
    expect((await get(`/store/products/${audit.id}`, coreldoveKey)).status).toBe(404)
  })

  it('serves product images that the seed generated from this server', async () => {
    const { products: list } = await products(commerce.tenants.coreldove!.publishableKey, '&fields=id,thumbnail')
    const thumbnail = new URL(list[0]!.thumbnail!)
    expect(thumbnail.pathname).toMatch(/^\/static\/.+\.png$/)
    const res = await fetch(`${commerce.url}${thumbnail.pathname}`)
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toBe('image/png')
    expect((await res.arrayBuffer()).byteLength).toBeGreaterThan(1000)
  })

  it('refuses store requests without a valid publishable key, saying why', async () => {
    const missing = await get('/store/products')
    expect(missing.status).toBeGreaterThanOrEqual(400)
    expect(missing.status).toBeLessThan(500)
    expect(missing.body.message).toMatch(/publishable api key required/i)

    const invalid = await get('/store/products', 'pk_not_a_real_key')
    expect(invalid.status).toBeGreaterThanOrEqual(400)
    expect(invalid.status).toBeLessThan(500)
    expect(invalid.body.message).toMatch(/valid publishable key/i)
  })

  it('lets the demo admin log in and use the admin API', async () => {
    const login = (password: string) =>
      fetch(`${commerce.url}/auth/user/emailpass`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email: DEMO_SUPER_ADMIN.email, password }),
      })
    expect((await login('wrong-password')).status).toBe(401)

    const res = await login(DEMO_PASSWORD)
    expect(res.status).toBe(200)
    const { token } = (await res.json()) as { token: string }
    const me = await fetch(`${commerce.url}/admin/users/me`, { headers: { authorization: `Bearer ${token}` } })
    expect(me.status).toBe(200)
    expect(((await me.json()) as { user: { email: string } }).user.email).toBe(DEMO_SUPER_ADMIN.email)
  })

  it('serves /metrics in Prometheus text with the store traffic just made, and keeps the request id', async () => {
    const key = commerce.tenants.coreldove!.publishableKey
    const withId = await fetch(`${commerce.url}/store/regions`, {
      headers: { 'x-publishable-api-key': key, 'x-request-id': 'commerce-obs-test-1' },
    })
    expect(withId.status).toBe(200)
    expect(withId.headers.get('x-request-id')).toBe('commerce-obs-test-1')
    const fresh = await fetch(`${commerce.url}/store/regions`, { headers: { 'x-publishable-api-key': key } })
    expect(fresh.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/)

    const product = (await products(key)).products[0]!
    for (let i = 0; i < 2; i++) expect((await get(`/store/products/${product.id}`, key)).status).toBe(200)
    const res = await fetch(`${commerce.url}/metrics`)
    expect(res.status).toBe(200)
    const families = parseMetrics(await res.text())
    const duration = 'http_server_request_duration_seconds'
    expect(histogramCount(families, duration, { route: '/store/products/:id', status_code: '200' })).toBe(2)
    expect(histogramCount(families, duration, { route: '/store/regions', method: 'GET' })).toBeGreaterThanOrEqual(2)
    expect(families.get(`${duration}_count`)!.metrics.some((m) => m.labels?.route?.includes('prod_'))).toBe(false)
    expect(sampleValue(families, 'process_resident_memory_bytes', { service: 'commerce' })).toBeGreaterThan(0)
  })
})
