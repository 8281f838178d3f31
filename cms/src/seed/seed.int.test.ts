import type { CollectionSlug } from 'payload'
import pg from 'pg'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { startTestCms, type TestCms } from '../test/harness.ts'
import { tenants } from './data.ts'
import { seed } from './index.ts'

let cms: TestCms
beforeAll(async () => {
  cms = await startTestCms('seed')
})
afterAll(() => cms?.close())

/** Row counts of every table, versions and join tables included. */
async function tableCounts(url: string): Promise<Record<string, number>> {
  const client = new pg.Client({ connectionString: url })
  await client.connect()
  try {
    const { rows } = await client.query(
      `SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE'`,
    )
    const counts: Record<string, number> = {}
    for (const { table_name } of rows) {
      const r = await client.query(`SELECT count(*)::int AS n FROM "${table_name}"`)
      counts[table_name] = r.rows[0].n
    }
    return counts
  } finally {
    await client.end()
  }
}

it('seeds two tenants with content and one user per role, and a second run changes nothing', async () => {
  const first = await seed(cms.payload)
  expect(first.existing).toEqual({})
  const count = (collection: CollectionSlug) => cms.payload.count({ collection }).then((r) => r.totalDocs)
  expect(await count('tenants')).toBe(2)
  expect(await count('users')).toBe(1 + tenants.reduce((n, t) => n + t.users.length, 0))
  expect(await count('posts')).toBe(tenants.reduce((n, t) => n + t.posts.length, 0))
  expect(await count('pages')).toBe(tenants.reduce((n, t) => n + t.pages.length, 0))
  expect(await count('media')).toBe(tenants.reduce((n, t) => n + t.images.length, 0))

  const before = await tableCounts(cms.db.url)
  const second = await seed(cms.payload)
  expect(second.created).toEqual({})
  expect(await tableCounts(cms.db.url)).toEqual(before)
})

it('gives each tenant its brand, logo and published content', async () => {
  const coreldove = (
    await cms.payload.find({ collection: 'tenants', where: { slug: { equals: 'coreldove' } }, depth: 1 })
  ).docs[0]!
  expect(coreldove.brand?.logo).toMatchObject({ alt: 'CoreLDove logo', mimeType: 'image/png' })
  const home = await cms.payload.find({
    collection: 'pages',
    where: { and: [{ tenant: { equals: coreldove.id } }, { slug: { equals: 'home' } }] },
  })
  expect(home.docs[0]?._status).toBe('published')
  expect(home.docs[0]?.layout.map((b) => b.blockType)).toEqual([
    'hero',
    'richText',
    'featuredProducts',
    'media',
    'callToAction',
  ])
  expect(home.docs[0]?.layout[2]).toMatchObject({ source: 'collection', handle: 'nordic-light', limit: 4 })
  const post = (await cms.payload.find({ collection: 'posts', where: { slug: { equals: 'ceramics-care' } } })).docs[0]!
  expect(JSON.stringify(post.content)).toContain('"type":"heading"')
})

it('checks featured-products blocks: picked products of the page’s own tenant, a valid handle', async () => {
  const tenantId = async (slug: string) =>
    (await cms.payload.find({ collection: 'tenants', where: { slug: { equals: slug } } })).docs[0]!.id as number
  const [coreldove, bizoholic] = [await tenantId('coreldove'), await tenantId('bizoholic')]
  const product = (tenant: number, id: string) =>
    cms.payload.create({
      collection: 'product-content',
      data: { tenant, title: `Product ${id}`, medusaProductId: id, handle: id },
    })
  const own = await product(coreldove, 'prod_featured_own')
  const foreign = await product(bizoholic, 'prod_featured_foreign')
  const page = (block: Record<string, unknown>) =>
    cms.payload.create({
      collection: 'pages',
      data: {
        title: 'Featured',
        slug: `featured-${Math.random().toString(36).slice(2, 8)}`,
        tenant: coreldove,
        layout: [{ blockType: 'featuredProducts', heading: 'Picks', ...block }],
      } as never,
    })
  const pagesBefore = await cms.payload.count({ collection: 'pages' })

  /** The field errors Payload's ValidationError carries. */
  const refused = (block: Record<string, unknown>) =>
    page(block).then(
      () => [],
      (error: { data?: { errors?: { path: string; message: string }[] } }) =>
        (error.data?.errors ?? []).map((e) => `${e.path}: ${e.message}`),
    )
  expect(await refused({ source: 'picked', products: [] })).toEqual([
    'layout.0.products: Pick at least one product, or choose another source.',
  ])
  expect((await refused({ source: 'collection', handle: 'Nordic Light!' }))[0]).toMatch(
    /^layout\.0\.handle: Enter the handle/,
  )
  expect(await refused({ source: 'picked', products: [own.id, foreign.id] })).toEqual([
    'layout.0.products: Pick only products of this page’s shop.',
  ])
  expect((await refused({ source: 'newest', limit: 40 }))[0]).toMatch(/^layout\.0\.limit: /)
  expect(await cms.payload.count({ collection: 'pages' })).toEqual(pagesBefore)

  const ok = await page({ source: 'picked', products: [own.id] })
  expect(ok.layout[0]).toMatchObject({ blockType: 'featuredProducts', source: 'picked' })
  expect((ok.layout[0] as { products: { id: number }[] }).products.map((p) => p.id)).toEqual([own.id])
})

it('with DEMO_SOCIAL=mock (pnpm dev), connects the first tenant to the mock Mastodon and Bluesky and writes a post in each state, once', async () => {
  process.env.DEMO_SOCIAL = 'mock'
  try {
    const report = await seed(cms.payload)
    expect(report.created['social-posts']).toBe(3)
    const bizoholic = (await cms.payload.find({ collection: 'tenants', where: { slug: { equals: 'bizoholic' } } }))
      .docs[0]!
    const connections = await cms.payload.find({
      collection: 'connections',
      where: { tenant: { equals: bizoholic.id } },
      sort: 'connector',
    })
    expect(connections.docs.map((c) => [c.connector, c.status])).toEqual([
      ['bluesky', 'connected'],
      ['mastodon', 'connected'],
    ])
    const posts = await cms.payload.find({
      collection: 'social-posts',
      where: { tenant: { equals: bizoholic.id } },
      sort: 'title',
      depth: 0,
    })
    expect(posts.docs.map((p) => p.status).sort()).toEqual(['awaiting-approval', 'draft', 'scheduled'])
    const scheduled = posts.docs.find((p) => p.status === 'scheduled')!
    expect(scheduled.source?.kind).toBe('post')
    const variants = await cms.payload.find({
      collection: 'social-variants',
      where: { post: { equals: scheduled.id } },
    })
    expect(variants.docs.map((v) => v.platform).sort()).toEqual(['bluesky', 'mastodon'])
    expect(variants.docs[0]?.link).toContain('utm_medium=social')
    // A second run adds nothing.
    expect((await seed(cms.payload)).created).toEqual({})
  } finally {
    delete process.env.DEMO_SOCIAL
  }
})
