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
  expect(home.docs[0]?.layout.map((b) => b.blockType)).toEqual(['hero', 'richText', 'media', 'callToAction'])
  const post = (await cms.payload.find({ collection: 'posts', where: { slug: { equals: 'ceramics-care' } } })).docs[0]!
  expect(JSON.stringify(post.content)).toContain('"type":"heading"')
})
