import { readdir } from 'node:fs/promises'
import { seedCommerce } from '@bizosaas/scripts/commerce'
import pg from 'pg'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { seededDatabase, type TestCommerceDatabase } from '../test/harness'
import { commerceTenants } from './tenants'

/** Rows the seed creates, by table (soft-deleted rows excluded). */
const COUNTED = {
  products: 'product',
  variants: 'product_variant',
  regions: 'region',
  salesChannels: 'sales_channel',
  apiKeys: 'api_key',
  stockLocations: 'stock_location',
  inventoryLevels: 'inventory_level',
  shippingOptions: 'shipping_option',
  serviceZones: 'service_zone',
  categories: 'product_category',
  collections: 'product_collection',
  taxRegions: 'tax_region',
  users: '"user"',
} as const

async function counts(url: string): Promise<Record<keyof typeof COUNTED, number>> {
  const client = new pg.Client({ connectionString: url })
  await client.connect()
  try {
    const entries = await Promise.all(
      Object.entries(COUNTED).map(async ([key, table]) => {
        const { rows } = await client.query(`SELECT count(*)::int AS n FROM ${table} WHERE deleted_at IS NULL`)
        return [key, rows[0].n as number] as const
      }),
    )
    return Object.fromEntries(entries) as Record<keyof typeof COUNTED, number>
  } finally {
    await client.end()
  }
}

describe('commerce seed', () => {
  let target: TestCommerceDatabase

  beforeAll(async () => {
    target = await seededDatabase('seed')
  })
  afterAll(async () => {
    await target?.db.drop()
  })

  it('seeds regions, tenants and their catalogues', async () => {
    const seeded = await counts(target.db.url)
    const products = commerceTenants.reduce((n, tenant) => n + tenant.catalogue.products.length, 0)
    expect(seeded).toMatchObject({
      products,
      regions: 2,
      // Medusa's default channel and key, plus one of each per tenant.
      salesChannels: 1 + commerceTenants.length,
      apiKeys: 1 + commerceTenants.length,
      stockLocations: commerceTenants.length,
      categories: 4,
      collections: 2,
      taxRegions: 14,
      users: 1,
    })
    expect(seeded.inventoryLevels).toBeGreaterThan(40)
  })

  it('is idempotent: a second run creates nothing and says so', async () => {
    const before = await counts(target.db.url)
    const uploadDir = target.env.COMMERCE_UPLOAD_DIR!
    const imagesBefore = (await readdir(uploadDir)).length

    const output = await seedCommerce({ env: target.env, output: 'pipe' })

    expect(output).toContain('nothing to do: everything was already seeded')
    expect(output).not.toContain('[seed] created')
    expect(await counts(target.db.url)).toEqual(before)
    expect((await readdir(uploadDir)).length).toBe(imagesBefore)
  })
})
