/**
 * Users who belong to several tenants (issue #16's takeover): a tenant-admin manages memberships of
 * their own tenants; a user's identity (email, password, name, API key, deletion) belongs to the user,
 * super-admins, and whoever administers every tenant the user is in; service accounts to super-admins.
 * Over REST, GraphQL, the memberships endpoints and the Local API with `overrideAccess: false`.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DEMO_PASSWORD } from '../seed/data.ts'
import { seed } from '../seed/index.ts'
import { startTestCms, type TestCms } from '../test/harness.ts'

type Id = number
type Row = { tenant: Id | { id: Id }; roles: string[] }
type StoredUser = { id: Id; email: string; name?: string | null; tenants?: Row[] | null }

let cms: TestCms
let A: Id // Bizoholic
let B: Id // CoreLDove
const tokens = new Map<string, string>()
const ids = new Map<string, Id>()
const READER_KEY = 'storefront-reader-key-0123456789abcdef'

const user = async (email: string) =>
  (await cms.payload.find({ collection: 'users', where: { email: { equals: email } }, depth: 0 })).docs[0] as unknown as
    | StoredUser
    | undefined
const rowsOf = async (email: string) =>
  Object.fromEntries(
    ((await user(email))?.tenants ?? []).map((r) => [
      String(typeof r.tenant === 'object' ? r.tenant.id : r.tenant),
      [...r.roles].sort(),
    ]),
  )
const owner = () => tokens.get('owner@bizoholic.dev')!
const canSignIn = async (email: string, password: string) =>
  (await cms.rest.post('/users/login', { email, password })).status === 200

async function makeUser(email: string, tenants: Row[], extra: Record<string, unknown> = {}) {
  const doc = await cms.payload.create({
    collection: 'users',
    data: { email, name: email.split('@')[0], password: DEMO_PASSWORD, roles: ['user'], tenants, ...extra } as never,
  })
  ids.set(email, doc.id as Id)
  return doc.id as Id
}

beforeAll(async () => {
  cms = await startTestCms('users_across')
  await seed(cms.payload)
  const tenants = await cms.payload.find({ collection: 'tenants', depth: 0 })
  A = tenants.docs.find((t) => t.slug === 'bizoholic')!.id as Id
  B = tenants.docs.find((t) => t.slug === 'coreldove')!.id as Id
  // The reproduction: client in Bizoholic, tenant-admin in CoreLDove.
  await makeUser('shared@agency.dev', [
    { tenant: A, roles: ['client'] },
    { tenant: B, roles: ['tenant-admin'] },
  ])
  // Administers both tenants, so owns the identity of everyone who is only in them.
  await makeUser('agency-admin@agency.dev', [
    { tenant: A, roles: ['tenant-admin'] },
    { tenant: B, roles: ['tenant-admin'] },
  ])
  await makeUser(
    'storefront@bizosaas.dev',
    [
      { tenant: A, roles: ['client'] },
      { tenant: B, roles: ['client'] },
    ],
    { serviceAccount: true, enableAPIKey: true, apiKey: READER_KEY },
  )
  await makeUser('only-a@bizoholic.dev', [{ tenant: A, roles: ['client'] }])
  for (const email of ['owner@bizoholic.dev', 'shared@agency.dev', 'agency-admin@agency.dev', 'admin@bizosaas.dev'])
    tokens.set(email, await cms.login(email, DEMO_PASSWORD))
  for (const email of ['client@coreldove.dev', 'client@bizoholic.dev', 'owner@bizoholic.dev'])
    ids.set(email, (await user(email))!.id)
})
afterAll(() => cms?.close())

describe('the takeover of a shared user (regression)', () => {
  it("Bizoholic's owner cannot set the password of a CoreLDove admin who is a client in Bizoholic", async () => {
    const id = ids.get('shared@agency.dev')!
    const res = await cms.rest.patch(`/users/${id}`, { password: 'taken-over-123456' }, owner())
    expect(res.status).toBe(403)
    expect(JSON.stringify(res.body)).toMatch(/tenants you do not administer/)
    expect(await canSignIn('shared@agency.dev', 'taken-over-123456')).toBe(false)
    expect(await canSignIn('shared@agency.dev', DEMO_PASSWORD)).toBe(true)
  })

  it.each([
    ['email', { email: 'attacker@evil.dev' }],
    ['name', { name: 'Owned' }],
    ['API key', { enableAPIKey: true, apiKey: 'attacker-chosen-key-0123456789' }],
  ])('nor their %s', async (_field, data) => {
    const id = ids.get('shared@agency.dev')!
    const before = await user('shared@agency.dev')
    const res = await cms.rest.patch(`/users/${id}`, data, owner())
    expect(res.status).toBe(403)
    const after = await user('shared@agency.dev')
    expect([after?.email, after?.name]).toEqual([before?.email, before?.name])
    // A key the owner tried to set does not sign anyone in.
    expect((await fetchWithApiKey('attacker-chosen-key-0123456789')).user).toBeFalsy()
  })

  it('nor over GraphQL, nor through the Local API on their behalf', async () => {
    const id = ids.get('shared@agency.dev')!
    const gql = await cms.graphql(
      `mutation { updateUser(id: ${id}, data: { password: "taken-over-123456" }) { id } }`,
      owner(),
    )
    expect(gql.errors?.[0]?.message).toBeTruthy()
    const ownerDoc = await cms.payload.findByID({ collection: 'users', id: ids.get('owner@bizoholic.dev')!, depth: 0 })
    await expect(
      cms.payload.update({
        collection: 'users',
        id,
        data: { password: 'taken-over-123456' },
        overrideAccess: false,
        user: { ...ownerDoc, collection: 'users' },
      }),
    ).rejects.toThrow()
    expect(await canSignIn('shared@agency.dev', 'taken-over-123456')).toBe(false)
  })

  it('nor delete them (REST, bulk, GraphQL)', async () => {
    const id = ids.get('shared@agency.dev')!
    expect([403, 404]).toContain((await cms.rest.delete(`/users/${id}`, owner())).status)
    const bulk = await cms.rest.delete(`/users?where[id][equals]=${id}`, owner())
    expect(((bulk.body.docs as unknown[]) ?? []).length).toBe(0)
    const gql = await cms.graphql(`mutation { deleteUser(id: ${id}) { id } }`, owner())
    expect(gql.errors?.[0]?.message).toBeTruthy()
    expect(await user('shared@agency.dev')).toBeTruthy()
  })

  it("nor delete or change the storefront's service account (a client in every tenant)", async () => {
    const id = ids.get('storefront@bizosaas.dev')!
    expect([403, 404]).toContain((await cms.rest.delete(`/users/${id}`, owner())).status)
    expect((await cms.rest.patch(`/users/${id}`, { name: 'x' }, owner())).status).toBe(403)
    const demote = await cms.rest.patch(`/users/${id}`, { tenants: [{ tenant: A, roles: ['tenant-admin'] }] }, owner())
    expect(demote.status).toBe(403)
    expect((await cms.rest.delete(`/users/${id}/memberships/${A}`, owner())).status).toBe(403)
    expect(await rowsOf('storefront@bizosaas.dev')).toEqual({ [A]: ['client'], [B]: ['client'] })
    // Its key still reads.
    expect((await fetchWithApiKey(READER_KEY)).user?.email).toBe('storefront@bizosaas.dev')
  })

  it('a super-admin can still change the service account', async () => {
    const id = ids.get('storefront@bizosaas.dev')!
    const res = await cms.rest.patch(`/users/${id}`, { name: 'Storefront reader' }, tokens.get('admin@bizosaas.dev'))
    expect(res.status).toBe(200)
    expect((await user('storefront@bizosaas.dev'))?.name).toBe('Storefront reader')
  })
})

describe('what a tenant-admin sees of members of several tenants', () => {
  it('list, read by id and GraphQL agree, and show only the rows of tenants they administer', async () => {
    const list = await cms.rest.get('/users?limit=500&depth=0', owner())
    expect(list.status).toBe(200)
    const listed = new Set(list.body.docs!.map((u) => u.id as Id))
    const gql = await cms.graphql('{ Users(limit: 500) { docs { id } } }', owner())
    const gqlIds = new Set(((gql.data?.Users as { docs?: { id: Id }[] } | undefined)?.docs ?? []).map((u) => u.id))
    expect([...gqlIds].sort()).toEqual([...listed].sort())
    const everyone = await cms.payload.find({ collection: 'users', pagination: false, depth: 0 })
    for (const u of everyone.docs) {
      const one = await cms.rest.get(`/users/${u.id}?depth=0`, owner())
      expect(one.status === 200, `GET /users/${u.id} (${u.email})`).toBe(listed.has(u.id as Id))
    }
    expect(listed.has(ids.get('shared@agency.dev')!)).toBe(true)
    expect(listed.has(ids.get('client@coreldove.dev')!)).toBe(false)
    for (const doc of list.body.docs!) {
      if (doc.id === ids.get('owner@bizoholic.dev')) continue
      for (const row of (doc.tenants as Row[]) ?? [])
        expect(typeof row.tenant === 'object' ? row.tenant.id : row.tenant).toBe(A)
    }
  })
})

describe('memberships of their own tenants', () => {
  it('changes a shared user’s roles in their tenant and keeps the other tenant’s row', async () => {
    const id = ids.get('shared@agency.dev')!
    const res = await cms.rest.patch(`/users/${id}/memberships/${A}`, { roles: ['manager'] }, owner())
    expect(res.status).toBe(200)
    expect(res.body).toMatchObject({ tenant: A, roles: ['manager'] })
    expect(JSON.stringify(res.body)).not.toContain('tenant-admin')
    expect(await rowsOf('shared@agency.dev')).toEqual({ [A]: ['manager'], [B]: ['tenant-admin'] })
  })

  it('the admin UI’s whole-array PATCH (only the rows it was shown) keeps the hidden rows', async () => {
    const id = ids.get('shared@agency.dev')!
    const res = await cms.rest.patch(`/users/${id}`, { tenants: [{ tenant: A, roles: ['client'] }] }, owner())
    expect(res.status).toBe(200)
    expect(await rowsOf('shared@agency.dev')).toEqual({ [A]: ['client'], [B]: ['tenant-admin'] })
  })

  it('cannot change or remove the row of a tenant they do not administer', async () => {
    const id = ids.get('shared@agency.dev')!
    const res = await cms.rest.patch(
      `/users/${id}`,
      {
        tenants: [
          { tenant: A, roles: ['client'] },
          { tenant: B, roles: ['client'] },
        ],
      },
      owner(),
    )
    expect(res.status).toBe(403)
    expect((await cms.rest.patch(`/users/${id}/memberships/${B}`, { roles: ['client'] }, owner())).status).toBe(403)
    expect((await cms.rest.delete(`/users/${id}/memberships/${B}`, owner())).status).toBe(403)
    expect(await rowsOf('shared@agency.dev')).toEqual({ [A]: ['client'], [B]: ['tenant-admin'] })
  })

  it('removing a user from the last tenant they share is a membership change, not a deletion', async () => {
    const id = ids.get('shared@agency.dev')!
    const res = await cms.rest.delete(`/users/${id}/memberships/${A}`, owner())
    expect(res.status).toBe(200)
    expect(await rowsOf('shared@agency.dev')).toEqual({ [B]: ['tenant-admin'] })
    expect(await canSignIn('shared@agency.dev', DEMO_PASSWORD)).toBe(true)
    // No longer a member of A: out of the owner's sight.
    expect((await cms.rest.get(`/users/${id}`, owner())).status).toBe(404)
  })

  it('adds an existing account from another tenant, seeing only their own tenant’s row', async () => {
    const res = await cms.rest.post(
      '/users/memberships',
      { tenant: A, email: 'Shared@Agency.dev', roles: ['client'] },
      owner(),
    )
    expect(res.status).toBe(200)
    expect(res.body).toMatchObject({ created: false, tenant: A, roles: ['client'] })
    expect(await rowsOf('shared@agency.dev')).toEqual({ [A]: ['client'], [B]: ['tenant-admin'] })
    const again = await cms.rest.post(
      '/users/memberships',
      { tenant: A, email: 'shared@agency.dev', roles: ['client'] },
      owner(),
    )
    expect(again.status).toBe(409)
  })

  it('invites a new person: an account with a membership in their tenant only', async () => {
    const res = await cms.rest.post(
      '/users/memberships',
      { tenant: A, email: 'new.hire@bizoholic.dev', name: 'New Hire', roles: ['manager'] },
      owner(),
    )
    expect(res.status).toBe(201)
    expect(await rowsOf('new.hire@bizoholic.dev')).toEqual({ [A]: ['manager'] })
  })

  it.each([
    ['a tenant they do not administer', () => ({ tenant: B, email: 'x@y.dev', roles: ['client'] }), 403],
    ['a platform account', () => ({ tenant: A, email: 'admin@bizosaas.dev', roles: ['client'] }), 403],
    ['an unknown role', () => ({ tenant: A, email: 'x@y.dev', roles: ['owner'] }), 400],
    ['no roles', () => ({ tenant: A, email: 'x@y.dev', roles: [] }), 400],
    ['a bad email', () => ({ tenant: A, email: 'not-an-email', roles: ['client'] }), 400],
    ['a bad tenant id', () => ({ tenant: 'abc', email: 'x@y.dev', roles: ['client'] }), 400],
  ])('refuses adding to %s with a clear message and writes nothing', async (_what, body, status) => {
    const before = await cms.payload.count({ collection: 'users' })
    const res = await cms.rest.post('/users/memberships', body(), owner())
    expect(res.status).toBe(status)
    expect(JSON.stringify(res.body)).toMatch(/tenant|role|email|platform/i)
    expect((await cms.payload.count({ collection: 'users' })).totalDocs).toBe(before.totalDocs)
  })

  it('answers broken JSON, unknown users and other tenants’ users with a 4xx', async () => {
    const broken = await cms.rest.request('PATCH', `/users/${ids.get('client@bizoholic.dev')}/memberships/${A}`, {
      token: owner(),
      body: new FormData(),
    })
    expect(broken.status).toBeGreaterThanOrEqual(400)
    expect(broken.status).toBeLessThan(500)
    expect((await cms.rest.patch(`/users/999999/memberships/${A}`, { roles: ['client'] }, owner())).status).toBe(404)
    expect(
      (
        await cms.rest.patch(
          `/users/${ids.get('client@coreldove.dev')}/memberships/${A}`,
          { roles: ['client'] },
          owner(),
        )
      ).status,
    ).toBe(404)
    expect((await cms.rest.patch(`/users/1/memberships/nope`, { roles: ['client'] }, owner())).status).toBe(400)
    expect(await rowsOf('client@coreldove.dev')).toEqual({ [B]: ['client'] })
  })
})

describe('identity, for those who own it', () => {
  it('an admin of every tenant the user is in may change their name and password', async () => {
    const id = ids.get('shared@agency.dev')!
    const res = await cms.rest.patch(
      `/users/${id}`,
      { name: 'Shared Person', password: 'new-password-123456' },
      tokens.get('agency-admin@agency.dev'),
    )
    expect(res.status).toBe(200)
    expect(await canSignIn('shared@agency.dev', 'new-password-123456')).toBe(true)
  })

  it('a tenant-admin owns the identity of users who are only in their tenant, and may delete them', async () => {
    const id = ids.get('only-a@bizoholic.dev')!
    expect((await cms.rest.patch(`/users/${id}`, { name: 'Renamed' }, owner())).status).toBe(200)
    expect((await user('only-a@bizoholic.dev'))?.name).toBe('Renamed')
    expect((await cms.rest.delete(`/users/${id}`, owner())).status).toBe(200)
    expect(await user('only-a@bizoholic.dev')).toBeUndefined()
  })

  it('a user changes their own name and password, but not their own roles where they are not an admin', async () => {
    // Their old session ended when the agency admin set a new password (Payload drops sessions then).
    const token = await cms.login('shared@agency.dev', 'new-password-123456')
    const id = ids.get('shared@agency.dev')!
    expect((await cms.rest.patch(`/users/${id}`, { name: 'Me', password: 'my-own-password-1' }, token)).status).toBe(
      200,
    )
    expect(await canSignIn('shared@agency.dev', 'my-own-password-1')).toBe(true)
    const promote = await cms.rest.patch(`/users/${id}/memberships/${A}`, { roles: ['tenant-admin'] }, token)
    expect(promote.status).toBe(403)
    expect((await rowsOf('shared@agency.dev'))[A]).toEqual(['client'])
  })

  it('a tenant-admin cannot unlock an account outside their reach', async () => {
    const id = ids.get('shared@agency.dev')!
    const lockUntil = new Date(Date.now() + 60 * 60 * 1000).toISOString()
    await cms.payload.update({ collection: 'users', id, data: { lockUntil, loginAttempts: 10 } as never })
    await cms.rest.post('/users/unlock', { email: 'shared@agency.dev' }, owner())
    const stored = (await cms.payload.findByID({ collection: 'users', id, depth: 0, showHiddenFields: true })) as {
      lockUntil?: string | null
    }
    expect(stored.lockUntil).toBeTruthy()
    await cms.rest.post('/users/unlock', { email: 'shared@agency.dev' }, tokens.get('agency-admin@agency.dev'))
    const unlocked = (await cms.payload.findByID({ collection: 'users', id, depth: 0, showHiddenFields: true })) as {
      lockUntil?: string | null
    }
    expect(unlocked.lockUntil ?? null).toBeNull()
  })
})

/** `GET /users/me` with `Authorization: users API-Key <key>`. */
async function fetchWithApiKey(key: string): Promise<{ user?: { email?: string } | null }> {
  const { REST_GET } = await import('@payloadcms/next/routes')
  const res = await REST_GET(cms.config)(
    new Request('http://localhost/api/users/me', { headers: { authorization: `users API-Key ${key}` } }),
    { params: Promise.resolve({ slug: ['users', 'me'] }) },
  )
  return (await res.json()) as { user?: { email?: string } | null }
}
