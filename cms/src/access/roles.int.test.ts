/** What each role may do inside its own tenant. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DEMO_PASSWORD } from '../seed/data.ts'
import { seed } from '../seed/index.ts'
import { startTestCms, type TestCms } from '../test/harness.ts'
import { lexicalParagraphs } from '../test/lexical.ts'

let cms: TestCms
let tenantA: number | string
const token = new Map<string, string>()

beforeAll(async () => {
  cms = await startTestCms('roles')
  await seed(cms.payload)
  tenantA = (await cms.payload.find({ collection: 'tenants', where: { slug: { equals: 'bizoholic' } } })).docs[0]!.id
  for (const who of ['owner', 'manager', 'client'])
    token.set(who, await cms.login(`${who}@bizoholic.dev`, DEMO_PASSWORD))
})
afterAll(() => cms?.close())

const ownPost = async () =>
  (await cms.payload.find({ collection: 'posts', where: { tenant: { equals: tenantA } }, limit: 1, depth: 0 })).docs[0]!

describe('content', () => {
  it('a client reads but cannot create, edit or delete', async () => {
    const post = await ownPost()
    expect((await cms.rest.get(`/posts/${post.id}`, token.get('client'))).status).toBe(200)
    const created = await cms.rest.post(
      '/posts',
      { title: 'Nope', tenant: tenantA, content: lexicalParagraphs('x') },
      token.get('client'),
    )
    expect(created.status).toBe(403)
    expect((await cms.rest.patch(`/posts/${post.id}`, { title: 'Nope' }, token.get('client'))).status).toBe(403)
    expect((await cms.rest.delete(`/posts/${post.id}`, token.get('client'))).status).toBe(403)
    expect((await cms.payload.findByID({ collection: 'posts', id: post.id })).title).toBe(post.title)
  })

  it('a manager creates and edits posts in their tenant', async () => {
    const created = await cms.rest.post(
      '/posts',
      { title: 'Spring Campaign Ideas!', tenant: tenantA, content: lexicalParagraphs('Ideas.'), _status: 'published' },
      token.get('manager'),
    )
    expect(created.status).toBe(201)
    const doc = (created.body as { doc: { id: number; slug: string; publishedAt: string } }).doc
    expect(doc.slug).toBe('spring-campaign-ideas')
    expect(doc.publishedAt).toBeTruthy()
    const edited = await cms.rest.patch(`/posts/${doc.id}`, { title: 'Spring campaign' }, token.get('manager'))
    expect(edited.status).toBe(200)
  })

  it('refuses a duplicate slug within a tenant with a clear 400, not a 500', async () => {
    const res = await cms.rest.post(
      '/categories',
      { title: 'SEO again', slug: 'seo', tenant: tenantA },
      token.get('manager'),
    )
    expect(res.status).toBe(400)
    expect(JSON.stringify(res.body)).toMatch(/slug/i)
  })

  it('refuses a malformed slug and an over-long meta title with field errors', async () => {
    const post = await ownPost()
    const res = await cms.rest.patch(
      `/posts/${post.id}`,
      { slug: 'Not A Slug!!', seo: { metaTitle: 'x'.repeat(61) } },
      token.get('manager'),
    )
    // The slug is normalised rather than refused; the meta title is refused.
    expect(res.status).toBe(400)
    expect(JSON.stringify(res.body)).toMatch(/60 characters/)
  })

  it('media without alt text is refused', async () => {
    const form = new FormData()
    form.append('_payload', JSON.stringify({ tenant: tenantA }))
    form.append('file', new Blob([new Uint8Array(8)], { type: 'image/png' }), 'x.png')
    const res = await cms.rest.request('POST', '/media', { token: token.get('manager'), body: form })
    expect(res.status).toBe(400)
  })

  it('anonymous requests read nothing', async () => {
    const res = await cms.rest.get('/posts')
    expect(res.status).toBe(403)
  })
})

describe('users', () => {
  it('a manager cannot manage users', async () => {
    const created = await cms.rest.post(
      '/users',
      { email: 'new@bizoholic.dev', password: 'a-long-password', tenants: [{ tenant: tenantA, roles: ['client'] }] },
      token.get('manager'),
    )
    expect(created.status).toBe(403)
    const client = (
      await cms.payload.find({ collection: 'users', where: { email: { equals: 'client@bizoholic.dev' } } })
    ).docs[0]!
    expect([403, 404]).toContain(
      (await cms.rest.patch(`/users/${client.id}`, { name: 'x' }, token.get('manager'))).status,
    )
    expect([403, 404]).toContain((await cms.rest.delete(`/users/${client.id}`, token.get('manager'))).status)
    const list = await cms.rest.get('/users', token.get('manager'))
    expect(list.body.docs!.map((u) => u.email)).toEqual(['manager@bizoholic.dev'])
  })

  it('a tenant-admin adds a user to their tenant and changes their role', async () => {
    const created = await cms.rest.post(
      '/users',
      { email: 'editor@bizoholic.dev', password: 'a-long-password', tenants: [{ tenant: tenantA, roles: ['client'] }] },
      token.get('owner'),
    )
    expect(created.status).toBe(201)
    const id = (created.body as { doc: { id: number } }).doc.id
    const promoted = await cms.rest.patch(
      `/users/${id}`,
      { tenants: [{ tenant: tenantA, roles: ['manager'] }] },
      token.get('owner'),
    )
    expect(promoted.status).toBe(200)
    const stored = await cms.payload.findByID({ collection: 'users', id, depth: 0 })
    expect(stored.tenants?.[0]?.roles).toEqual(['manager'])
  })

  it('nobody but a super-admin can grant super-admin', async () => {
    const self = (await cms.payload.find({ collection: 'users', where: { email: { equals: 'owner@bizoholic.dev' } } }))
      .docs[0]!
    await cms.rest.patch(`/users/${self.id}`, { roles: ['super-admin'] }, token.get('owner'))
    expect((await cms.payload.findByID({ collection: 'users', id: self.id })).roles).toEqual(['user'])
  })

  it('a client cannot give themselves more tenant roles', async () => {
    const self = (await cms.payload.find({ collection: 'users', where: { email: { equals: 'client@bizoholic.dev' } } }))
      .docs[0]!
    await cms.rest.patch(
      `/users/${self.id}`,
      { tenants: [{ tenant: tenantA, roles: ['tenant-admin'] }] },
      token.get('client'),
    )
    expect((await cms.payload.findByID({ collection: 'users', id: self.id, depth: 0 })).tenants?.[0]?.roles).toEqual([
      'client',
    ])
  })

  it('never shows another user’s sessions, e.g. on a populated post author', async () => {
    const post = await ownPost()
    const manager = (
      await cms.payload.find({ collection: 'users', where: { email: { equals: 'manager@bizoholic.dev' } } })
    ).docs[0]!
    await cms.payload.update({ collection: 'posts', id: post.id, data: { author: manager.id } })
    // The tenant-admin may read the manager's account, so the author is populated, without sessions.
    const res = await cms.rest.get(`/posts/${post.id}?depth=1`, token.get('owner'))
    const author = (res.body as { author?: Record<string, unknown> }).author
    expect(author?.email).toBe('manager@bizoholic.dev')
    expect(author).not.toHaveProperty('sessions')
    // The account owner still sees their own.
    const me = await cms.rest.get('/users/me', token.get('manager'))
    expect((me.body as { user: Record<string, unknown> }).user).toHaveProperty('sessions')
  })

  it('a tenant-admin cannot edit a super-admin', async () => {
    const admin = (await cms.payload.find({ collection: 'users', where: { email: { equals: 'admin@bizosaas.dev' } } }))
      .docs[0]!
    const res = await cms.rest.patch(`/users/${admin.id}`, { name: 'x' }, token.get('owner'))
    expect([403, 404]).toContain(res.status)
  })
})

describe('tenants', () => {
  it('a tenant-admin renames their tenant; a manager cannot; nobody but a super-admin creates one', async () => {
    expect((await cms.rest.patch(`/tenants/${tenantA}`, { name: 'Bizoholic Agency' }, token.get('owner'))).status).toBe(
      200,
    )
    expect((await cms.rest.patch(`/tenants/${tenantA}`, { name: 'Hacked' }, token.get('manager'))).status).toBe(403)
    expect((await cms.rest.post('/tenants', { name: 'New', slug: 'new' }, token.get('owner'))).status).toBe(403)
    expect((await cms.payload.findByID({ collection: 'tenants', id: tenantA })).name).toBe('Bizoholic Agency')
  })

  it('a tenant-admin cannot rewire the tenant’s commerce link', async () => {
    await cms.rest.patch(`/tenants/${tenantA}`, { commerce: { salesChannelId: 'sc_evil' } }, token.get('owner'))
    expect(
      (await cms.payload.findByID({ collection: 'tenants', id: tenantA })).commerce?.salesChannelId ?? null,
    ).toBeNull()
  })

  it('rejects an invalid domain and brand colour with field errors', async () => {
    const res = await cms.rest.patch(
      `/tenants/${tenantA}`,
      { domains: [{ domain: 'not a domain' }], brand: { primaryColor: 'blue' } },
      token.get('owner'),
    )
    expect(res.status).toBe(400)
    const text = JSON.stringify(res.body)
    expect(text).toMatch(/host name/)
    expect(text).toMatch(/hex colour/)
  })
})
