/**
 * Tenant isolation, table-driven: every actor (each role, anonymous, users with roles in several
 * tenants, API-key users) × every collection scoped to a tenant (plus `tenants`; `users` read-only
 * here) × every operation (list, read, document access, create, update, delete, bulk update and
 * delete by query, versions) over REST and GraphQL, against a document in each of three tenants.
 * Each actor may do exactly what its role in that tenant allows, and nothing in the others.
 * The custom endpoints are attacked in endpoint-isolation.int.test.ts.
 */
import { type CollectionSlug, formatNames } from 'payload'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  ACTORS,
  type Actor,
  type Doc,
  grantOf,
  newTag,
  PNG_PIXEL,
  type Rule,
  rule,
  startIsolationWorld,
  TENANT_KEYS,
  type TenantKey,
  type World,
} from './isolation-fixture.ts'

/** What Payload answers when access control refuses (as opposed to a malformed query). */
const REFUSED = /not allowed|not found|unauthorized/i
const REFUSED_STATUS = [401, 403, 404]

interface CollectionCase {
  /** Who may read, create, update and delete a document of a tenant, by their grant there. */
  read: Rule
  create: Rule
  update: Rule
  delete: Rule
  /** A field every caller may be refused or allowed to change; numbers are marked with numbers. */
  field: string
  numeric?: boolean
  versions?: boolean
  upload?: boolean
  /** GraphQL enums name values without dots (`run.finished` → `run_finished`): the GraphQL form of `dataFor`. */
  graphQLData?: (data: Record<string, unknown>) => Record<string, unknown>
  /** GraphQL names when the collection sets its own; `mutations: false` when it has none. */
  graphQL?: { singular: string; plural: string; mutations?: false }
}

const content = { read: rule.member, create: rule.editor, update: rule.editor, delete: rule.editor }
const serverWritten = { read: rule.member, create: rule.superOnly, update: rule.superOnly, delete: rule.superOnly }

/**
 * One entry per collection with a `tenant` relationship, plus `tenants`. A collection added without an
 * entry fails the coverage test below.
 */
const COLLECTIONS: Record<string, CollectionCase> = {
  pages: { ...content, field: 'title', versions: true },
  posts: { ...content, field: 'title', versions: true },
  categories: { ...content, field: 'title' },
  media: { ...content, field: 'alt', upload: true },
  // Follows Medusa: the sync creates and deletes; editors change the texts.
  'product-content': { ...content, create: rule.superOnly, delete: rule.superOnly, field: 'title' },
  'product-reviews': { ...content, field: 'authorName' },
  // Outgoing webhooks: tenant-admins change endpoints, managers read them; deliveries are written only
  // by the delivery worker and read like the endpoints.
  'webhook-endpoints': {
    read: rule.editor,
    create: rule.admin,
    update: rule.admin,
    delete: rule.admin,
    field: 'description',
    graphQLData: (data) => ({ ...data, events: (data.events as string[]).map((e) => e.replace('.', '_')) }),
  },
  'webhook-deliveries': {
    read: rule.editor,
    create: rule.nobody,
    update: rule.nobody,
    delete: rule.nobody,
    field: 'eventType',
  },
  // A tenant's accounts at outside services and its own OAuth apps: members read them (status, client
  // id, never a secret); only the connectors' endpoints and runtime write them, so no API does.
  connections: { read: rule.member, create: rule.nobody, update: rule.nobody, delete: rule.nobody, field: 'name' },
  'connector-apps': {
    read: rule.member,
    create: rule.nobody,
    update: rule.nobody,
    delete: rule.nobody,
    field: 'clientId',
  },
  // Written by the agents runtime; members read them.
  'agent-runs': { ...serverWritten, field: 'model' },
  'agent-steps': { ...serverWritten, field: 'name' },
  approvals: { ...serverWritten, field: 'feedback' },
  'agent-settings': {
    read: rule.member,
    create: rule.admin,
    update: rule.admin,
    delete: rule.admin,
    field: 'monthlyBudgetUsd',
    numeric: true,
  },
  // Append-only: tenant-admins read their tenants' entries (platform-level ones are super-admins'),
  // nobody writes over any API, and GraphQL has no mutations for it.
  'audit-log': {
    read: rule.admin,
    create: rule.nobody,
    update: rule.nobody,
    delete: rule.nobody,
    field: 'action',
    graphQL: { singular: 'AuditEntry', plural: 'AuditEntries', mutations: false },
  },
  // Social (@bizosaas/plugin-social): members read; managers and admins write posts and their variants
  // (status fields read-only); only POST /api/social/accounts adds an account (it asks the platform),
  // tenant-admins rename, switch off and remove them.
  'social-accounts': { read: rule.member, create: rule.nobody, update: rule.admin, delete: rule.admin, field: 'name' },
  'social-posts': { ...content, field: 'title' },
  'social-variants': { ...content, field: 'text' },
  // The tenant itself: members read it, its admins edit it, only platform admins make and remove tenants.
  tenants: { read: rule.member, create: rule.superOnly, update: rule.admin, delete: rule.superOnly, field: 'name' },
}

/** Collections covered elsewhere in this file, with the reason. */
const OTHER_CASES = {
  // Membership and identity rules (update, delete) have their own suite; here: who sees whom.
  users: 'list and read by id only (see "users" below)',
  // Hidden: no REST for anyone, no GraphQL at all (see "connector-oauth-states" below).
  'connector-oauth-states': 'refused to every actor over REST, absent from GraphQL',
}

let world: World
/** The document of each tenant every actor reads and attacks, per collection. */
const targets = new Map<string, Record<TenantKey, Doc>>()
let marks = 0

beforeAll(async () => {
  world = await startIsolationWorld('isolation')
  for (const slug of Object.keys(COLLECTIONS)) {
    const docs = {} as Record<TenantKey, Doc>
    for (const key of TENANT_KEYS) {
      if (slug === 'tenants') {
        docs[key] = (await world.stored('tenants', world.tenants[key]))!
        continue
      }
      const found = await world.payload.find({
        collection: slug as CollectionSlug,
        where: { tenant: { equals: world.tenants[key] } },
        depth: 0,
        limit: 1,
      })
      docs[key] = (found.docs[0] as unknown as Doc | undefined) ?? (await world.make(slug, key))
    }
    targets.set(slug, docs)
  }
})

afterAll(() => world?.close())

it('covers every collection scoped to a tenant, plus tenants and users', () => {
  const scoped = world.cms.config.collections
    .filter((c) => c.fields.some((f) => 'name' in f && f.name === 'tenant' && f.type === 'relationship'))
    .map((c) => c.slug)
  expect([...Object.keys(COLLECTIONS), ...Object.keys(OTHER_CASES)].sort()).toEqual(
    [...new Set([...scoped, 'tenants', 'users'])].sort(),
  )
})

it('connector-oauth-states: a started OAuth flow is out of every actor’s reach over REST, and GraphQL has no such type', async () => {
  const states: Record<TenantKey, Doc> = {} as Record<TenantKey, Doc>
  for (const key of TENANT_KEYS)
    states[key] = (await world.payload.create({
      collection: 'connector-oauth-states' as CollectionSlug,
      data: {
        stateHash: `isolation-${key}-${Date.now()}`,
        user: (await world.payload.find({ collection: 'users', limit: 1, depth: 0 })).docs[0]!.id,
        tenant: world.tenants[key],
        connector: 'isolation-probe',
        redirectUri: 'http://portal.test/oauth/callback',
        verifierCiphertext: 'sealed',
        verifierKeyId: 'dev',
        app: 'platform',
        expiresAt: new Date(Date.now() + 600_000).toISOString(),
      } as never,
    })) as unknown as Doc
  for (const actor of ACTORS) {
    const list = await world.rest('GET', '/connector-oauth-states?depth=0', actor)
    expect(REFUSED_STATUS, `${actor.name} list`).toContain(list.status)
    for (const key of TENANT_KEYS) {
      const id = states[key].id
      for (const [method, body] of [
        ['GET', undefined],
        ['PATCH', { redirectUri: 'http://evil.test/cb' }],
        ['DELETE', undefined],
      ] as const) {
        const res = await world.rest(method, `/connector-oauth-states/${id}`, actor, body)
        expect(REFUSED_STATUS, `${actor.name} ${method} ${key}`).toContain(res.status)
      }
    }
    const created = await world.rest('POST', '/connector-oauth-states', actor, { stateHash: 'forged' })
    expect(REFUSED_STATUS, `${actor.name} create`).toContain(created.status)
  }
  for (const key of TENANT_KEYS) {
    const kept = await world.stored('connector-oauth-states', states[key].id)
    expect(kept?.redirectUri).toBe('http://portal.test/oauth/callback')
  }
  const gql = await world.graphql('{ __type(name: "ConnectorOauthState") { name } }', ACTORS.find((a) => a.super)!)
  expect(gql.data?.__type ?? null).toBeNull()
  const listed = await world.graphql('{ ConnectorOauthStates { docs { id } } }', ACTORS.find((a) => a.super)!)
  expect(listed.errors?.[0]?.message).toMatch(/Cannot query field/)
})

it('the actors hold the roles the tables assume (API-key users included)', async () => {
  for (const actor of ACTORS) {
    const me = await world.rest('GET', '/users/me?depth=0', actor)
    const user = me.body.user as Doc | null
    if (!actor.email) {
      expect(user ?? null).toBeNull()
      continue
    }
    expect(user?.email).toBe(actor.email)
    const held = Object.fromEntries(
      ((user?.tenants as { tenant: unknown; roles: string[] }[] | undefined) ?? []).map((row) => [
        world.keyOf(row.tenant),
        row.roles.join(','),
      ]),
    )
    expect(held).toEqual(actor.memberships)
  }
})

const tenantKeyOf = (slug: string, doc: Record<string, unknown>) =>
  world.keyOf(slug === 'tenants' ? doc.id : doc.tenant)
const gqlNames = (slug: string) => {
  const { singular, plural } = formatNames(slug)
  return { singular, plural: singular === plural ? `all${singular}` : plural }
}
const allowedIn = (actor: Actor, allowed: Rule) => TENANT_KEYS.filter((k) => allowed(grantOf(actor, k)))
const markValue = (c: CollectionCase) => (c.numeric ? 1000 + ++marks : `mark-${++marks}`)

describe.each(Object.entries(COLLECTIONS))('%s', (slug, c) => {
  const { singular, plural } = c.graphQL ?? gqlNames(slug)
  const mutations = c.graphQL?.mutations ?? true
  const target = (key: TenantKey) => targets.get(slug)![key]

  /** Checks the tenants a list shows: exactly the readable ones (platform admins may see more). */
  const expectListed = (actor: Actor, keys: (TenantKey | 'other')[]) => {
    const readable = allowedIn(actor, c.read)
    if (actor.super) expect(new Set(keys)).toEqual(new Set([...TENANT_KEYS, ...keys.filter((k) => k === 'other')]))
    else expect([...new Set(keys)].sort()).toEqual(readable)
  }

  describe.each(ACTORS.map((a) => [a.name, a] as const))('as %s', (_name, actor) => {
    const g = (key: TenantKey) => grantOf(actor, key)

    it('REST and GraphQL lists show exactly the tenants it may read', async () => {
      const readable = allowedIn(actor, c.read)
      const res = await world.rest('GET', `/${slug}?limit=1000&depth=0&draft=true`, actor)
      if (!readable.length) expect([200, ...REFUSED_STATUS]).toContain(res.status)
      else expect(res.status).toBe(200)
      expectListed(
        actor,
        (res.body.docs ?? []).map((d) => tenantKeyOf(slug, d)),
      )

      const fields = slug === 'tenants' ? 'id' : 'id tenant { id }'
      const list = await world.graphql(`{ ${plural}(limit: 1000, draft: true) { docs { ${fields} } } }`, actor)
      const docs = (list.data?.[plural] as { docs: Record<string, unknown>[] } | null | undefined)?.docs ?? []
      if (readable.length) expect(list.errors).toBeUndefined()
      else if (list.errors) expect(list.errors[0]!.message).toMatch(REFUSED)
      expectListed(
        actor,
        docs.map((d) => tenantKeyOf(slug, d)),
      )
      // Nor does a filter on another tenant reach past the scope.
      for (const key of TENANT_KEYS) {
        if (c.read(g(key)) || slug === 'tenants') continue
        const filtered = await world.rest('GET', `/${slug}?where[tenant][equals]=${world.tenants[key]}&depth=0`, actor)
        expect(filtered.body.docs ?? []).toEqual([])
      }
    })

    it('REST and GraphQL read by id, and document access, follow its role in each tenant', async () => {
      for (const key of TENANT_KEYS) {
        const doc = target(key)
        const allowed = c.read(g(key))
        const res = await world.rest('GET', `/${slug}/${doc.id}?depth=0`, actor)
        if (allowed) expect([res.status, res.body.id]).toEqual([200, doc.id])
        else {
          expect(REFUSED_STATUS, `${key}: ${res.status}`).toContain(res.status)
          expect(JSON.stringify(res.body)).not.toContain(String(doc.createdAt))
        }
        const one = await world.graphql(`{ ${singular}(id: ${doc.id}) { id } }`, actor)
        if (allowed) expect((one.data?.[singular] as Doc | null)?.id).toBe(doc.id)
        else {
          expect(one.data?.[singular] ?? null).toBeNull()
          expect(one.errors?.[0]?.message).toMatch(REFUSED)
        }
        // What the admin's edit view asks before it shows a document.
        const access = await world.rest('POST', `/${slug}/access/${doc.id}`, actor, {})
        const permission = (p: unknown) => (p && typeof p === 'object' ? (p as { permission?: boolean }).permission : p)
        expect(Boolean(permission(access.body.read)), `${key} read`).toBe(allowed)
        expect(Boolean(permission(access.body.update)), `${key} update`).toBe(c.update(g(key)))
      }
    })

    it('REST and GraphQL create in each tenant: allowed where its role writes, refused and unwritten elsewhere', async () => {
      for (const key of TENANT_KEYS) {
        const allowed = c.create(g(key))
        const tag = newTag('create')
        const data = world.dataFor(slug, key, tag)
        let res: Awaited<ReturnType<World['rest']>>
        if (c.upload) {
          const form = new FormData()
          form.append('_payload', JSON.stringify(data))
          form.append('file', new Blob([PNG_PIXEL as BlobPart], { type: 'image/png' }), `${tag}.png`)
          res = await world.rest('POST', `/${slug}`, actor, form)
        } else res = await world.rest('POST', `/${slug}`, actor, data)
        const written = await countTagged(slug, tag)
        if (allowed) {
          expect(res.status, JSON.stringify(res.body)).toBe(201)
          expect(written).toBe(1)
          if (slug !== 'tenants') expect(world.keyOf((res.body.doc as Doc).tenant)).toBe(key)
        } else {
          expect(REFUSED_STATUS, `${key}: ${res.status} ${JSON.stringify(res.body)}`).toContain(res.status)
          expect(written).toBe(0)
        }
        if (c.upload || !mutations) continue // GraphQL takes no files; some collections have no mutations.

        const gqlTag = newTag('create')
        const created = await world.graphql(
          `mutation Create($data: mutation${singular}Input!) { create${singular}(data: $data) { id } }`,
          actor,
          { data: (c.graphQLData ?? ((d) => d))(world.dataFor(slug, key, gqlTag)) },
        )
        if (allowed) {
          expect(created.errors, JSON.stringify(created.errors)).toBeUndefined()
          expect(await countTagged(slug, gqlTag)).toBe(1)
        } else {
          expect(created.errors?.[0]?.message).toMatch(REFUSED)
          expect(await countTagged(slug, gqlTag)).toBe(0)
        }
      }
    })

    it('REST create without a tenant, in the tenant the admin’s cookie selects: only where its role writes', async () => {
      if (slug === 'tenants' || c.upload) return
      for (const key of TENANT_KEYS) {
        const tag = newTag('cookie')
        const { tenant: _, ...data } = world.dataFor(slug, key, tag)
        const res = await world.rest('POST', `/${slug}`, actor, data, {
          cookie: `payload-tenant=${world.tenants[key]}`,
        })
        const written = await countTagged(slug, tag)
        if (c.create(grantOf(actor, key))) {
          expect(res.status, JSON.stringify(res.body)).toBe(201)
          expect(world.keyOf((res.body.doc as Doc).tenant)).toBe(key)
        } else {
          expect([400, ...REFUSED_STATUS], `${key}: ${res.status} ${JSON.stringify(res.body)}`).toContain(res.status)
          expect(written, key).toBe(0)
        }
      }
    })

    it('REST and GraphQL update by id: allowed where its role writes, refused and unchanged elsewhere', async () => {
      for (const key of TENANT_KEYS) {
        const doc = target(key)
        const allowed = c.update(g(key))
        let before = (await world.stored(slug, doc.id, [c.field]))![c.field]
        for (const via of mutations ? (['rest', 'graphql'] as const) : (['rest'] as const)) {
          const value = markValue(c)
          if (via === 'rest') {
            const res = await world.rest('PATCH', `/${slug}/${doc.id}`, actor, { [c.field]: value })
            if (allowed) expect(res.status, JSON.stringify(res.body)).toBe(200)
            else expect(REFUSED_STATUS, `${key}: ${res.status}`).toContain(res.status)
          } else {
            const res = await world.graphql(
              `mutation Update($data: mutation${singular}UpdateInput!) { update${singular}(id: ${doc.id}, data: $data) { id } }`,
              actor,
              { data: { [c.field]: value } },
            )
            if (allowed) expect(res.errors, JSON.stringify(res.errors)).toBeUndefined()
            else expect(res.errors?.[0]?.message).toMatch(REFUSED)
          }
          if (allowed) before = value
          expect((await world.stored(slug, doc.id, [c.field]))![c.field], `${via} ${key}`).toBe(before)
        }
      }
    })

    it('cannot move a document it writes into a tenant where it does not', async () => {
      if (slug === 'tenants') return
      for (const from of TENANT_KEYS.filter((k) => c.update(g(k)))) {
        for (const to of TENANT_KEYS.filter((k) => !c.update(g(k)))) {
          const doc = target(from)
          const res = await world.rest('PATCH', `/${slug}/${doc.id}`, actor, { tenant: world.tenants[to] })
          expect(REFUSED_STATUS.concat(400), `${from} → ${to}: ${res.status}`).toContain(res.status)
          expect(world.keyOf((await world.stored(slug, doc.id, ['tenant']))!.tenant)).toBe(from)
        }
      }
    })

    it('REST and GraphQL delete by id: allowed where its role deletes, refused and kept elsewhere', async () => {
      for (const key of TENANT_KEYS) {
        const allowed = c.delete(g(key))
        for (const via of mutations ? (['rest', 'graphql'] as const) : (['rest'] as const)) {
          // Allowed deletes take a document made for the purpose; refused ones aim at the shared target.
          const doc = allowed ? await world.make(slug, key) : target(key)
          if (via === 'rest') {
            const res = await world.rest('DELETE', `/${slug}/${doc.id}`, actor)
            if (allowed) expect(res.status, JSON.stringify(res.body)).toBe(200)
            else expect(REFUSED_STATUS, `${key}: ${res.status}`).toContain(res.status)
          } else {
            const res = await world.graphql(`mutation { delete${singular}(id: ${doc.id}) { id } }`, actor)
            if (allowed) expect(res.errors, JSON.stringify(res.errors)).toBeUndefined()
            else expect(res.errors?.[0]?.message).toMatch(REFUSED)
          }
          expect(Boolean(await world.stored(slug, doc.id, ['updatedAt'])), `${via} ${key}`).toBe(!allowed)
        }
      }
    })

    it('REST bulk update and delete by query reach only the tenants where its role writes', async () => {
      // One query matching the document of every tenant changes only those of the writable tenants.
      const value = markValue(c)
      const ids = TENANT_KEYS.map((k) => target(k).id).join(',')
      const before = await Promise.all(
        TENANT_KEYS.map(async (k) => (await world.stored(slug, target(k).id, [c.field]))![c.field]),
      )
      const upd = await world.rest('PATCH', `/${slug}?where[id][in]=${ids}&depth=0`, actor, { [c.field]: value })
      const changed = ((upd.body.docs as Doc[] | undefined) ?? []).map((d) => tenantKeyOf(slug, d)).sort()
      expect(changed, `${upd.status}`).toEqual(allowedIn(actor, c.update))
      for (const [i, k] of TENANT_KEYS.entries())
        expect((await world.stored(slug, target(k).id, [c.field]))![c.field], k).toBe(
          c.update(g(k)) ? value : before[i],
        )

      // The same for deletes, with documents made for the purpose where its role deletes.
      const victims = await Promise.all(
        TENANT_KEYS.map(async (k) => (c.delete(g(k)) ? await world.make(slug, k) : target(k))),
      )
      const del = await world.rest('DELETE', `/${slug}?where[id][in]=${victims.map((v) => v.id).join(',')}`, actor)
      const gone = new Set(((del.body.docs as Doc[] | undefined) ?? []).map((d) => d.id))
      const deleted = TENANT_KEYS.filter((_, i) => gone.has(victims[i]!.id))
      expect(deleted, `${del.status}`).toEqual(allowedIn(actor, c.delete))
      for (const [i, k] of TENANT_KEYS.entries())
        expect(Boolean(await world.stored(slug, victims[i]!.id, ['updatedAt'])), k).toBe(!c.delete(g(k)))
    })

    if (c.versions)
      it('versions: REST and GraphQL list, read and restore follow its role in each tenant', async () => {
        const readable = allowedIn(actor, c.read)
        const res = await world.rest('GET', `/${slug}/versions?limit=1000&depth=0`, actor)
        if (readable.length) expect(res.status).toBe(200)
        expectListed(
          actor,
          (res.body.docs ?? []).map((d) => world.keyOf((d.version as Record<string, unknown>).tenant)),
        )
        const list = await world.graphql(
          `{ versions${plural}(limit: 1000) { docs { id version { tenant { id } } } } }`,
          actor,
        )
        const docs =
          (list.data?.[`versions${plural}`] as { docs: { version: { tenant: unknown } }[] } | null | undefined)?.docs ??
          []
        expectListed(
          actor,
          docs.map((d) => world.keyOf(d.version.tenant)),
        )

        for (const key of TENANT_KEYS) {
          const doc = target(key)
          const latest = await world.payload.findVersions({
            collection: slug as CollectionSlug,
            where: { parent: { equals: doc.id } },
            sort: '-updatedAt',
            limit: 1,
            depth: 0,
          })
          const version = latest.docs[0]!
          const allowed = c.read(g(key))
          const read = await world.rest('GET', `/${slug}/versions/${version.id}?depth=0`, actor)
          if (allowed) expect(read.status).toBe(200)
          else expect(REFUSED_STATUS).toContain(read.status)
          const one = await world.graphql(`{ version${singular}(id: ${JSON.stringify(version.id)}) { id } }`, actor)
          if (allowed) expect(one.errors).toBeUndefined()
          else expect(one.data?.[`version${singular}`] ?? null).toBeNull()

          const before = (await world.stored(slug, doc.id, ['updatedAt']))!.updatedAt
          const restore = await world.rest('POST', `/${slug}/versions/${version.id}`, actor, {})
          if (c.update(g(key))) expect(restore.status, JSON.stringify(restore.body)).toBe(200)
          else {
            expect(REFUSED_STATUS).toContain(restore.status)
            expect((await world.stored(slug, doc.id, ['updatedAt']))!.updatedAt).toBe(before)
          }
        }
      })
  })
})

/** Documents (drafts included) carrying `tag` in any text field a case writes it to. */
async function countTagged(slug: string, tag: string): Promise<number> {
  const field =
    slug === 'tenants' || slug === 'pages' || slug === 'posts' || slug === 'categories'
      ? 'slug'
      : slug === 'agent-settings'
        ? 'agent'
        : slug === 'agent-runs' || slug === 'approvals'
          ? 'runId'
          : COLLECTIONS[slug]!.field
  const res = await world.payload.count({
    collection: slug as CollectionSlug,
    where: { [field]: { equals: tag } },
  })
  return res.totalDocs
}

describe('users (who sees whom; the update and delete rules have their own suite)', () => {
  /** Users in a tenant, by key. */
  const members = async (key: TenantKey) =>
    (
      await world.payload.find({
        collection: 'users',
        where: { 'tenants.tenant': { equals: world.tenants[key] } },
        depth: 0,
        limit: 1000,
      })
    ).docs as unknown as Doc[]
  const tenantKeysOf = (user: Doc) =>
    ((user.tenants as { tenant: unknown }[] | undefined) ?? []).map((row) => world.keyOf(row.tenant))

  it.each(ACTORS.map((a) => [a.name, a] as const))(
    'as %s: lists (REST, GraphQL) and reads by id show nobody outside its tenants',
    async (_name, actor) => {
      const self = world.userOf(actor)
      const mine = TENANT_KEYS.filter((k) => grantOf(actor, k) !== undefined)
      const rest = await world.rest('GET', '/users?limit=1000&depth=0', actor)
      const gql = await world.graphql('{ Users(limit: 1000) { docs { id email tenants { tenant { id } } } } }', actor)
      const listed = [
        ...(rest.body.docs ?? []),
        ...((gql.data?.Users as { docs: Doc[] } | null | undefined)?.docs ?? []),
      ] as Doc[]
      if (!actor.email) {
        expect(REFUSED_STATUS).toContain(rest.status)
        expect(listed).toEqual([])
        return
      }
      expect(rest.status).toBe(200)
      if (!actor.super)
        for (const user of listed)
          if (user.id !== self!.id)
            expect(
              tenantKeysOf(user).some((k) => k !== 'other' && mine.includes(k)),
              String(user.email),
            ).toBe(true)
      // Tenant-admins see the members of the tenants they administer.
      for (const key of TENANT_KEYS.filter((k) => grantOf(actor, k) === 'tenant-admin' || actor.super)) {
        const ids = listed.map((u) => u.id)
        for (const member of await members(key)) expect(ids, String(member.email)).toContain(member.id)
      }
      // Read by id: a user sharing no tenant with the caller is not found.
      for (const key of TENANT_KEYS.filter((k) => grantOf(actor, k) === undefined)) {
        for (const other of await members(key)) {
          if (actor.super || tenantKeysOf(other).some((k) => k !== 'other' && mine.includes(k))) continue
          const res = await world.rest('GET', `/users/${other.id}?depth=0`, actor)
          expect(REFUSED_STATUS, `${other.email}: ${res.status}`).toContain(res.status)
          expect(JSON.stringify(res.body)).not.toContain(String(other.email))
        }
      }
    },
  )

  it('a tenant-admin of A does not see, edit or delete tenant B users', async () => {
    const owner = ACTORS.find((a) => a.name === 'tenant-admin of A')!
    const list = await world.rest('GET', '/users?limit=100&depth=0', owner)
    const emails = list.body.docs!.map((u) => u.email)
    expect(emails).toContain('client@bizoholic.dev')
    expect(emails.some((e) => String(e).endsWith('@coreldove.dev'))).toBe(false)
    expect(emails).not.toContain('admin@bizosaas.dev')

    const victim = (
      await world.payload.find({ collection: 'users', where: { email: { equals: 'client@coreldove.dev' } } })
    ).docs[0]!
    expect([403, 404]).toContain((await world.rest('PATCH', `/users/${victim.id}`, owner, { name: 'x' })).status)
    expect([403, 404]).toContain((await world.rest('DELETE', `/users/${victim.id}`, owner)).status)
    const gqlList = await world.graphql('{ Users(limit: 100) { docs { email } } }', owner)
    const gqlEmails = ((gqlList.data?.Users as { docs: { email: string }[] } | undefined)?.docs ?? []).map(
      (u) => u.email,
    )
    expect(gqlEmails).toContain('client@bizoholic.dev')
    expect(gqlEmails.some((e) => e.endsWith('@coreldove.dev'))).toBe(false)
  })

  it('a tenant-admin of A cannot grant anyone a role in tenant B', async () => {
    const owner = ACTORS.find((a) => a.name === 'tenant-admin of A')!
    const res = await world.rest('POST', '/users', owner, {
      email: 'sneaky@example.com',
      password: 'a-long-password',
      tenants: [{ tenant: world.tenants.B, roles: ['tenant-admin'] }],
    })
    expect(res.status).toBe(403)
    const found = await world.payload.find({ collection: 'users', where: { email: { equals: 'sneaky@example.com' } } })
    expect(found.totalDocs).toBe(0)
  })
})
