/**
 * The OAuth flow in the real CMS (Payload on its own migrated PostgreSQL database, the REST route
 * handlers) against the mock OAuth provider over real HTTP: a started flow's state is stored hashed and
 * bound to user, tenant, connector and redirect URI; a refused consent, a forged, replayed, expired or
 * foreign state, a wrong redirect and a malformed token response are 4xx/502 with a message a person can
 * act on, and nothing is stored. A tenant's own OAuth app is sealed and never read back.
 */
import { createHash } from 'node:crypto'
import { DEMO_PASSWORD, seed } from '@bizosaas/cms/seed'
import { startTestCms, type TestCms } from '@bizosaas/cms/test'
import pg from 'pg'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { z } from 'zod'
import { defineConnector } from '../define.ts'
import {
  type MockOAuthProvider,
  mockOAuthConnector,
  mockOAuthOverrides,
  startMockOAuthProvider,
} from '../testing/index.ts'

const PORTAL = 'http://portal.test'
const REDIRECT = `${PORTAL}/oauth/callback`
const PLATFORM_APP = { clientId: 'platform-app', clientSecret: 'platform-secret-0123456789' }
const TENANT_APP = { clientId: 'tenant-app', clientSecret: 'tenant-secret-abcdefghij' }

let provider: MockOAuthProvider
let cms: TestCms
let sql: pg.Client
const tenants = { a: 0, b: 0 }
const tokens: Record<string, string> = {}

const platformOnly = defineConnector({
  ...mockOAuthConnector,
  id: 'mock-platform',
  name: 'Mock Platform-only',
  auth: { ...mockOAuthConnector.auth, app: 'platform' } as typeof mockOAuthConnector.auth,
})
const keyConnector = defineConnector({
  id: 'mock-key',
  name: 'Mock Key',
  description: 'A credentials connector.',
  category: 'other',
  auth: { type: 'credentials', kind: 'api-key', schema: z.object({ key: z.string() }), secretFields: ['key'] },
  client: () => ({}),
  test: async () => ({ ok: true, message: 'ok' }),
})

beforeAll(async () => {
  provider = await startMockOAuthProvider({
    clients: [
      { ...PLATFORM_APP, redirectUris: [REDIRECT] },
      { ...TENANT_APP, redirectUris: [REDIRECT] },
    ],
  })
  cms = await startTestCms('connectors_oauth', {
    connectors: {
      connectors: [mockOAuthConnector, platformOnly, keyConnector],
      overrides: mockOAuthOverrides(provider, ['mock-oauth', 'mock-platform']),
      apps: { 'mock-oauth': PLATFORM_APP },
      portalUrl: PORTAL,
    },
  })
  await seed(cms.payload)
  for (const [key, slug] of [
    ['a', 'bizoholic'],
    ['b', 'coreldove'],
  ] as const)
    tenants[key] = (await cms.payload.find({ collection: 'tenants', where: { slug: { equals: slug } } })).docs[0]!
      .id as number
  for (const email of ['owner@bizoholic.dev', 'manager@bizoholic.dev', 'owner@coreldove.dev', 'admin@bizosaas.dev'])
    tokens[email] = await cms.login(email, DEMO_PASSWORD)
  sql = new pg.Client({ connectionString: cms.db.url })
  await sql.connect()
})

afterAll(async () => {
  await sql?.end()
  await cms?.close()
  await provider?.close()
})

const connectionsCount = async () => Number((await sql.query('SELECT count(*) FROM connections')).rows[0].count)

const authorize = (who: string, body: Record<string, unknown>, connector = 'mock-oauth') =>
  cms.rest.post(`/connectors/${connector}/authorize`, body, tokens[who])
const complete = (who: string, body: Record<string, unknown>) =>
  cms.rest.post('/connectors/oauth/complete', body, tokens[who])

/** Starts a flow as `who` and plays the consent page; returns the callback's parameters. */
async function consent(who: string, decision: 'allow' | 'deny' = 'allow', tenant = tenants.a) {
  const res = await authorize(who, { tenant })
  expect(res.status, JSON.stringify(res.body)).toBe(200)
  const back = await provider.consent(String(res.body.url), decision)
  return {
    state: back.searchParams.get('state')!,
    code: back.searchParams.get('code') ?? undefined,
    error: back.searchParams.get('error') ?? undefined,
    errorDescription: back.searchParams.get('error_description') ?? undefined,
    redirectUri: `${back.origin}${back.pathname}`,
  }
}

const statesCount = async () => Number((await sql.query('SELECT count(*) FROM connector_oauth_states')).rows[0].count)

describe('starting a flow', () => {
  it('gives the provider’s consent URL with PKCE S256 and a 32-byte state, stored only as its hash', async () => {
    const res = await authorize('owner@bizoholic.dev', { tenant: tenants.a })
    expect(res.status, JSON.stringify(res.body)).toBe(200)
    const url = new URL(String(res.body.url))
    expect(`${url.origin}${url.pathname}`).toBe(provider.authorizationUrl)
    const p = url.searchParams
    expect(p.get('response_type')).toBe('code')
    expect(p.get('client_id')).toBe(PLATFORM_APP.clientId)
    expect(p.get('redirect_uri')).toBe(REDIRECT)
    expect(p.get('scope')).toBe('profile email')
    expect(p.get('code_challenge_method')).toBe('S256')
    expect(p.get('code_challenge')).toMatch(/^[A-Za-z0-9_-]{43}$/)
    const state = p.get('state')!
    expect(Buffer.from(state, 'base64url')).toHaveLength(32)
    const { rows } = await sql.query('SELECT * FROM connector_oauth_states WHERE state_hash = $1', [
      createHash('sha256').update(state).digest('hex'),
    ])
    expect(rows).toHaveLength(1)
    expect(rows[0]).toMatchObject({
      connector: 'mock-oauth',
      tenant_id: tenants.a,
      redirect_uri: REDIRECT,
      used_at: null,
    })
    expect(new Date(rows[0].expires_at).getTime() - Date.now()).toBeGreaterThan(9 * 60_000)
    expect(JSON.stringify(rows)).not.toContain(state)
    expect(rows[0].verifier_ciphertext).toMatch(/^v1\./)
  })

  it('is for tenant-admins of the tenant: a manager 403, another tenant 404, signed out 401; nothing stored', async () => {
    const before = await statesCount()
    expect((await authorize('manager@bizoholic.dev', { tenant: tenants.a })).status).toBe(403)
    expect((await authorize('owner@coreldove.dev', { tenant: tenants.a })).status).toBe(404)
    expect((await cms.rest.post('/connectors/mock-oauth/authorize', { tenant: tenants.a })).status).toBe(401)
    expect((await authorize('admin@bizosaas.dev', { tenant: tenants.b })).status).toBe(200)
    expect(await statesCount()).toBe(before + 1)
  })

  it('names what is wrong: an unknown connector, one without a consent page, a bad tenant, a foreign connection', async () => {
    const owner = 'owner@bizoholic.dev'
    expect(await authorize(owner, { tenant: tenants.a }, 'nope')).toMatchObject({
      status: 404,
      body: { error: 'No connector "nope" is installed.' },
    })
    expect(await authorize(owner, { tenant: tenants.a }, 'mock-key')).toMatchObject({
      status: 400,
      body: { error: "Mock Key does not connect through a provider's consent page." },
    })
    expect((await authorize(owner, { tenant: 'x' })).status).toBe(400)
    expect(await authorize(owner, { tenant: tenants.a, connection: 987654 })).toMatchObject({
      status: 404,
      body: { error: 'No Mock Provider connection 987654 in this tenant.' },
    })
    // The platform has no app for this one.
    expect(await authorize(owner, { tenant: tenants.a }, 'mock-platform')).toMatchObject({ status: 409 })
  })
})

describe('completing a flow refuses, and stores nothing', () => {
  it('a refused consent (access_denied): "You declined access at Mock Provider"', async () => {
    const back = await consent('owner@bizoholic.dev', 'deny')
    expect(back.error).toBe('access_denied')
    const res = await complete('owner@bizoholic.dev', back)
    expect(res).toMatchObject({
      status: 400,
      body: { error: 'You declined access at Mock Provider; nothing was connected.' },
    })
    expect(await connectionsCount()).toBe(0)
  })

  it('a forged state', async () => {
    const res = await complete('owner@bizoholic.dev', {
      state: 'Zm9yZ2VkLXN0YXRlLW9mLXRoaXJ0eS10d28tYnl0ZXMh',
      code: 'mock_code_whatever',
      redirectUri: REDIRECT,
    })
    expect(res.status).toBe(400)
    expect(String(res.body.error)).toMatch(/^This sign-in response is not one we started \(unknown state\)/)
    expect(provider.count('token')).toBe(0)
  })

  it('a replayed state: the second use is refused and exchanges nothing', async () => {
    const back = await consent('owner@bizoholic.dev', 'deny')
    await complete('owner@bizoholic.dev', back)
    const again = await complete('owner@bizoholic.dev', { ...back, error: undefined, code: 'mock_code_replay' })
    expect(again.status).toBe(400)
    expect(String(again.body.error)).toMatch(/^This sign-in response was already used/)
    expect(provider.count('token')).toBe(0)
  })

  it('two callbacks racing with one state: exactly one gets past the state', async () => {
    const back = await consent('owner@bizoholic.dev', 'deny')
    const answers = await Promise.all([1, 2, 3].map(() => complete('owner@bizoholic.dev', back)))
    const errors = answers.map((a) => String(a.body.error))
    expect(errors.filter((e) => e.startsWith('You declined access'))).toHaveLength(1)
    expect(errors.filter((e) => e.startsWith('This sign-in response was already used'))).toHaveLength(2)
  })

  it('an expired state (older than 10 minutes)', async () => {
    const back = await consent('owner@bizoholic.dev')
    await sql.query(
      `UPDATE connector_oauth_states SET expires_at = now() - interval '1 second' WHERE state_hash = $1`,
      [createHash('sha256').update(back.state).digest('hex')],
    )
    const res = await complete('owner@bizoholic.dev', back)
    expect(res.status).toBe(400)
    expect(String(res.body.error)).toMatch(/took longer than 10 minutes and expired/)
    expect(provider.count('token')).toBe(0)
  })

  it('a state of another user (even a super-admin) is refused and stays usable by its owner', async () => {
    const back = await consent('owner@bizoholic.dev', 'deny')
    const res = await complete('admin@bizosaas.dev', back)
    expect(res.status).toBe(400)
    expect(String(res.body.error)).toMatch(/^This sign-in was started by another user/)
    // Not consumed by the foreign attempt: its owner still finishes (here: with the refusal it carries).
    expect((await complete('owner@bizoholic.dev', back)).body.error).toMatch(/^You declined access/)
  })

  it('a state of another tenant than the caller expects', async () => {
    const back = await consent('admin@bizosaas.dev', 'allow', tenants.a)
    const res = await complete('admin@bizosaas.dev', { ...back, tenant: tenants.b })
    expect(res).toMatchObject({
      status: 400,
      body: { error: 'This sign-in was started for another tenant; nothing was connected.' },
    })
    expect(provider.count('token')).toBe(0)
  })

  it('a wrong redirect URI', async () => {
    const back = await consent('owner@bizoholic.dev')
    const res = await complete('owner@bizoholic.dev', { ...back, redirectUri: 'http://evil.test/oauth/callback' })
    expect(res.status).toBe(400)
    expect(String(res.body.error)).toMatch(/came back to an address this flow did not start from/)
    expect(provider.count('token')).toBe(0)
  })

  it('a malformed token response: 502 with a clear message', async () => {
    const back = await consent('owner@bizoholic.dev')
    provider.fail({ fault: 'malformed' })
    const res = await complete('owner@bizoholic.dev', back)
    expect(res).toMatchObject({
      status: 502,
      body: {
        error:
          'Mock Provider answered the token request with something that is not a valid token response; nothing was connected.',
      },
    })
    expect(provider.count('token')).toBe(1)
  })

  it('a token endpoint that refuses the code (invalid_grant): 400 naming the provider’s reason', async () => {
    const back = await consent('owner@bizoholic.dev')
    provider.fail({ fault: 'invalid-grant' })
    const res = await complete('owner@bizoholic.dev', back)
    expect(res.status).toBe(400)
    expect(String(res.body.error)).toMatch(/^Mock Provider refused the authorization code \(invalid_grant/)
  })

  it('a token endpoint failing with 5xx: 502, try again', async () => {
    const back = await consent('owner@bizoholic.dev')
    provider.fail({ fault: 'server-error' })
    const res = await complete('owner@bizoholic.dev', back)
    expect(res.status).toBe(502)
    expect(String(res.body.error)).toBe(
      'Mock Provider had a problem finishing the connection (HTTP 500); nothing was connected. Try again.',
    )
  })

  it('nothing was saved by any of them', async () => {
    expect(await connectionsCount()).toBe(0)
  })
})

describe('a tenant’s own OAuth app', () => {
  it('is saved by a tenant-admin, sealed, never read back, and then used for the flow', async () => {
    const owner = tokens['owner@bizoholic.dev']
    const put = await cms.rest.request('PUT', '/connectors/mock-oauth/app', {
      token: owner,
      body: { tenant: tenants.a, ...TENANT_APP },
    })
    expect(put.status, JSON.stringify(put.body)).toBe(201)
    expect(put.body).toMatchObject({ clientId: TENANT_APP.clientId, secretHint: '…ghij' })
    expect(JSON.stringify(put.body)).not.toContain(TENANT_APP.clientSecret)
    const { rows } = await sql.query('SELECT * FROM connector_apps WHERE tenant_id = $1', [tenants.a])
    expect(rows).toHaveLength(1)
    expect(JSON.stringify(rows)).not.toContain(TENANT_APP.clientSecret)
    // Over REST: the client id and hint, never the ciphertext; other tenants and managers see nothing.
    const read = await cms.rest.get(`/connector-apps?depth=0`, owner)
    expect(read.body.docs).toHaveLength(1)
    expect(read.body.docs![0]).not.toHaveProperty('ciphertext')
    expect((await cms.rest.get('/connector-apps', tokens['owner@coreldove.dev'])).body.docs).toHaveLength(0)
    // Members read the client id and hint (the portal shows which app is used), never the secret.
    const asManager = await cms.rest.get('/connector-apps', tokens['manager@bizoholic.dev'])
    expect(asManager.body.docs).toHaveLength(1)
    expect(JSON.stringify(asManager.body)).not.toMatch(/ciphertext|tenant-secret/)
    // The flow now uses the tenant's app.
    const started = await authorize('owner@bizoholic.dev', { tenant: tenants.a })
    expect(new URL(String(started.body.url)).searchParams.get('client_id')).toBe(TENANT_APP.clientId)
    // Replaced in place, then removed.
    const again = await cms.rest.request('PUT', '/connectors/mock-oauth/app', {
      token: owner,
      body: { tenant: tenants.a, clientId: TENANT_APP.clientId, clientSecret: 'another-secret-wxyz' },
    })
    expect([again.status, again.body.secretHint]).toEqual([200, '…wxyz'])
    const removed = await cms.rest.request('DELETE', `/connectors/mock-oauth/app?tenant=${tenants.a}`, { token: owner })
    expect(removed.status).toBe(200)
    const after = await authorize('owner@bizoholic.dev', { tenant: tenants.a })
    expect(new URL(String(after.body.url)).searchParams.get('client_id')).toBe(PLATFORM_APP.clientId)
  })

  it('is refused to managers and other tenants, and checked field by field', async () => {
    const put = (who: string, body: Record<string, unknown>, connector = 'mock-oauth') =>
      cms.rest.request('PUT', `/connectors/${connector}/app`, { token: tokens[who], body })
    expect((await put('manager@bizoholic.dev', { tenant: tenants.a, ...TENANT_APP })).status).toBe(403)
    expect((await put('owner@coreldove.dev', { tenant: tenants.a, ...TENANT_APP })).status).toBe(404)
    expect(await put('owner@bizoholic.dev', { tenant: tenants.a, clientId: 'x', clientSecret: 'short' })).toMatchObject(
      {
        status: 400,
        body: { error: 'clientSecret: paste the OAuth app’s client secret (at least 8 characters)' },
      },
    )
    expect((await put('owner@bizoholic.dev', { tenant: tenants.a, ...TENANT_APP }, 'mock-platform')).status).toBe(400)
    expect(Number((await sql.query('SELECT count(*) FROM connector_apps')).rows[0].count)).toBe(0)
  })

  it('a connector that needs the tenant’s own app cannot start without one (409 saying what to enter)', async () => {
    expect(await authorize('owner@bizoholic.dev', { tenant: tenants.a }, 'mock-platform')).toMatchObject({
      status: 409,
      body: {
        error:
          'The platform has no Mock Platform-only app configured; ask the platform operator to set CONNECTOR_MOCK_PLATFORM_CLIENT_ID and _CLIENT_SECRET.',
      },
    })
  })

  it('the states collection has no API at all', async () => {
    for (const who of ['owner@bizoholic.dev', 'admin@bizosaas.dev']) {
      const res = await cms.rest.get('/connector-oauth-states', tokens[who])
      expect([403, 404]).toContain(res.status)
    }
  })
})

describe('a completed flow', () => {
  let connection = 0

  it('connects: tokens sealed, the account named by the connector’s test, the state used up', async () => {
    const back = await consent('owner@bizoholic.dev')
    const res = await complete('owner@bizoholic.dev', { ...back, tenant: tenants.a })
    expect(res.status, JSON.stringify(res.body)).toBe(200)
    expect(res.body).toMatchObject({
      tenant: tenants.a,
      connector: 'mock-oauth',
      account: 'owner@example.com',
      reconnected: false,
      message: 'Connected Mock Provider as owner@example.com.',
    })
    connection = Number(res.body.connection)
    const { rows } = await sql.query('SELECT * FROM connections WHERE id = $1', [connection])
    expect(rows[0]).toMatchObject({ tenant_id: tenants.a, status: 'connected', account: 'owner@example.com' })
    expect(rows[0].ciphertext).toMatch(/^v1\./)
    expect(JSON.stringify(rows[0])).not.toMatch(/mock_at_|mock_rt_/)
    expect(JSON.stringify(res.body)).not.toMatch(/mock_at_|mock_rt_|mock_code_/)
    expect(provider.count('token', 'authorization_code')).toBeGreaterThan(0)
    // The same state once more: refused, nothing new.
    const again = await complete('owner@bizoholic.dev', back)
    expect(String(again.body.error)).toMatch(/already used/)
    expect(await connectionsCount()).toBe(1)
  })

  it('reconnects in place: the same connection, connected again, last error and notice cleared', async () => {
    await sql.query(
      `UPDATE connections SET status = 'needs-reconnect', last_error = 'consent revoked', notified_at = now() WHERE id = $1`,
      [connection],
    )
    const started = await authorize('owner@bizoholic.dev', { tenant: tenants.a, connection })
    expect(started.status, JSON.stringify(started.body)).toBe(200)
    const back = await provider.consent(String(started.body.url), 'allow')
    const res = await complete('owner@bizoholic.dev', {
      state: back.searchParams.get('state'),
      code: back.searchParams.get('code'),
      redirectUri: REDIRECT,
    })
    expect(res.status, JSON.stringify(res.body)).toBe(200)
    expect(res.body).toMatchObject({ connection, reconnected: true })
    const { rows } = await sql.query('SELECT status, last_error, notified_at FROM connections WHERE id = $1', [
      connection,
    ])
    expect(rows[0]).toEqual({ status: 'connected', last_error: null, notified_at: null })
    expect(await connectionsCount()).toBe(1)
  })

  it('a reconnect of another tenant’s connection is "not found"', async () => {
    const res = await authorize('owner@coreldove.dev', { tenant: tenants.b, connection })
    expect(res).toMatchObject({
      status: 404,
      body: { error: `No Mock Provider connection ${connection} in this tenant.` },
    })
  })

  it('disconnecting revokes the grant at the provider', async () => {
    const before = provider.count('revoke')
    const res = await cms.rest.post(
      `/connectors/connections/${connection}/disconnect`,
      {},
      tokens['owner@bizoholic.dev'],
    )
    expect(res.status, JSON.stringify(res.body)).toBe(200)
    expect(res.body).toMatchObject({ disconnected: true, revoked: true })
    expect(provider.count('revoke')).toBeGreaterThan(before)
    expect(await connectionsCount()).toBe(0)
  })
})
