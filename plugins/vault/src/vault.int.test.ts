/**
 * The vault in the real CMS (Payload on its own migrated PostgreSQL database, REST and GraphQL route
 * handlers): secrets are ciphertext in the database, never in a response or log line, open only on
 * the server, rotate to a new key, stay within their tenant, and bad input is a 400 naming the field.
 */
import { randomBytes } from 'node:crypto'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { type MockLLM, startMockLLM } from '@bizosaas/agents/testing'
import { DEMO_PASSWORD, seed } from '@bizosaas/cms/seed'
import { startTestCms, type TestCms } from '@bizosaas/cms/test'
import pg from 'pg'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { readIntegrationSecret, rotateVaultKeys } from './index.ts'

const key1 = randomBytes(32).toString('base64')
const key2 = randomBytes(32).toString('base64')
process.env.VAULT_KEYS = `k1:${key1}`

let cms: TestCms
let sql: pg.Client
let mock: MockLLM
let strict: Server
let strictUrl: string
const tenants = { bizoholic: 0, coreldove: 0 }
const tokens: Record<string, string> = {}
const logged: string[] = []

const OPENAI_KEY = 'fake-key-test-bizoholic-0123456789abcdef'
const ANTHROPIC_KEY = 'fake-key-ant-coreldove-fedcba9876543210'

beforeAll(async () => {
  ;[cms, mock] = await Promise.all([startTestCms('vault'), startMockLLM()])
  await seed(cms.payload)
  for (const slug of ['bizoholic', 'coreldove'] as const)
    tenants[slug] = (await cms.payload.find({ collection: 'tenants', where: { slug: { equals: slug } } })).docs[0]!
      .id as number
  for (const email of [
    'owner@bizoholic.dev',
    'manager@bizoholic.dev',
    'client@bizoholic.dev',
    'owner@coreldove.dev',
    'admin@bizosaas.dev',
  ])
    tokens[email] = await cms.login(email, DEMO_PASSWORD)
  sql = new pg.Client({ connectionString: cms.db.url })
  await sql.connect()
  // Every log line Payload writes from here on, to check that no secret reaches one.
  for (const level of ['trace', 'debug', 'info', 'warn', 'error', 'fatal'] as const) {
    const original = cms.payload.logger[level].bind(cms.payload.logger)
    vi.spyOn(cms.payload.logger, level).mockImplementation(((...args: unknown[]) => {
      logged.push(JSON.stringify(args, (_k, v) => (v instanceof Error ? `${v.message} ${v.stack}` : v)))
      return (original as (...a: unknown[]) => void)(...args)
    }) as never)
  }
  // A provider that accepts exactly one key, like the real ones.
  strict = createServer((req, res) => {
    const ok = req.headers.authorization === `Bearer ${OPENAI_KEY}` && req.url === '/v1/models'
    res.writeHead(ok ? 200 : 401, { 'content-type': 'application/json' })
    res.end(
      JSON.stringify(
        ok ? { data: [{ id: 'a' }, { id: 'b' }] } : { error: { message: `bad key ${req.headers.authorization}` } },
      ),
    )
  })
  await new Promise<void>((resolve) => strict.listen(0, '127.0.0.1', resolve))
  strictUrl = `http://127.0.0.1:${(strict.address() as AddressInfo).port}/v1`
})

afterAll(async () => {
  await sql?.end()
  await mock?.close()
  await new Promise((resolve) => strict?.close(resolve))
  await cms?.close()
})

const create = (email: string, body: Record<string, unknown>) => cms.rest.post('/integrations', body, tokens[email])
const row = async (id: unknown) =>
  (await sql.query('SELECT * FROM integrations WHERE id = $1', [id])).rows[0] as Record<string, string>

describe('vault', () => {
  let openaiId: number
  let anthropicId: number

  it('stores the secret as ciphertext and never returns it over REST or GraphQL', async () => {
    const res = await create('owner@bizoholic.dev', {
      name: 'OpenAI',
      provider: 'openai',
      baseUrl: strictUrl,
      secret: OPENAI_KEY,
      tenant: tenants.bizoholic,
    })
    expect(res.status).toBe(201)
    openaiId = (res.body.doc as { id: number }).id
    expect(JSON.stringify(res.body)).not.toContain(OPENAI_KEY)
    expect(res.body.doc).toMatchObject({ name: 'OpenAI', keyId: 'k1', secretHint: '…cdef' })
    expect(res.body.doc).not.toHaveProperty('ciphertext')
    expect(res.body.doc).not.toHaveProperty('secret')

    const stored = await row(openaiId)
    expect(stored.key_id).toBe('k1')
    expect(stored.ciphertext).toMatch(/^v1\./)
    expect(JSON.stringify(stored)).not.toContain(OPENAI_KEY)
    expect(JSON.stringify(stored)).not.toContain(Buffer.from(OPENAI_KEY).toString('base64url').slice(0, 12))

    const anthropic = await create('owner@coreldove.dev', {
      name: 'Claude',
      provider: 'anthropic',
      baseUrl: mock.anthropicBaseURL,
      secret: ANTHROPIC_KEY,
      tenant: tenants.coreldove,
    })
    expect(anthropic.status).toBe(201)
    anthropicId = (anthropic.body.doc as { id: number }).id

    const everyRead = [
      await cms.rest.get(`/integrations/${openaiId}`, tokens['owner@bizoholic.dev']),
      await cms.rest.get('/integrations?depth=1', tokens['admin@bizosaas.dev']),
      await cms.rest.patch(`/integrations/${openaiId}`, { name: 'OpenAI prod' }, tokens['owner@bizoholic.dev']),
    ]
    for (const res of everyRead) {
      expect(res.status).toBe(200)
      expect(JSON.stringify(res.body)).not.toContain(OPENAI_KEY)
      expect(JSON.stringify(res.body)).not.toContain(ANTHROPIC_KEY)
      expect(JSON.stringify(res.body)).not.toContain(stored.ciphertext)
    }
    const gql = await cms.graphql(
      '{ Integrations { docs { id name keyId secretHint secret ciphertext } } }',
      tokens['admin@bizosaas.dev'],
    )
    const docs = (gql.data?.Integrations as { docs: Record<string, unknown>[] } | undefined)?.docs ?? []
    expect(docs).toHaveLength(2)
    for (const doc of docs) {
      expect(doc.secret ?? null).toBeNull()
      expect(doc.ciphertext ?? null).toBeNull()
    }
    expect(JSON.stringify(gql)).not.toContain(OPENAI_KEY)

    // only the server opens it, and only for its own tenant
    expect(await readIntegrationSecret(cms.payload, { id: openaiId, tenant: tenants.bizoholic })).toBe(OPENAI_KEY)
    await expect(readIntegrationSecret(cms.payload, { id: openaiId, tenant: tenants.coreldove })).rejects.toThrow(
      /No integration/,
    )
    // a ciphertext copied into another tenant's row does not open there
    await sql.query('UPDATE integrations SET ciphertext = $1, key_id = $2 WHERE id = $3', [
      stored.ciphertext,
      stored.key_id,
      anthropicId,
    ])
    await expect(readIntegrationSecret(cms.payload, { id: anthropicId, tenant: tenants.coreldove })).rejects.toThrow(
      /another tenant/,
    )
    const reset = await cms.rest.patch(
      `/integrations/${anthropicId}`,
      { secret: ANTHROPIC_KEY },
      tokens['owner@coreldove.dev'],
    )
    expect(reset.status).toBe(200)
    expect(await readIntegrationSecret(cms.payload, { id: anthropicId, tenant: tenants.coreldove })).toBe(ANTHROPIC_KEY)
  })

  it('refuses bad input with a 400 that names the field', async () => {
    const base = { name: 'X', provider: 'openai', secret: 'fake-key-valid-secret-123', tenant: tenants.bizoholic }
    const cases: [Record<string, unknown>, string, RegExp][] = [
      [{ ...base, provider: 'gemini' }, 'provider', /./],
      [{ ...base, secret: undefined }, 'secret', /Enter the API key/],
      [{ ...base, secret: 'short' }, 'secret', /at least 8/],
      [{ ...base, secret: 'has a space in it' }, 'secret', /no spaces/],
      [{ ...base, baseUrl: 'ftp://example.test' }, 'baseUrl', /http\(s\) URL/],
      [{ ...base, baseUrl: 'http://user:pw@localhost:1/v1' }, 'baseUrl', /not in the URL/],
      [{ ...base, name: '' }, 'name', /./],
    ]
    for (const [body, path, message] of cases) {
      const res = await create('owner@bizoholic.dev', body)
      expect(res.status, `${path}: ${JSON.stringify(res.body)}`).toBe(400)
      const fieldErrors = (res.body.errors?.[0] as { data?: { errors?: { path: string; message: string }[] } })?.data
        ?.errors
      expect(fieldErrors?.map((e) => e.path)).toContain(path)
      expect(fieldErrors?.find((e) => e.path === path)?.message).toMatch(message)
      expect(JSON.stringify(res.body)).not.toContain('fake-key-valid-secret-123')
    }
    expect((await sql.query('SELECT count(*)::int AS n FROM integrations')).rows[0].n).toBe(2)
  })

  it('keeps each tenant’s integrations to its tenant-admins', async () => {
    // another tenant's admin: not found, nothing changed
    const other = tokens['owner@coreldove.dev']
    expect((await cms.rest.get(`/integrations/${openaiId}`, other)).status).toBe(404)
    expect((await cms.rest.get('/integrations', other)).body.docs?.map((d) => d.id)).toEqual([anthropicId])
    expect([403, 404]).toContain(
      (await cms.rest.patch(`/integrations/${openaiId}`, { name: 'hijacked' }, other)).status,
    )
    expect([403, 404]).toContain((await cms.rest.delete(`/integrations/${openaiId}`, other)).status)
    // moving it into their own tenant is refused too
    const moved = await cms.rest.patch(
      `/integrations/${openaiId}`,
      { tenant: tenants.coreldove, secret: 'fake-key-hijacked-123456' },
      other,
    )
    expect([403, 404]).toContain(moved.status)
    const where = `where[id][equals]=${openaiId}`
    expect((await cms.rest.patch(`/integrations?${where}`, { name: 'hijacked' }, other)).body.docs ?? []).toEqual([])
    expect((await cms.rest.delete(`/integrations?${where}`, other)).body.docs ?? []).toEqual([])
    const gql = await cms.graphql('{ Integrations { docs { id } } }', other)
    expect(((gql.data?.Integrations as { docs: { id: number }[] } | undefined)?.docs ?? []).map((d) => d.id)).toEqual([
      anthropicId,
    ])
    const one = await cms.graphql(`{ Integration(id: ${openaiId}) { id name } }`, other)
    expect(one.data?.Integration ?? null).toBeNull()
    expect((await cms.rest.post(`/integrations/${openaiId}/test`, {}, other)).status).toBe(404)
    expect(
      (
        await create('owner@coreldove.dev', {
          name: 'X',
          provider: 'openai',
          secret: 'fake-key-123456789',
          tenant: tenants.bizoholic,
        })
      ).status,
    ).toBe(403)
    // managers and clients of the same tenant neither see nor change credentials
    for (const email of ['manager@bizoholic.dev', 'client@bizoholic.dev']) {
      expect((await cms.rest.get('/integrations', tokens[email])).status).toBe(403)
      expect((await cms.rest.post(`/integrations/${openaiId}/test`, {}, tokens[email])).status).toBe(404)
      expect(
        (
          await create(email, {
            name: 'X',
            provider: 'openai',
            secret: 'fake-key-123456789',
            tenant: tenants.bizoholic,
          })
        ).status,
      ).toBe(403)
    }
    expect((await cms.rest.post(`/integrations/${openaiId}/test`, {})).status).toBe(401)
    expect(await row(openaiId)).toMatchObject({ name: 'OpenAI prod', tenant_id: tenants.bizoholic })
  })

  it('a user with roles in two tenants manages the integrations of the one it administers only', async () => {
    // Tenant-admin of Bizoholic, client of CoreLDove (an agency employee).
    await cms.payload.create({
      collection: 'users',
      data: {
        email: 'agency@vault.dev',
        password: DEMO_PASSWORD,
        tenants: [
          { tenant: tenants.bizoholic, roles: ['tenant-admin'] },
          { tenant: tenants.coreldove, roles: ['client'] },
        ],
      } as never,
    })
    const token = await cms.login('agency@vault.dev', DEMO_PASSWORD)
    const before = await row(anthropicId)
    expect((await cms.rest.get('/integrations?limit=100', token)).body.docs?.map((d) => d.id)).toEqual([openaiId])
    expect((await cms.rest.get(`/integrations/${openaiId}`, token)).status).toBe(200)
    expect((await cms.rest.get(`/integrations/${anthropicId}`, token)).status).toBe(404)
    expect((await cms.rest.post(`/integrations/${anthropicId}/test`, {}, token)).status).toBe(404)
    expect([403, 404]).toContain((await cms.rest.patch(`/integrations/${anthropicId}`, { name: 'x' }, token)).status)
    expect([403, 404]).toContain((await cms.rest.delete(`/integrations/${anthropicId}`, token)).status)
    const where = `where[tenant][equals]=${tenants.coreldove}`
    expect((await cms.rest.patch(`/integrations?${where}`, { name: 'x' }, token)).body.docs ?? []).toEqual([])
    const created = await cms.rest.post(
      '/integrations',
      { name: 'X', provider: 'openai', secret: 'fake-key-123456789', tenant: tenants.coreldove },
      token,
    )
    expect(created.status).toBe(403)
    expect((await sql.query('SELECT count(*)::int AS n FROM integrations')).rows[0].n).toBe(2)
    expect(await row(anthropicId)).toEqual(before)
  })

  it('tests the connection with the stored key and records the result', async () => {
    const owner = tokens['owner@bizoholic.dev']
    const ok = await cms.rest.post(`/integrations/${openaiId}/test`, {}, owner)
    expect(ok.status).toBe(200)
    expect(ok.body).toMatchObject({ ok: true, status: 200, models: 2 })

    const claude = await cms.rest.post(`/integrations/${anthropicId}/test`, {}, tokens['owner@coreldove.dev'])
    expect(claude.body).toMatchObject({ ok: true, models: 1 })

    // a wrong key: refused, and neither the key nor the provider's echo of it comes back
    await cms.rest.patch(`/integrations/${openaiId}`, { secret: 'fake-key-wrong-key-999999' }, owner)
    const refused = await cms.rest.post(`/integrations/${openaiId}/test`, {}, owner)
    expect(refused.body).toMatchObject({ ok: false, status: 401 })
    expect(refused.body.message).toMatch(/refused the key \(401\)/)
    expect(JSON.stringify(refused.body)).not.toContain('fake-key-wrong-key')
    const doc = await cms.rest.get(`/integrations/${openaiId}`, owner)
    expect(doc.body).toMatchObject({ secretHint: '…9999', lastTest: { ok: false } })

    // nothing listening: a message naming the host
    await cms.rest.patch(`/integrations/${openaiId}`, { secret: OPENAI_KEY, baseUrl: 'http://127.0.0.1:9/v1' }, owner)
    const down = await cms.rest.post(`/integrations/${openaiId}/test`, {}, owner)
    expect(down.body).toMatchObject({ ok: false })
    expect(down.body.message).toMatch(/Could not reach 127\.0\.0\.1:9/)
  })

  it('rotation re-encrypts every secret with the new key', async () => {
    const before = [await row(openaiId), await row(anthropicId)]
    process.env.VAULT_KEYS = `k2:${key2},k1:${key1}`
    const report = await rotateVaultKeys(cms.payload)
    expect(report).toEqual({ keyId: 'k2', rotated: 2, current: 0, failed: [] })
    const after = [await row(openaiId), await row(anthropicId)]
    for (const [i, r] of after.entries()) {
      expect(r.key_id).toBe('k2')
      expect(r.ciphertext).not.toBe(before[i]!.ciphertext)
      expect(r.updated_at).toBeDefined()
    }
    // the old key can go now
    process.env.VAULT_KEYS = `k2:${key2}`
    expect(await readIntegrationSecret(cms.payload, { id: openaiId, tenant: tenants.bizoholic })).toBe(OPENAI_KEY)
    expect(await readIntegrationSecret(cms.payload, { id: anthropicId, tenant: tenants.coreldove })).toBe(ANTHROPIC_KEY)
    expect(await rotateVaultKeys(cms.payload)).toEqual({ keyId: 'k2', rotated: 0, current: 2, failed: [] })
    // a new secret is sealed with the new key
    const res = await create('owner@bizoholic.dev', {
      name: 'Another',
      provider: 'openai',
      secret: 'fake-key-another-123456',
      tenant: tenants.bizoholic,
    })
    expect(res.body.doc).toMatchObject({ keyId: 'k2' })
  })

  it('wrote no secret to any log line', () => {
    expect(logged.length).toBeGreaterThan(0)
    for (const line of logged) {
      expect(line).not.toContain(OPENAI_KEY)
      expect(line).not.toContain(ANTHROPIC_KEY)
      expect(line).not.toContain('fake-key-wrong-key')
    }
  })
})
