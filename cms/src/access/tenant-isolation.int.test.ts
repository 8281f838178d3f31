/**
 * Tenant isolation, table-driven over every tenant-owned collection: users of tenant A (each role)
 * try to list, read, create, update and delete tenant B's documents over REST and GraphQL.
 */
import { AGENT_COLLECTIONS } from '@bizosaas/plugin-agents'
import type { CollectionSlug } from 'payload'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DEMO_PASSWORD } from '../seed/data.ts'
import { seed } from '../seed/index.ts'
import { startTestCms, type TestCms } from '../test/harness.ts'

type Id = number | string

/** What Payload answers when access control refuses (as opposed to a malformed query). */
const REFUSED = /not allowed|not found/i

/** Every collection the multi-tenant plugin scopes. Adding one to the plugin without adding it here fails below. */
const TENANT_OWNED = ['pages', 'posts', 'categories', 'media', 'product-content', 'product-reviews'] as const
const ACTORS = ['owner@bizoholic.dev', 'manager@bizoholic.dev', 'client@bizoholic.dev'] as const

let cms: TestCms
let tenantA: Id
let tenantB: Id
const tokens = new Map<string, string>()
/** One document of tenant B per collection, the target of every attack. */
const victims = new Map<string, Record<string, unknown>>()

beforeAll(async () => {
  cms = await startTestCms('isolation')
  await seed(cms.payload)
  const tenants = await cms.payload.find({ collection: 'tenants', depth: 0 })
  tenantA = tenants.docs.find((t) => t.slug === 'bizoholic')!.id
  tenantB = tenants.docs.find((t) => t.slug === 'coreldove')!.id
  for (const email of ACTORS) tokens.set(email, await cms.login(email, DEMO_PASSWORD))
  // Product content comes from Medusa through the sync (none runs here), reviews from shoppers: one of each per tenant.
  for (const [tenant, name] of [
    [tenantA, 'a'],
    [tenantB, 'b'],
  ] as const) {
    const product = await cms.payload.create({
      collection: 'product-content',
      data: { tenant, title: `Lamp ${name}`, medusaProductId: `prod_${name}`, handle: `lamp-${name}` },
    })
    await cms.payload.create({
      collection: 'product-reviews',
      data: { tenant, product: product.id, kind: 'review', rating: 4, authorName: `Shopper ${name}`, body: 'Lovely.' },
    })
  }
  for (const slug of TENANT_OWNED) {
    const found = await cms.payload.find({
      collection: slug,
      where: { tenant: { equals: tenantB } },
      depth: 0,
      limit: 1,
    })
    victims.set(slug, found.docs[0] as unknown as Record<string, unknown>)
  }
})

afterAll(() => cms?.close())

const tenantOf = (doc: Record<string, unknown>) => {
  const t = doc.tenant as Id | { id: Id }
  return typeof t === 'object' ? t.id : t
}

/** The document as the database has it, bypassing access control. */
const stored = (slug: string, id: Id) =>
  cms.payload.findByID({ collection: slug as CollectionSlug, id, depth: 0, draft: true, disableErrors: true })

it('covers every collection the multi-tenant plugin scopes', () => {
  const scoped = cms.config.collections
    .filter((c) => c.fields.some((f) => 'name' in f && f.name === 'tenant' && f.type === 'relationship'))
    .map((c) => c.slug)
  // The agents plugin's collections are written by the server only; their isolation (REST, GraphQL,
  // SSE) is tested with real runs in plugins/example-agent/src/index.int.test.ts; `integrations`
  // (tenant-admins only, write-only secrets) in plugins/vault/src/vault.int.test.ts; `audit-log`
  // (scoped by its own read access, not by the multi-tenant plugin: tenant-admins read their tenants'
  // entries, entries without a tenant are super-admin only, nobody writes over any API) in
  // plugins/audit-log/src/audit-log.int.test.ts.
  expect([...scoped].sort()).toEqual([...TENANT_OWNED, ...AGENT_COLLECTIONS, 'integrations', 'audit-log'].sort())
})

describe.each(TENANT_OWNED)('%s', (slug) => {
  // Payload's GraphQL names: singular and plural labels in PascalCase (`allX` when they coincide).
  const gql = () =>
    ({
      pages: { singular: 'Page', plural: 'Pages' },
      posts: { singular: 'Post', plural: 'Posts' },
      categories: { singular: 'Category', plural: 'Categories' },
      media: { singular: 'Media', plural: 'allMedia' },
      'product-content': { singular: 'ProductContent', plural: 'ProductContents' },
      'product-reviews': { singular: 'ProductReview', plural: 'ProductReviews' },
    })[slug]

  describe.each(ACTORS)('as %s (tenant A)', (actor) => {
    const token = () => tokens.get(actor)!
    const victim = () => victims.get(slug)!

    it('REST list shows only tenant A documents', async () => {
      const res = await cms.rest.get(`/${slug}?limit=100&depth=0&draft=true`, token())
      expect(res.status).toBe(200)
      expect(res.body.docs!.length).toBeGreaterThan(0)
      for (const doc of res.body.docs!) expect(tenantOf(doc)).toBe(tenantA)
    })

    it('REST list filtered to tenant B returns nothing', async () => {
      const res = await cms.rest.get(`/${slug}?where[tenant][equals]=${tenantB}&depth=0`, token())
      expect(res.status).toBe(200)
      expect(res.body.docs).toEqual([])
    })

    it('REST read of a tenant B document is refused', async () => {
      const res = await cms.rest.get(`/${slug}/${victim().id}?depth=0`, token())
      expect([403, 404]).toContain(res.status)
      expect(JSON.stringify(res.body)).not.toContain(String(victim().createdAt))
    })

    it('document access (what the admin edit view asks) answers for A documents and refuses B', async () => {
      const own = await cms.payload.find({
        collection: slug,
        where: { tenant: { equals: tenantA } },
        depth: 0,
        limit: 1,
      })
      const mine = await cms.rest.post(`/${slug}/access/${own.docs[0]!.id}`, {}, token())
      expect(mine.status).toBe(200)
      expect((mine.body as { read?: unknown }).read).toBeTruthy()
      const theirs = await cms.rest.post(`/${slug}/access/${victim().id}`, {}, token())
      expect(theirs.status).toBe(200)
      expect((theirs.body as { read?: unknown }).read).toBeFalsy()
    })

    if (slug === 'pages' || slug === 'posts')
      it('REST versions list and read show only tenant A versions', async () => {
        const res = await cms.rest.get(`/${slug}/versions?limit=100&depth=0`, token())
        expect(res.status).toBe(200)
        expect(res.body.docs!.length).toBeGreaterThan(0)
        for (const doc of res.body.docs!) expect(tenantOf(doc.version as Record<string, unknown>)).toBe(tenantA)
        const theirs = await cms.payload.findVersions({
          collection: slug,
          where: { parent: { equals: victim().id } },
          limit: 1,
          depth: 0,
        })
        const read = await cms.rest.get(`/${slug}/versions/${theirs.docs[0]!.id}?depth=0`, token())
        expect([403, 404]).toContain(read.status)
      })

    it('REST create in tenant B is refused with 403 and writes nothing', async () => {
      const before = await cms.payload.count({ collection: slug, where: { tenant: { equals: tenantB } } })
      let res: Awaited<ReturnType<typeof cms.rest.post>>
      if (slug === 'media') {
        const form = new FormData()
        form.append('_payload', JSON.stringify({ alt: 'intruder', tenant: tenantB }))
        form.append('file', new Blob([pngPixel() as BlobPart], { type: 'image/png' }), 'intruder.png')
        res = await cms.rest.request('POST', `/${slug}`, { token: token(), body: form })
      } else {
        res = await cms.rest.post(`/${slug}`, createData(slug, tenantB), token())
      }
      expect(res.status).toBe(403)
      const after = await cms.payload.count({ collection: slug, where: { tenant: { equals: tenantB } } })
      expect(after.totalDocs).toBe(before.totalDocs)
    })

    it('REST update of a tenant B document is refused and changes nothing', async () => {
      const field = titleField(slug)
      const res = await cms.rest.patch(`/${slug}/${victim().id}`, { [field]: 'hijacked' }, token())
      expect([403, 404]).toContain(res.status)
      expect((await stored(slug, victim().id as Id))?.[field as never]).toBe(victim()[field])
    })

    it('REST delete of a tenant B document is refused and keeps it', async () => {
      const res = await cms.rest.delete(`/${slug}/${victim().id}`, token())
      expect([403, 404]).toContain(res.status)
      expect(await stored(slug, victim().id as Id)).toBeTruthy()
    })

    it('REST bulk update and delete by query do not reach tenant B', async () => {
      const field = titleField(slug)
      const where = `where[id][equals]=${victim().id}`
      const upd = await cms.rest.patch(`/${slug}?${where}`, { [field]: 'hijacked' }, token())
      expect(((upd.body.docs as unknown[]) ?? []).length).toBe(0)
      const del = await cms.rest.delete(`/${slug}?${where}`, token())
      expect(((del.body.docs as unknown[]) ?? []).length).toBe(0)
      const doc = await stored(slug, victim().id as Id)
      expect(doc?.[field as never]).toBe(victim()[field])
    })

    it('GraphQL list and read do not return tenant B documents', async () => {
      const { singular, plural } = gql()
      const list = await cms.graphql(`{ ${plural}(limit: 100, draft: true) { docs { id tenant { id } } } }`, token())
      expect(list.errors).toBeUndefined()
      const docs = (list.data?.[plural] as { docs: { id: Id; tenant: { id: Id } }[] } | undefined)?.docs ?? []
      expect(docs.length).toBeGreaterThan(0)
      for (const doc of docs) expect(doc.tenant.id).toBe(tenantA)
      expect(docs.map((d) => d.id)).not.toContain(victim().id)

      const one = await cms.graphql(`{ ${singular}(id: ${JSON.stringify(victim().id)}) { id } }`, token())
      expect(one.data?.[singular] ?? null).toBeNull()
      expect(one.errors?.[0]?.message).toMatch(REFUSED)
    })

    it('GraphQL update and delete of a tenant B document fail and change nothing', async () => {
      const { singular } = gql()
      const field = titleField(slug)
      const id = JSON.stringify(victim().id)
      const upd = await cms.graphql(
        `mutation { update${singular}(id: ${id}, data: { ${field}: "hijacked" }) { id } }`,
        token(),
      )
      expect(upd.errors?.[0]?.message).toMatch(REFUSED)
      const del = await cms.graphql(`mutation { delete${singular}(id: ${id}) { id } }`, token())
      expect(del.errors?.[0]?.message).toMatch(REFUSED)
      const doc = await stored(slug, victim().id as Id)
      expect(doc?.[field as never]).toBe(victim()[field])
    })

    if (slug !== 'media')
      it('GraphQL create in tenant B fails and writes nothing', async () => {
        const { singular } = gql()
        const before = await cms.payload.count({ collection: slug, where: { tenant: { equals: tenantB } } })
        const res = await cms.graphql(
          `mutation Create($data: mutation${singular}Input!) { create${singular}(data: $data) { id } }`,
          token(),
          { data: createData(slug, tenantB) },
        )
        expect(res.errors?.[0]?.message).toMatch(REFUSED)
        const after = await cms.payload.count({ collection: slug, where: { tenant: { equals: tenantB } } })
        expect(after.totalDocs).toBe(before.totalDocs)
      })
  })

  it('an editor of tenant A cannot move an A document into tenant B', async () => {
    const own = await cms.payload.find({ collection: slug, where: { tenant: { equals: tenantA } }, depth: 0, limit: 1 })
    const doc = own.docs[0]!
    const res = await cms.rest.patch(`/${slug}/${doc.id}`, { tenant: tenantB }, tokens.get('manager@bizoholic.dev'))
    expect(res.status).toBe(403)
    expect(tenantOf((await stored(slug, doc.id)) as unknown as Record<string, unknown>)).toBe(tenantA)
  })
})

describe('tenants and users', () => {
  it('a tenant A user cannot see or change tenant B', async () => {
    for (const actor of ACTORS) {
      const list = await cms.rest.get('/tenants?depth=0', tokens.get(actor))
      expect(list.body.docs!.map((t) => t.id)).toEqual([tenantA])
      expect([403, 404]).toContain((await cms.rest.get(`/tenants/${tenantB}`, tokens.get(actor))).status)
      expect([403, 404]).toContain(
        (await cms.rest.patch(`/tenants/${tenantB}`, { name: 'x' }, tokens.get(actor))).status,
      )
      expect([403, 404]).toContain((await cms.rest.delete(`/tenants/${tenantB}`, tokens.get(actor))).status)
    }
    expect((await cms.payload.findByID({ collection: 'tenants', id: tenantB })).name).toBe('CoreLDove')
  })

  it('a tenant-admin of A does not see, edit or delete tenant B users', async () => {
    const token = tokens.get('owner@bizoholic.dev')
    const list = await cms.rest.get('/users?limit=100&depth=0', token)
    const emails = list.body.docs!.map((u) => u.email)
    expect(emails).toContain('client@bizoholic.dev')
    expect(emails.some((e) => String(e).endsWith('@coreldove.dev'))).toBe(false)
    expect(emails).not.toContain('admin@bizosaas.dev')

    const victim = (
      await cms.payload.find({ collection: 'users', where: { email: { equals: 'client@coreldove.dev' } } })
    ).docs[0]!
    expect([403, 404]).toContain((await cms.rest.patch(`/users/${victim.id}`, { name: 'x' }, token)).status)
    expect([403, 404]).toContain((await cms.rest.delete(`/users/${victim.id}`, token)).status)
    const gqlList = await cms.graphql('{ Users(limit: 100) { docs { email } } }', token)
    const gqlEmails = ((gqlList.data?.Users as { docs: { email: string }[] } | undefined)?.docs ?? []).map(
      (u) => u.email,
    )
    expect(gqlEmails).toContain('client@bizoholic.dev')
    expect(gqlEmails.some((e) => e.endsWith('@coreldove.dev'))).toBe(false)
  })

  it('a tenant-admin of A cannot grant anyone a role in tenant B', async () => {
    const token = tokens.get('owner@bizoholic.dev')
    const res = await cms.rest.post(
      '/users',
      {
        email: 'sneaky@example.com',
        password: 'a-long-password',
        tenants: [{ tenant: tenantB, roles: ['tenant-admin'] }],
      },
      token,
    )
    expect(res.status).toBe(403)
    const found = await cms.payload.find({ collection: 'users', where: { email: { equals: 'sneaky@example.com' } } })
    expect(found.totalDocs).toBe(0)
  })
})

function titleField(slug: string): string {
  return slug === 'media' ? 'alt' : slug === 'product-reviews' ? 'authorName' : 'title'
}

function createData(slug: string, tenant: Id): Record<string, unknown> {
  if (slug === 'product-content') return { tenant, title: 'Intruder', medusaProductId: 'prod_intruder' }
  if (slug === 'product-reviews')
    return { tenant, product: victims.get('product-content')!.id, kind: 'question', authorName: 'Intruder', body: 'Hi' }
  const base = { tenant, title: `Intruder ${slug}`, slug: `intruder-${slug}` }
  if (slug === 'pages') return { ...base, layout: [{ blockType: 'hero', heading: 'x' }] }
  if (slug === 'posts')
    return {
      ...base,
      content: { root: { type: 'root', version: 1, direction: null, format: '', indent: 0, children: [] } },
    }
  return base
}

/** A valid 1×1 PNG. */
function pngPixel(): Uint8Array {
  return Uint8Array.from(
    atob('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg=='),
    (c) => c.charCodeAt(0),
  )
}
