/**
 * The audit log in the real CMS (Payload on its own migrated PostgreSQL database, REST over real HTTP,
 * GraphQL route handler, real pg-boss): an entry for each kind of event, written in the change's own
 * transaction, never editable through any API, readable per tenant, and pruned past the retention period.
 */
import { randomBytes } from 'node:crypto'
import { DEMO_PASSWORD, seed } from '@bizosaas/cms/seed'
import { type PayloadRestServer, servePayloadRest, startTestCms, type TestCms } from '@bizosaas/cms/test'
import { until } from '@bizosaas/scripts/test/until'
import { createLocalReq, initTransaction, killTransaction, type Payload, type PayloadRequest } from 'payload'
import pg from 'pg'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { AUDIT_ACTIONS, type AuditPruneWorker, enqueueAuditPrune, recordAuditEvent, startAuditPrune } from './index.ts'

process.env.VAULT_KEYS = `k1:${randomBytes(32).toString('base64')}`

const RETENTION_DAYS = 30

let cms: TestCms
let http: PayloadRestServer
let sql: pg.Client
let pruner: AuditPruneWorker | undefined
const tenants = { bizoholic: 0, coreldove: 0 }
const users: Record<string, { id: number; token: string }> = {}

interface Entry {
  id: number
  action: string
  collection_slug: string | null
  document_id: string | null
  tenant_id: number | null
  user_id: number | null
  user_email: string | null
  changed_fields: string[]
  details: Record<string, unknown> | null
  ip: string | null
  user_agent: string | null
  request_id: string | null
  created_at: Date
}

beforeAll(async () => {
  cms = await startTestCms('audit_log', { auditLog: { retentionDays: RETENTION_DAYS } })
  await seed(cms.payload)
  for (const slug of ['bizoholic', 'coreldove'] as const)
    tenants[slug] = (await cms.payload.find({ collection: 'tenants', where: { slug: { equals: slug } } })).docs[0]!
      .id as number
  http = await servePayloadRest(cms.config)
  sql = new pg.Client({ connectionString: cms.db.url })
  await sql.connect()
  for (const email of ['owner@bizoholic.dev', 'manager@bizoholic.dev', 'owner@coreldove.dev', 'admin@bizosaas.dev']) {
    const found = await cms.payload.find({ collection: 'users', where: { email: { equals: email } }, depth: 0 })
    users[email] = { id: found.docs[0]!.id as number, token: await cms.login(email, DEMO_PASSWORD) }
  }
})

afterAll(async () => {
  await pruner?.stop({ graceMs: 2_000 })
  await sql?.end()
  await http?.close()
  await cms?.close()
})

/** A REST call over real HTTP, as a browser behind the proxy would make it. */
async function call(method: string, path: string, options: { as?: string; body?: unknown; requestId?: string } = {}) {
  const headers: Record<string, string> = {
    'x-forwarded-for': '203.0.113.7, 10.0.0.1',
    'user-agent': 'audit-test/1.0',
  }
  if (options.as) headers.authorization = `JWT ${users[options.as]!.token}`
  if (options.requestId) headers['x-request-id'] = options.requestId
  if (options.body !== undefined) headers['content-type'] = 'application/json'
  const res = await fetch(`${http.url}/api${path}`, {
    method,
    headers,
    body: options.body === undefined ? undefined : JSON.stringify(options.body),
  })
  const text = await res.text()
  return {
    status: res.status,
    body: (text ? JSON.parse(text) : {}) as Record<string, never> & {
      doc: { id: number }
      docs: unknown[]
      totalDocs: number
    },
  }
}

const entries = async (where: string, values: unknown[] = []) =>
  (await sql.query<Entry>(`SELECT * FROM audit_log WHERE ${where} ORDER BY id`, values)).rows

const newest = async (where: string, values: unknown[] = []) => {
  const rows = await entries(where, values)
  return rows[rows.length - 1]
}

const lexical = (text: string) => ({
  root: {
    type: 'root',
    direction: null,
    format: '',
    indent: 0,
    version: 1,
    children: [
      {
        type: 'paragraph',
        direction: null,
        format: '',
        indent: 0,
        version: 1,
        textFormat: 0,
        children: [{ type: 'text', text, detail: 0, format: 0, mode: 'normal', style: '', version: 1 }],
      },
    ],
  },
})

describe('entries for every kind of event', () => {
  let postId: number

  it('create: who, tenant, collection, document, field names, IP, user agent, request id', async () => {
    const res = await call('POST', '/posts', {
      as: 'owner@bizoholic.dev',
      requestId: 'req-create-1',
      body: { title: 'Audit me', content: lexical('Body text that is a value'), tenant: tenants.bizoholic },
    })
    expect(res.status).toBe(201)
    postId = res.body.doc.id
    const entry = (await newest(`collection_slug = 'posts' AND document_id = $1`, [String(postId)]))!
    expect(entry).toMatchObject({
      action: AUDIT_ACTIONS.create,
      tenant_id: tenants.bizoholic,
      user_id: users['owner@bizoholic.dev']!.id,
      user_email: 'owner@bizoholic.dev',
      ip: '203.0.113.7',
      user_agent: 'audit-test/1.0',
      request_id: 'req-create-1',
    })
    expect(entry.changed_fields).toEqual(expect.arrayContaining(['title', 'content', 'tenant']))
    expect(JSON.stringify(entry)).not.toContain('Audit me')
    expect(JSON.stringify(entry)).not.toContain('Body text')
  })

  it('update: the names of the fields that changed, never their values', async () => {
    const res = await call('PATCH', `/posts/${postId}`, { as: 'owner@bizoholic.dev', body: { title: 'A new title' } })
    expect(res.status).toBe(200)
    const entry = (await newest(`collection_slug = 'posts' AND document_id = $1`, [String(postId)]))!
    expect(entry.action).toBe(AUDIT_ACTIONS.update)
    expect(entry.changed_fields).toContain('title')
    expect(entry.changed_fields).not.toContain('content')
    expect(entry.changed_fields).not.toContain('updatedAt')
    expect(JSON.stringify(entry)).not.toContain('A new title')
    // No id header: the entry still has one, a fresh UUID.
    expect(entry.request_id).toMatch(/^[0-9a-f-]{36}$/)
  })

  it('delete', async () => {
    expect((await call('DELETE', `/posts/${postId}`, { as: 'owner@bizoholic.dev' })).status).toBe(200)
    const entry = (await newest(`collection_slug = 'posts' AND document_id = $1`, [String(postId)]))!
    expect(entry).toMatchObject({ action: AUDIT_ACTIONS.delete, tenant_id: tenants.bizoholic, changed_fields: [] })
  })

  it('sign-in, and failed sign-in over REST and GraphQL (the email tried, never the password)', async () => {
    const before = (await entries('true')).length
    await cms.login('manager@bizoholic.dev', DEMO_PASSWORD)
    const signIn = (await newest(`action = $1 AND id > 0`, [AUDIT_ACTIONS.signIn]))!
    expect(signIn).toMatchObject({ user_id: users['manager@bizoholic.dev']!.id, user_email: 'manager@bizoholic.dev' })

    const wrong = 'not-the-password-42'
    const refused = await call('POST', '/users/login', { body: { email: 'Manager@Bizoholic.dev', password: wrong } })
    expect(refused.status).toBe(401)
    const failed = (await newest(`action = $1`, [AUDIT_ACTIONS.signInFailed]))!
    expect(failed).toMatchObject({
      user_id: null,
      user_email: 'manager@bizoholic.dev',
      ip: '203.0.113.7',
      details: { reason: 'AuthenticationError' },
    })
    const gql = await cms.graphql(`mutation { loginUser(email: "nobody@example.com", password: "${wrong}") { token } }`)
    expect(gql.errors?.length).toBeGreaterThan(0)
    const viaGraphql = (await newest(`action = $1`, [AUDIT_ACTIONS.signInFailed]))!
    expect(viaGraphql.user_email).toBe('nobody@example.com')
    const added = await entries('id > (SELECT max(id) FROM audit_log) - 10')
    expect(JSON.stringify(added)).not.toContain(wrong)
    expect(JSON.stringify(added)).not.toContain(DEMO_PASSWORD)
    expect((await entries('true')).length).toBeGreaterThan(before)
  })

  it('a password change is the field name `password`, nothing of the hash', async () => {
    const self = users['manager@bizoholic.dev']!
    const res = await call('PATCH', `/users/${self.id}`, {
      as: 'admin@bizosaas.dev',
      body: { password: 'a-brand-new-password-1' },
    })
    expect(res.status).toBe(200)
    const entry = (await newest(`collection_slug = 'users' AND action = 'update' AND document_id = $1`, [
      String(self.id),
    ]))!
    expect(entry.changed_fields).toEqual(['password'])
    expect(JSON.stringify(entry)).not.toContain('a-brand-new-password-1')
    // Restore it for the other tests.
    await cms.payload.update({ collection: 'users', id: self.id, data: { password: DEMO_PASSWORD } })
  })

  it('membership and role changes: one entry per tenant concerned, with the roles', async () => {
    const client = (
      await cms.payload.find({ collection: 'users', where: { email: { equals: 'client@bizoholic.dev' } }, depth: 0 })
    ).docs[0]!
    const res = await call('PATCH', `/users/${client.id}`, {
      as: 'admin@bizosaas.dev',
      requestId: 'req-membership',
      body: {
        tenants: [
          { tenant: tenants.bizoholic, roles: ['manager'] },
          { tenant: tenants.coreldove, roles: ['client'] },
        ],
      },
    })
    expect(res.status).toBe(200)
    const rows = await entries(`request_id = 'req-membership'`)
    const changed = rows.find((r) => r.action === AUDIT_ACTIONS.membershipRolesChanged)
    const added = rows.find((r) => r.action === AUDIT_ACTIONS.membershipAdded)
    expect(changed).toMatchObject({
      tenant_id: tenants.bizoholic,
      document_id: String(client.id),
      user_email: 'admin@bizosaas.dev',
      details: { member: 'client@bizoholic.dev', roles: ['manager'], previousRoles: ['client'] },
    })
    expect(added).toMatchObject({ tenant_id: tenants.coreldove, details: { roles: ['client'], previousRoles: [] } })
    expect(rows.find((r) => r.action === AUDIT_ACTIONS.update)?.changed_fields).toEqual(['tenants'])

    const removed = await call('PATCH', `/users/${client.id}`, {
      as: 'admin@bizosaas.dev',
      requestId: 'req-membership-2',
      body: { tenants: [{ tenant: tenants.bizoholic, roles: ['client'] }], roles: ['super-admin'] },
    })
    expect(removed.status).toBe(200)
    const second = await entries(`request_id = 'req-membership-2'`)
    expect(second.find((r) => r.action === AUDIT_ACTIONS.membershipRemoved)).toMatchObject({
      tenant_id: tenants.coreldove,
    })
    expect(second.find((r) => r.action === AUDIT_ACTIONS.rolesChanged)).toMatchObject({
      tenant_id: null,
      details: { roles: ['super-admin'], previousRoles: ['user'] },
    })
    await cms.payload.update({ collection: 'users', id: client.id, data: { roles: ['user'] } as never })
  })

  it('a tenant-admin’s membership change of a user in two tenants: an entry in their tenant only', async () => {
    // An agency employee: manager in Bizoholic, client in CoreLDove.
    const shared = await cms.payload.create({
      collection: 'users',
      data: {
        email: 'shared@agency.dev',
        password: 'shared-password-123',
        tenants: [
          { tenant: tenants.bizoholic, roles: ['manager'] },
          { tenant: tenants.coreldove, roles: ['client'] },
        ],
      } as never,
    })
    const res = await call('PATCH', `/users/${shared.id}/memberships/${tenants.bizoholic}`, {
      as: 'owner@bizoholic.dev',
      requestId: 'req-shared',
      body: { roles: ['client'] },
    })
    expect(res.status, JSON.stringify(res.body)).toBe(200)
    const rows = await entries(`request_id = 'req-shared'`)
    expect(rows.map((r) => [r.action, r.tenant_id])).toEqual([
      [AUDIT_ACTIONS.update, null],
      [AUDIT_ACTIONS.membershipRolesChanged, tenants.bizoholic],
    ])
    expect(rows[0]!.changed_fields).toEqual(['tenants'])
    expect(rows[1]!.details).toMatchObject({
      member: 'shared@agency.dev',
      roles: ['client'],
      previousRoles: ['manager'],
    })
  })

  it('sealed secrets (connections): field names only, no secret, ciphertext or hint anywhere in the entry', async () => {
    const secret = 'sk-audit-test-0123456789abcdefXYZ'
    const rotated = 'sk-audit-rotated-9876543210zyxwvu'
    const sealedOf = (key: string) => `v1.audit.${Buffer.from(key).toString('base64url')}`
    // As the connectors' saveConnection writes a connection: a hint, the seal and its key id.
    const created = (await cms.payload.create({
      collection: 'connections' as never,
      data: {
        tenant: tenants.bizoholic,
        connector: 'openai',
        name: 'OpenAI',
        status: 'connected',
        secretHint: `…${secret.slice(-4)}`,
        ciphertext: sealedOf(secret),
        keyId: 'k1',
      } as never,
    })) as unknown as { id: number }
    await cms.payload.update({
      collection: 'connections' as never,
      id: created.id,
      data: { secretHint: `…${rotated.slice(-4)}`, ciphertext: sealedOf(rotated) } as never,
    })
    const rows = await entries(`collection_slug = 'connections' AND document_id = $1`, [String(created.id)])
    expect(rows.map((r) => r.action)).toEqual([AUDIT_ACTIONS.create, AUDIT_ACTIONS.update])
    expect(rows[1]!.changed_fields).toEqual(expect.arrayContaining(['ciphertext', 'secretHint']))
    expect(rows[1]!.tenant_id).toBe(tenants.bizoholic)
    const text = JSON.stringify(rows)
    for (const value of [secret, rotated, sealedOf(secret), sealedOf(rotated), secret.slice(-4), rotated.slice(-4)])
      expect(text).not.toContain(value)
  })

  it('approval decisions (the agents plugin’s reject endpoint)', async () => {
    const run = await cms.payload.create({
      collection: 'agent-runs',
      data: {
        runId: 'run-audit-1',
        agent: 'seo-meta',
        status: 'awaiting-approval',
        tenant: tenants.bizoholic,
      } as never,
    })
    const approval = await cms.payload.create({
      collection: 'approvals',
      data: {
        agentRun: run.id,
        runId: 'run-audit-1',
        agent: 'seo-meta',
        status: 'pending',
        tenant: tenants.bizoholic,
      } as never,
    })
    const res = await call('POST', `/approvals/${approval.id}/reject`, {
      as: 'owner@bizoholic.dev',
      body: { feedback: 'Too long, private remark' },
    })
    expect(res.status).toBe(200)
    const entry = (await newest(`action = $1`, [AUDIT_ACTIONS.approvalRejected]))!
    expect(entry).toMatchObject({
      collection_slug: 'approvals',
      document_id: String(approval.id),
      tenant_id: tenants.bizoholic,
      user_id: users['owner@bizoholic.dev']!.id,
      details: { agent: 'seo-meta' },
    })
    expect(JSON.stringify(entry)).not.toContain('private remark')
    // A refused decision (already decided) records nothing.
    const count = (await entries(`action = $1`, [AUDIT_ACTIONS.approvalRejected])).length
    expect(
      (await call('POST', `/approvals/${approval.id}/reject`, { as: 'owner@bizoholic.dev', body: {} })).status,
    ).toBe(409)
    expect((await entries(`action = $1`, [AUDIT_ACTIONS.approvalRejected])).length).toBe(count)
  })

  it('a decision whose entry cannot be written is undone with it (one transaction)', async () => {
    const run = await cms.payload.create({
      collection: 'agent-runs',
      data: {
        runId: 'run-audit-2',
        agent: 'seo-meta',
        status: 'awaiting-approval',
        tenant: tenants.bizoholic,
      } as never,
    })
    const approval = await cms.payload.create({
      collection: 'approvals',
      data: {
        agentRun: run.id,
        runId: 'run-audit-2',
        agent: 'seo-meta',
        status: 'pending',
        tenant: tenants.bizoholic,
      } as never,
    })
    // The audit table refuses rejections for a moment: the rejection must not happen without its entry.
    await sql.query(
      `ALTER TABLE audit_log ADD CONSTRAINT no_rejections CHECK (action <> '${AUDIT_ACTIONS.approvalRejected}') NOT VALID`,
    )
    try {
      const res = await call('POST', `/approvals/${approval.id}/reject`, { as: 'owner@bizoholic.dev', body: {} })
      expect(res.status).toBeGreaterThanOrEqual(500)
    } finally {
      await sql.query('ALTER TABLE audit_log DROP CONSTRAINT no_rejections')
    }
    const stored = await cms.payload.findByID({ collection: 'approvals', id: approval.id, depth: 0 })
    expect((stored as { status: string }).status).toBe('pending')
    expect(
      (await call('POST', `/approvals/${approval.id}/reject`, { as: 'owner@bizoholic.dev', body: {} })).status,
    ).toBe(200)
    expect(
      (await cms.payload.findByID({ collection: 'approvals', id: approval.id, depth: 0 })) as { status: string },
    ).toMatchObject({ status: 'rejected' })
  })

  it('exports and deletions recorded by other code with recordAuditEvent', async () => {
    const req = await createLocalReq({ user: { ...(await adminUser()), collection: 'users' } as never }, cms.payload)
    await recordAuditEvent(req, {
      action: AUDIT_ACTIONS.tenantExported,
      tenant: tenants.coreldove,
      details: { documents: 42 },
    })
    const entry = (await newest(`action = $1`, [AUDIT_ACTIONS.tenantExported]))!
    expect(entry).toMatchObject({
      tenant_id: tenants.coreldove,
      user_email: 'admin@bizosaas.dev',
      details: { documents: 42 },
    })
    // From a job or script (no request): no user, no origin, written at once.
    await recordAuditEvent(cms.payload, { action: AUDIT_ACTIONS.tenantDeleted, details: { tenant: 99, slug: 'gone' } })
    expect(await newest(`action = $1`, [AUDIT_ACTIONS.tenantDeleted])).toMatchObject({
      tenant_id: null,
      user_id: null,
      user_email: null,
      ip: null,
      request_id: null,
      details: { tenant: 99, slug: 'gone' },
    })
    await expect(recordAuditEvent(cms.payload, { action: 'Not An Action' })).rejects.toThrow(/action/)
  })
})

const adminUser = async () =>
  (await cms.payload.findByID({
    collection: 'users',
    id: users['admin@bizosaas.dev']!.id,
    depth: 0,
  })) as unknown as Record<string, unknown>

describe('same transaction as the change', () => {
  it('an entry is rolled back with its change', async () => {
    const req: PayloadRequest = await createLocalReq({}, cms.payload)
    await initTransaction(req)
    const doc = await cms.payload.create({
      collection: 'categories',
      data: { title: 'Rolled back', slug: 'rolled-back', tenant: tenants.coreldove } as never,
      req,
    })
    // Inside the transaction the entry exists; from any other connection it does not (yet).
    const inside = await cms.payload.find({
      collection: 'audit-log',
      where: { collectionSlug: { equals: 'categories' }, documentId: { equals: String(doc.id) } },
      req,
    })
    expect(inside.docs.map((d) => d.action)).toEqual(['create'])
    expect(await entries(`collection_slug = 'categories' AND document_id = $1`, [String(doc.id)])).toHaveLength(0)
    await killTransaction(req)
    expect(await entries(`collection_slug = 'categories' AND document_id = $1`, [String(doc.id)])).toHaveLength(0)
    expect((await sql.query('SELECT 1 FROM categories WHERE id = $1', [doc.id])).rowCount).toBe(0)
  })

  it('a write the database refuses (REST, duplicate slug) leaves no entry', async () => {
    const before = (await entries(`collection_slug = 'categories'`)).length
    const body = { title: 'Twice', slug: 'twice', tenant: tenants.coreldove }
    expect((await call('POST', '/categories', { as: 'owner@coreldove.dev', body })).status).toBe(201)
    const second = await call('POST', '/categories', { as: 'owner@coreldove.dev', body })
    expect(second.status).toBeGreaterThanOrEqual(400)
    expect((await entries(`collection_slug = 'categories'`)).length).toBe(before + 1)
  })

  it('commits with the change', async () => {
    const req: PayloadRequest = await createLocalReq({}, cms.payload)
    await initTransaction(req)
    const doc = await cms.payload.create({
      collection: 'categories',
      data: { title: 'Kept', slug: 'kept', tenant: tenants.coreldove } as never,
      req,
    })
    const { commitTransaction } = await import('payload')
    await commitTransaction(req)
    expect(await entries(`collection_slug = 'categories' AND document_id = $1`, [String(doc.id)])).toHaveLength(1)
  })
})

describe('nobody can change or delete entries', () => {
  let entry: Entry
  beforeAll(async () => {
    entry = (await newest(`tenant_id = $1`, [tenants.bizoholic]))!
  })
  const unchanged = async () => {
    const now = (await entries('id = $1', [entry.id]))[0]
    expect(now).toEqual(entry)
  }

  it.each(['admin@bizosaas.dev', 'owner@bizoholic.dev'])('REST as %s: 403 on create, update and delete', async (as) => {
    expect((await call('POST', '/audit-log', { as, body: { action: 'create' } })).status).toBe(403)
    expect((await call('PATCH', `/audit-log/${entry.id}`, { as, body: { action: 'forged' } })).status).toBe(403)
    expect((await call('DELETE', `/audit-log/${entry.id}`, { as })).status).toBe(403)
    const bulk = await call('DELETE', `/audit-log?where[id][equals]=${entry.id}`, { as })
    expect(bulk.status).toBe(403)
    const bulkPatch = await call('PATCH', `/audit-log?where[id][equals]=${entry.id}`, { as, body: { action: 'x' } })
    expect(bulkPatch.status).toBe(403)
    await unchanged()
  })

  it('GraphQL has no mutation for entries', async () => {
    const token = users['admin@bizosaas.dev']!.token
    for (const mutation of [
      `mutation { createAuditEntry(data: { action: "forged" }) { id } }`,
      `mutation { updateAuditEntry(id: ${entry.id}, data: { action: "forged" }) { id } }`,
      `mutation { deleteAuditEntry(id: ${entry.id}) { id } }`,
    ]) {
      const res = await cms.graphql(mutation, token)
      expect(res.errors?.[0]?.message).toMatch(/Cannot query field/)
    }
    await unchanged()
  })

  it('Local API with overrideAccess: false refuses create, update and delete, even for a super-admin', async () => {
    const user = { ...(await adminUser()), collection: 'users' } as never
    const local = cms.payload as Payload
    await expect(
      local.create({ collection: 'audit-log', data: { action: 'forged' }, overrideAccess: false, user }),
    ).rejects.toThrow(/not allowed/i)
    await expect(
      local.update({ collection: 'audit-log', id: entry.id, data: { action: 'forged' }, overrideAccess: false, user }),
    ).rejects.toThrow(/not allowed/i)
    await expect(local.delete({ collection: 'audit-log', id: entry.id, overrideAccess: false, user })).rejects.toThrow(
      /not allowed/i,
    )
    await unchanged()
  })
})

describe('who reads what', () => {
  it('a tenant-admin reads only their tenant’s entries, never platform ones or another tenant’s', async () => {
    const list = await call('GET', '/audit-log?limit=1000&depth=0', { as: 'owner@bizoholic.dev' })
    expect(list.status).toBe(200)
    const docs = list.body.docs as { tenant: number | null }[]
    const expected = (await entries('tenant_id = $1', [tenants.bizoholic])).length
    expect(docs.length).toBe(expected)
    expect(docs.every((d) => d.tenant === tenants.bizoholic)).toBe(true)

    const theirs = (await newest('tenant_id = $1', [tenants.coreldove]))!
    const platform = (await newest('tenant_id IS NULL'))!
    for (const id of [theirs.id, platform.id])
      expect((await call('GET', `/audit-log/${id}`, { as: 'owner@bizoholic.dev' })).status).toBe(404)
    const filtered = await call('GET', `/audit-log?where[tenant][equals]=${tenants.coreldove}`, {
      as: 'owner@bizoholic.dev',
    })
    expect(filtered.body.docs).toEqual([])

    const gql = await cms.graphql(
      `{ AuditEntries(limit: 1000) { docs { id tenant { id } } } }`,
      users['owner@bizoholic.dev']!.token,
    )
    const gqlDocs = (gql.data!.AuditEntries as { docs: { tenant: { id: number } | null }[] }).docs
    expect(gqlDocs.length).toBe(expected)
    expect(gqlDocs.every((d) => d.tenant?.id === tenants.bizoholic)).toBe(true)
  })

  it('a manager reads nothing; a super-admin reads everything', async () => {
    expect((await call('GET', '/audit-log', { as: 'manager@bizoholic.dev' })).status).toBe(403)
    expect((await call('GET', '/audit-log')).status).toBe(403)
    const all = await call('GET', '/audit-log?limit=1&depth=0', { as: 'admin@bizosaas.dev' })
    expect(all.body.totalDocs).toBe((await entries('true')).length)
  })
})

describe('retention', () => {
  it('the pg-boss job deletes entries older than the setting, and only those', async () => {
    const day = 86_400_000
    const { rows } = await sql.query<{ id: number; age: number }>(
      `INSERT INTO audit_log (action, changed_fields, created_at, updated_at)
       SELECT 'old.test', '[]'::jsonb, now() - make_interval(days => d), now()
         FROM unnest(ARRAY[${RETENTION_DAYS + 1}, ${RETENTION_DAYS + 300}, ${RETENTION_DAYS - 1}]) AS d
       RETURNING id, extract(epoch FROM now() - created_at) / 86400 AS age`,
    )
    const recent = (await entries('id > 0')).filter(
      (r) => Date.now() - r.created_at.getTime() < (RETENTION_DAYS - 1) * day,
    )
    pruner = await startAuditPrune(cms.payload, { pollingIntervalSeconds: 1 })
    const scheduled = await sql.query(`SELECT cron FROM pgboss.schedule WHERE name = 'audit-log.prune'`)
    expect(scheduled.rows).toEqual([{ cron: '17 3 * * *' }])
    await enqueueAuditPrune(cms.payload)
    const old = rows.filter((r) => Number(r.age) > RETENTION_DAYS).map((r) => r.id)
    await until('the prune job to delete the old entries', async () =>
      (await sql.query('SELECT 1 FROM audit_log WHERE id = ANY($1)', [old])).rowCount === 0 ? true : undefined,
    )
    const kept = rows.find((r) => Number(r.age) < RETENTION_DAYS)!.id
    expect(await entries('id = $1', [kept])).toHaveLength(1)
    const stillThere = await entries('id = ANY($1)', [recent.map((r) => r.id)])
    expect(stillThere).toHaveLength(recent.length)
  })
})
