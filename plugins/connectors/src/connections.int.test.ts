/**
 * Connections in the real CMS (Payload on its own migrated PostgreSQL, REST and GraphQL handlers) against
 * the mock OAuth provider over real HTTP: one refresh when two callers race, rotated refresh tokens
 * stored, refused grants flip once and notify once, outages keep the connection, 401 → one refresh and
 * one retry, garbage keeps the old tokens, the endpoints keep tenants apart, and no secret leaves.
 */
import { createHash, randomBytes } from 'node:crypto'
import { DEMO_PASSWORD, seed } from '@bizosaas/cms/seed'
import { startTestCms, type TestCms } from '@bizosaas/cms/test'
import pg from 'pg'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { z } from 'zod'
import { connectionClient, freshTokens, markNeedsReconnect, saveConnection } from './connections.ts'
import { ConnectionError, type ConnectorContext, defineConnector } from './define.ts'
import { enqueueTokenRefresh, refreshDueConnections, startConnectorsWorker } from './refresh.ts'
import { openSecrets } from './sealed.ts'
import { selectConnection } from './sql.ts'
import { type MockOAuthProvider, startMockOAuthProvider } from './testing/mock-oauth.ts'
import { type ParsedMessage, type SmtpCapture, startSmtpCapture } from './testing/smtp-capture.ts'

process.env.VAULT_KEYS = `k1:${randomBytes(32).toString('base64')}`

const REDIRECT = 'http://127.0.0.1:9/oauth/callback'
const PLATFORM = { clientId: 'platform-app', clientSecret: 'platform-secret-0123456789' }
const MACHINE = { clientId: 'machine-client', clientSecret: 'machine-secret-0123456789' }

interface MeClient {
  me(): Promise<{ email: string }>
}

/** A client over the provider's `/me`, as a real connector's would be over its API. */
const meClient = (ctx: ConnectorContext<unknown>): MeClient => ({
  async me() {
    const res = await ctx.fetch(`${ctx.urls.api}/me`)
    if (res.status === 401) throw new ConnectionError('needs-reconnect', 'The provider refused the token')
    if (!res.ok) throw new Error(`/me answered ${res.status}`)
    return (await res.json()) as { email: string }
  },
})
const meTest = async (client: MeClient) => {
  const me = await client.me()
  return { ok: true as const, message: `Connected as ${me.email}`, account: me.email }
}

const oauthConnector = defineConnector({
  id: 'mock-oauth',
  name: 'Mock OAuth',
  description: 'A provider with a consent page.',
  category: 'other',
  auth: {
    type: 'oauth2',
    grant: 'authorization_code',
    authorizationUrl: 'https://provider.invalid/authorize',
    tokenUrl: 'https://provider.invalid/token',
    revocationUrl: 'https://provider.invalid/revoke',
    app: 'either',
  },
  scopes: ['read'],
  urls: { api: 'https://provider.invalid' },
  client: meClient,
  test: meTest,
})

const ccConnector = defineConnector({
  id: 'mock-cc',
  name: 'Mock machine API',
  description: 'Client credentials.',
  category: 'other',
  auth: { type: 'oauth2', grant: 'client_credentials', tokenUrl: 'https://provider.invalid/token' },
  urls: { api: 'https://provider.invalid' },
  client: meClient,
  test: meTest,
})

const saConnector = defineConnector({
  id: 'mock-sa',
  name: 'Mock service account',
  description: 'A JSON key.',
  category: 'analytics',
  auth: {
    type: 'service-account',
    tokenUrl: 'https://provider.invalid/token',
    key: z.looseObject({
      client_email: z.email(),
      private_key: z.string().min(1),
      private_key_id: z.string().optional(),
      token_uri: z.url().optional(),
    }),
  },
  scopes: ['analytics.readonly'],
  urls: { api: 'https://provider.invalid' },
  client: meClient,
  test: meTest,
})

/** An API key: any access token the mock issued works as one (tested against `/me` with plain fetch). */
const keyConnector = defineConnector({
  id: 'mock-key',
  name: 'Mock API key',
  description: 'An API key.',
  category: 'other',
  auth: {
    type: 'credentials',
    kind: 'api-key',
    schema: z.object({ apiKey: z.string().min(8).describe('The API key') }),
    secretFields: ['apiKey'],
  },
  urls: { api: 'https://provider.invalid' },
  client: (ctx: ConnectorContext<{ apiKey: string }>) => ({
    me: () => ctx.fetch(`${ctx.urls.api}/me`, { headers: { authorization: `Bearer ${ctx.credentials.apiKey}` } }),
  }),
  async test(client) {
    const res = await client.me()
    if (res.status === 401) return { ok: false, message: 'The API key was refused (401)' }
    const me = (await res.json()) as { email: string }
    return { ok: true, message: 'ok', account: me.email }
  },
})

let cms: TestCms
let mock: MockOAuthProvider
let sql: pg.Client
/** The platform mailer (SMTP_URL): where the reconnect notices arrive. */
let smtp: SmtpCapture
const notices = (connection: { name: string }) =>
  smtp.messages.filter((m: ParsedMessage) => m.subject?.includes(`"${connection.name}"`))
const logged: string[] = []
const tenants = { A: 0, B: 0 }
const tokens: Record<string, string> = {}
const DUAL = 'dual@connectors.test'

beforeAll(async () => {
  mock = await startMockOAuthProvider({
    clients: [{ ...PLATFORM, redirectUris: [REDIRECT] }, MACHINE],
  })
  smtp = await startSmtpCapture()
  process.env.SMTP_URL = smtp.url
  process.env.MAIL_FROM = 'BizOSaaS <no-reply@bizosaas.test>'
  const to = { tokenUrl: mock.tokenUrl, revocationUrl: mock.revocationUrl, urls: { api: mock.url } }
  cms = await startTestCms('connectors', {
    connectors: {
      connectors: [oauthConnector, ccConnector, saConnector, keyConnector],
      apps: { 'mock-oauth': PLATFORM },
      overrides: {
        'mock-oauth': { ...to, authorizationUrl: mock.authorizationUrl },
        'mock-cc': to,
        'mock-sa': to,
        'mock-key': to,
      },
    },
  })
  await seed(cms.payload)
  for (const [key, slug] of [
    ['A', 'bizoholic'],
    ['B', 'coreldove'],
  ] as const)
    tenants[key] = (await cms.payload.find({ collection: 'tenants', where: { slug: { equals: slug } } })).docs[0]!
      .id as number
  // Admin of A, only manager of B.
  await cms.payload.create({
    collection: 'users',
    data: {
      email: DUAL,
      password: DEMO_PASSWORD,
      name: 'Dual',
      roles: ['user'],
      tenants: [
        { tenant: tenants.A, roles: ['tenant-admin'] },
        { tenant: tenants.B, roles: ['manager'] },
      ],
    } as never,
  })
  for (const email of [
    'owner@bizoholic.dev',
    'manager@bizoholic.dev',
    'owner@coreldove.dev',
    'admin@bizosaas.dev',
    DUAL,
  ])
    tokens[email] = await cms.login(email, DEMO_PASSWORD)
  sql = new pg.Client({ connectionString: cms.db.url })
  await sql.connect()
  for (const level of ['trace', 'debug', 'info', 'warn', 'error', 'fatal'] as const) {
    const original = cms.payload.logger[level].bind(cms.payload.logger)
    vi.spyOn(cms.payload.logger, level).mockImplementation(((...args: unknown[]) => {
      logged.push(JSON.stringify(args, (_k, v) => (v instanceof Error ? `${v.message} ${v.stack}` : v)))
      return (original as (...a: unknown[]) => void)(...args)
    }) as never)
  }
})

afterAll(async () => {
  await sql?.end()
  await cms?.close()
  await mock?.close()
  await smtp?.close()
})

/** The real consent flow at the mock (PKCE, Allow, code exchange): the tokens a connection starts with. */
async function consentTokens() {
  const verifier = randomBytes(32).toString('base64url')
  const url = new URL(mock.authorizationUrl)
  for (const [k, v] of Object.entries({
    client_id: PLATFORM.clientId,
    redirect_uri: REDIRECT,
    response_type: 'code',
    scope: 'read',
    state: 's',
    code_challenge: createHash('sha256').update(verifier).digest('base64url'),
    code_challenge_method: 'S256',
  }))
    url.searchParams.set(k, v)
  const code = (await mock.consent(url.toString())).searchParams.get('code')!
  const res = await fetch(mock.tokenUrl, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      authorization: `Basic ${Buffer.from(`${PLATFORM.clientId}:${PLATFORM.clientSecret}`).toString('base64')}`,
    },
    body: new URLSearchParams({
      grant_type: 'authorization_code',
      code,
      redirect_uri: REDIRECT,
      code_verifier: verifier,
    }),
  })
  const body = (await res.json()) as { access_token: string; refresh_token: string; expires_in: number; scope: string }
  return body
}

/** A connected mock-oauth connection of `tenant` whose token expires in `expiresInSeconds`. */
async function oauthConnection(tenant: number, expiresInSeconds = 3600) {
  const t = await consentTokens()
  const saved = await saveConnection(cms.payload, {
    tenant,
    connector: 'mock-oauth',
    name: `Mock ${randomBytes(3).toString('hex')}`,
    tokens: {
      accessToken: t.access_token,
      refreshToken: t.refresh_token,
      expiresAt: new Date(Date.now() + expiresInSeconds * 1000).toISOString(),
      tokenType: 'Bearer',
      scope: t.scope,
    },
    account: 'owner@example.com',
  })
  return { id: saved.id, name: saved.name, initial: t }
}

const secretsOf = async (id: number) => openSecrets(cms.payload, (await selectConnection(sql as never, id))!)
const client = (tenant: number, connection: number) =>
  connectionClient(cms.payload, {
    tenant,
    connector: 'mock-oauth',
    connection,
  }) as Promise<unknown> as Promise<MeClient>
const contextOf = async (tenant: number, connection: number) => {
  // The client closes over its context; reach the token through a fetch the mock answers.
  const c = await client(tenant, connection)
  return c
}

describe('token lifecycle', () => {
  it('two racing callers refresh once; both get the new token; the rotated refresh token is stored', async () => {
    const { id, initial } = await oauthConnection(tenants.A, 60) // inside the 5-minute margin
    const before = mock.count('token', 'refresh_token')
    mock.fail({ fault: 'slow', delayMs: 300 }) // the first refresh is slow: the second caller waits on the lock
    // Two callers with their own pool clients (each freshTokens takes a dedicated client for its lock).
    const [a, b] = await Promise.all([freshTokens(cms.payload, id), freshTokens(cms.payload, id)])
    expect(mock.count('token', 'refresh_token')).toBe(before + 1)
    expect(a.accessToken).toBe(b.accessToken)
    expect(a.accessToken).not.toBe(initial.access_token)
    const stored = await secretsOf(id)
    expect(stored.tokens?.refreshToken).toBe(a.refreshToken)
    expect(stored.tokens?.refreshToken).not.toBe(initial.refresh_token)
    expect(mock.isRefreshTokenValid(initial.refresh_token)).toBe(false)
    expect(mock.isRefreshTokenValid(stored.tokens!.refreshToken!)).toBe(true)
    const row = await selectConnection(sql as never, id)
    expect(row!.status).toBe('connected')
    expect(new Date(row!.expiresAt!).getTime()).toBeGreaterThan(Date.now() + 3000_000)
    // And the client works with it.
    expect((await (await client(tenants.A, id)).me()).email).toBe('owner@example.com')
  })

  it('two racing clients through connectionClient().fetch also refresh once', async () => {
    const { id } = await oauthConnection(tenants.A, 30)
    const before = mock.count('token', 'refresh_token')
    mock.fail({ fault: 'slow', delayMs: 300 })
    const [x, y] = await Promise.all([contextOf(tenants.A, id), contextOf(tenants.A, id)])
    const [mx, my] = await Promise.all([x.me(), y.me()])
    expect([mx.email, my.email]).toEqual(['owner@example.com', 'owner@example.com'])
    expect(mock.count('token', 'refresh_token')).toBe(before + 1)
  })

  it('a 401 from the API refreshes once and retries once', async () => {
    const { id } = await oauthConnection(tenants.A)
    const c = await client(tenants.A, id)
    await c.me()
    mock.expireAccessTokens() // the provider drops the token before its stated expiry
    const refreshes = mock.count('token', 'refresh_token')
    const calls = mock.count('me')
    expect((await c.me()).email).toBe('owner@example.com')
    expect(mock.count('token', 'refresh_token')).toBe(refreshes + 1)
    expect(mock.count('me')).toBe(calls + 2)
  })

  it('an outage (5xx) keeps the connection connected, records the error, and a later call works', async () => {
    const { id } = await oauthConnection(tenants.A, 30)
    mock.fail({ fault: 'server-error' })
    const error = await freshTokens(cms.payload, id, { force: true }).catch((e) => e)
    expect(error).toBeInstanceOf(ConnectionError)
    expect(error.code).toBe('unavailable')
    let row = await selectConnection(sql as never, id)
    expect(row!.status).toBe('connected')
    expect(row!.lastError).toMatch(/unavailable/)
    // Within the margin but still valid: a 503 does not stop the caller, it keeps the current token.
    mock.fail({ fault: 'unavailable' })
    const kept = await freshTokens(cms.payload, id)
    expect(kept.accessToken).toBe((await secretsOf(id)).tokens!.accessToken)
    expect((await (await client(tenants.A, id)).me()).email).toBe('owner@example.com')
    row = await selectConnection(sql as never, id)
    expect(row!.status).toBe('connected')
    expect(row!.lastError).toBeNull()
  })

  it('a malformed token response sets `error` with a clear message and keeps the old tokens', async () => {
    const { id } = await oauthConnection(tenants.A, 30)
    const before = await secretsOf(id)
    mock.fail({ fault: 'malformed' })
    const error = await freshTokens(cms.payload, id, { force: true }).catch((e) => e)
    expect(error).toBeInstanceOf(ConnectionError)
    expect(error.code).toBe('error')
    expect(error.message).toMatch(/malformed/)
    const row = await selectConnection(sql as never, id)
    expect(row!.status).toBe('error')
    expect(row!.lastError).toMatch(/malformed.*nothing was changed/)
    expect(await secretsOf(id)).toEqual(before)
    expect(mock.isRefreshTokenValid(before.tokens!.refreshToken!)).toBe(true)
    // The next refresh succeeds and clears the error.
    await freshTokens(cms.payload, id, { force: true })
    expect((await selectConnection(sql as never, id))!.status).toBe('connected')
  })

  it('invalid_grant flips to needs-reconnect and mails the tenant admins once, even from two processes', async () => {
    const connection = await oauthConnection(tenants.A, 30)
    const { id } = connection
    mock.revokeGrants({ clientId: PLATFORM.clientId }) // the person revoked consent at the provider
    mock.fail({ fault: 'slow', delayMs: 200 })
    const results = await Promise.allSettled([
      freshTokens(cms.payload, id, { force: true }),
      freshTokens(cms.payload, id, { force: true }),
    ])
    for (const r of results) {
      expect(r.status).toBe('rejected')
      expect((r as PromiseRejectedResult).reason.code).toBe('needs-reconnect')
    }
    const row = await selectConnection(sql as never, id)
    expect(row!.status).toBe('needs-reconnect')
    expect(row!.notifiedAt).not.toBeNull()
    expect(row!.lastError).toMatch(/invalid_grant/)
    // One email over real SMTP (the platform mailer), to the tenant's admins only.
    const mail = await smtp.waitFor((m) => Boolean(m.subject?.includes(`"${connection.name}"`)), 10_000)
    expect(mail.subject).toMatch(/^Reconnect Mock OAuth/)
    expect(mail.text).toMatch(/invalid_grant/)
    // It says where to reconnect: the tenant's Integrations page (its URL when PORTAL_URL is known).
    expect(mail.text).toMatch(
      process.env.PORTAL_URL ? `/t/${tenants.A}/integrations` : /the portal’s Integrations page/,
    )
    expect(mail.envelope.to.sort()).toEqual(['dual@connectors.test', 'owner@bizoholic.dev'])
    for (const secret of ['mock_at_', 'mock_rt_', PLATFORM.clientSecret]) expect(mail.raw).not.toContain(secret)
    // Later calls say so without calling the provider, and do not notify again.
    const calls = mock.count('token')
    const later = await client(tenants.A, id).catch((e) => e)
    expect(later.code).toBe('needs-reconnect')
    expect(await markNeedsReconnect(cms.payload, id, 'again')).toEqual({ notified: false })
    expect(mock.count('token')).toBe(calls)
    await new Promise((r) => setTimeout(r, 500))
    expect(notices(connection)).toHaveLength(1)
  })

  it('markNeedsReconnect from three processes at once notifies once', async () => {
    const connection = await oauthConnection(tenants.A)
    const { id } = connection
    const flips = await Promise.all([
      markNeedsReconnect(cms.payload, id, 'Consent was withdrawn'),
      markNeedsReconnect(cms.payload, id, 'Consent was withdrawn'),
      markNeedsReconnect(cms.payload, id, 'Consent was withdrawn'),
    ])
    expect(flips.filter((f) => f.notified)).toHaveLength(1)
    await smtp.waitFor((m) => Boolean(m.subject?.includes(`"${connection.name}"`)), 10_000)
    await new Promise((r) => setTimeout(r, 500))
    expect(notices(connection)).toHaveLength(1)
    // Reconnecting resets it.
    const t = await consentTokens()
    await saveConnection(cms.payload, {
      tenant: tenants.A,
      connector: 'mock-oauth',
      connection: id,
      tokens: { accessToken: t.access_token, refreshToken: t.refresh_token },
    })
    const row = await selectConnection(sql as never, id)
    expect([row!.status, row!.notifiedAt]).toEqual(['connected', null])
  })

  it('the refresh cron refreshes connections due within the margin (pg-boss, real queue)', async () => {
    const due = await oauthConnection(tenants.B, 60)
    const later = await oauthConnection(tenants.B, 7200)
    const report = await refreshDueConnections(cms.payload)
    expect(report.refreshed).toBeGreaterThanOrEqual(1)
    expect(new Date((await selectConnection(sql as never, due.id))!.expiresAt!).getTime()).toBeGreaterThan(
      Date.now() + 3000_000,
    )
    expect((await secretsOf(later.id)).tokens!.accessToken).toBe(later.initial.access_token)

    // The same through the queue a worker process runs.
    const queued = await oauthConnection(tenants.B, 45)
    const worker = await startConnectorsWorker(cms.payload, { pollingIntervalSeconds: 1 })
    try {
      await enqueueTokenRefresh(cms.payload)
      await vi.waitFor(
        async () => {
          const row = await selectConnection(sql as never, queued.id)
          expect(new Date(row!.expiresAt!).getTime()).toBeGreaterThan(Date.now() + 3000_000)
        },
        { timeout: 30_000, interval: 250 },
      )
    } finally {
      await worker.stop({ graceMs: 2_000 })
    }
  })

  it('an outage in the cron counts as unavailable (so pg-boss retries) and keeps the connection', async () => {
    const { id } = await oauthConnection(tenants.B, 60)
    mock.fail({ fault: 'unavailable' }, { times: 20 })
    const report = await refreshDueConnections(cms.payload)
    mock.clearFaults()
    expect(report.unavailable).toBeGreaterThanOrEqual(1)
    expect((await selectConnection(sql as never, id))!.status).toBe('connected')
  })
})

describe('endpoints', () => {
  const as = (email: string) => tokens[email]

  it('connects an API key only when its test passes; 400 with the reason otherwise', async () => {
    const bad = await cms.rest.post(
      '/connectors/mock-key/connect',
      { tenant: tenants.A, credentials: { apiKey: 'not-a-valid-key' } },
      as('owner@bizoholic.dev'),
    )
    expect(bad.status).toBe(400)
    expect(bad.body.error).toMatch(/refused.*401/)
    expect((await sql.query(`SELECT count(*)::int AS n FROM connections WHERE connector = 'mock-key'`)).rows[0].n).toBe(
      0,
    )

    const short = await cms.rest.post(
      '/connectors/mock-key/connect',
      { tenant: tenants.A, credentials: { apiKey: 'x' } },
      as('owner@bizoholic.dev'),
    )
    expect(short.status).toBe(400)
    expect(short.body.error).toMatch(/^credentials\.apiKey:/)

    const issued = await fetch(mock.tokenUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'client_credentials',
        client_id: MACHINE.clientId,
        client_secret: MACHINE.clientSecret,
      }),
    })
    const apiKey = ((await issued.json()) as { access_token: string }).access_token
    const good = await cms.rest.post(
      '/connectors/mock-key/connect',
      { tenant: tenants.A, name: 'Key', credentials: { apiKey } },
      as('owner@bizoholic.dev'),
    )
    expect(good.status, JSON.stringify(good.body)).toBe(201)
    expect(good.body.connection).toMatchObject({
      connector: 'mock-key',
      status: 'connected',
      account: 'owner@example.com',
    })
    expect(JSON.stringify(good.body)).not.toContain(apiKey)
    const doc = await cms.rest.get(
      `/connections/${(good.body.connection as { id: number }).id}`,
      as('owner@bizoholic.dev'),
    )
    expect(doc.body.secretHint).toBe(`…${apiKey.slice(-4)}`)
  })

  it('connects client credentials and a service account (token fetched and tested first)', async () => {
    const wrong = await cms.rest.post(
      '/connectors/mock-cc/connect',
      { tenant: tenants.A, credentials: { clientId: MACHINE.clientId, clientSecret: 'wrong-secret' } },
      as('owner@bizoholic.dev'),
    )
    expect(wrong.status).toBe(400)
    expect(wrong.body.error).toMatch(/invalid_client/)
    const cc = await cms.rest.post(
      '/connectors/mock-cc/connect',
      { tenant: tenants.A, credentials: MACHINE },
      as('owner@bizoholic.dev'),
    )
    expect(cc.status, JSON.stringify(cc.body)).toBe(201)
    const ccClient = (await connectionClient(cms.payload, {
      tenant: tenants.A,
      connector: 'mock-cc',
    })) as unknown as MeClient
    expect((await ccClient.me()).email).toBe('owner@example.com')

    const key = await mock.createServiceAccount('robot@mock.iam.example.com')
    const sa = await cms.rest.post(
      '/connectors/mock-sa/connect',
      { tenant: tenants.A, credentials: JSON.stringify(key) },
      as('owner@bizoholic.dev'),
    )
    expect(sa.status, JSON.stringify(sa.body)).toBe(201)
    expect(JSON.stringify(sa.body)).not.toContain('PRIVATE KEY')
    const saClient = (await connectionClient(cms.payload, {
      tenant: tenants.A,
      connector: 'mock-sa',
    })) as unknown as MeClient
    expect((await saClient.me()).email).toBe('owner@example.com')
    // The token fetched by the connect test was stored; a refresh signs a new assertion.
    const jwtCalls = mock.count('token', 'urn:ietf:params:oauth:grant-type:jwt-bearer')
    const saId = (sa.body.connection as { id: number }).id
    const before = (await secretsOf(saId)).tokens!.accessToken
    const after = await freshTokens(cms.payload, saId, { force: true })
    expect(after.accessToken).not.toBe(before)
    expect(mock.count('token', 'urn:ietf:params:oauth:grant-type:jwt-bearer')).toBe(jwtCalls + 1)

    const notJson = await cms.rest.post(
      '/connectors/mock-sa/connect',
      { tenant: tenants.A, credentials: '{nope' },
      as('owner@bizoholic.dev'),
    )
    expect(notJson.status).toBe(400)
    expect(notJson.body.error).toMatch(/not valid JSON/)
    const consent = await cms.rest.post(
      '/connectors/mock-oauth/connect',
      { tenant: tenants.A, credentials: {} },
      as('owner@bizoholic.dev'),
    )
    expect(consent.status).toBe(400)
    expect(consent.body.error).toMatch(/authorize/)
    const unknown = await cms.rest.post(
      '/connectors/nope/connect',
      { tenant: tenants.A, credentials: {} },
      as('owner@bizoholic.dev'),
    )
    expect(unknown.status).toBe(404)
  })

  it('keeps tenants apart: another tenant is 404, a manager is 403, even for a user admin elsewhere', async () => {
    const a = await oauthConnection(tenants.A)
    const b = await oauthConnection(tenants.B)
    // Admin of B cannot see, test or disconnect A's connection.
    for (const action of ['test', 'disconnect'])
      expect(
        (await cms.rest.post(`/connectors/connections/${a.id}/${action}`, {}, as('owner@coreldove.dev'))).status,
      ).toBe(404)
    expect((await cms.rest.get(`/connectors?tenant=${tenants.A}`, as('owner@coreldove.dev'))).status).toBe(404)
    expect(
      (
        await cms.rest.post(
          '/connectors/mock-key/connect',
          { tenant: tenants.A, credentials: { apiKey: 'abcdefghij' } },
          as('owner@coreldove.dev'),
        )
      ).status,
    ).toBe(404)
    // Admin of A but only manager of B: may read B's list, not change it.
    const listB = await cms.rest.get(`/connectors?tenant=${tenants.B}`, as(DUAL))
    expect(listB.status).toBe(200)
    expect(listB.body.can).toEqual({ manage: false })
    expect((listB.body.connections as { id: number }[]).map((c) => c.id)).toContain(b.id)
    expect((listB.body.connections as { tenant: number }[]).every((c) => c.tenant === tenants.B)).toBe(true)
    for (const action of ['test', 'disconnect'])
      expect((await cms.rest.post(`/connectors/connections/${b.id}/${action}`, {}, as(DUAL))).status).toBe(403)
    expect(
      (
        await cms.rest.post(
          '/connectors/mock-key/connect',
          { tenant: tenants.B, credentials: { apiKey: 'abcdefghij' } },
          as(DUAL),
        )
      ).status,
    ).toBe(403)
    // …and may test its A connection.
    const tested = await cms.rest.post(`/connectors/connections/${a.id}/test`, {}, as(DUAL))
    expect(tested.status).toBe(200)
    expect(tested.body.result).toMatchObject({ ok: true, account: 'owner@example.com' })
    // A manager of A is 403; anonymous 401.
    expect((await cms.rest.post(`/connectors/connections/${a.id}/test`, {}, as('manager@bizoholic.dev'))).status).toBe(
      403,
    )
    expect((await cms.rest.post(`/connectors/connections/${a.id}/test`, {})).status).toBe(401)
    // The collection over REST: B's admin sees none of A's; nobody writes to it.
    const listed = await cms.rest.get('/connections?limit=100', as('owner@coreldove.dev'))
    expect((listed.body.docs ?? []).some((d) => d.id === a.id)).toBe(false)
    expect([403, 404]).toContain((await cms.rest.get(`/connections/${a.id}`, as('owner@coreldove.dev'))).status)
    expect((await cms.rest.patch(`/connections/${a.id}`, { status: 'error' }, as('owner@bizoholic.dev'))).status).toBe(
      403,
    )
    expect(
      (await cms.rest.post('/connections', { connector: 'x', name: 'x', tenant: tenants.A }, as('admin@bizosaas.dev')))
        .status,
    ).toBe(403)
    // Bad ids and bad tenants are 4xx a person can act on.
    expect((await cms.rest.post('/connectors/connections/abc/test', {}, as('owner@bizoholic.dev'))).status).toBe(404)
    const badTenant = await cms.rest.get('/connectors?tenant=abc', as('owner@bizoholic.dev'))
    expect(badTenant.status).toBe(400)
    expect(badTenant.body.error).toMatch(/tenant id/)
  })

  it('disconnect revokes at the provider; a failed revocation is reported and the connection still goes', async () => {
    const { id } = await oauthConnection(tenants.A)
    const stored = await secretsOf(id)
    const revokes = mock.count('revoke')
    const res = await cms.rest.post(`/connectors/connections/${id}/disconnect`, {}, as('owner@bizoholic.dev'))
    expect(res.status).toBe(200)
    expect(res.body).toMatchObject({ disconnected: true, revoked: true })
    expect(mock.count('revoke')).toBe(revokes + 1)
    expect(mock.isRefreshTokenValid(stored.tokens!.refreshToken!)).toBe(false)
    expect(await selectConnection(sql as never, id)).toBeUndefined()

    const second = await oauthConnection(tenants.A)
    mock.fail({ fault: 'server-error' }, { endpoint: 'revoke' })
    const failed = await cms.rest.post(`/connectors/connections/${second.id}/disconnect`, {}, as('admin@bizosaas.dev'))
    expect(failed.status).toBe(200)
    expect(failed.body).toMatchObject({ disconnected: true, revoked: false })
    expect(failed.body.revokeError).toMatch(/unavailable/)
    expect(await selectConnection(sql as never, second.id)).toBeUndefined()
  })

  it('never returns or records a secret: REST, GraphQL, catalogue, audit log, logs', async () => {
    const { id } = await oauthConnection(tenants.A)
    const stored = await secretsOf(id)
    const raw = (await sql.query('SELECT ciphertext FROM connections WHERE id = $1', [id])).rows[0].ciphertext as string
    expect(raw).toMatch(/^v1\./)
    const answers = [
      await cms.rest.get(`/connections/${id}`, as('owner@bizoholic.dev')),
      await cms.rest.get('/connections?depth=2&limit=100', as('admin@bizosaas.dev')),
      await cms.rest.get(`/connectors?tenant=${tenants.A}`, as('owner@bizoholic.dev')),
      await cms.rest.post(`/connectors/connections/${id}/test`, {}, as('owner@bizoholic.dev')),
      await cms.graphql(
        `{ Connections(limit: 100) { docs { id name status ciphertext keyId secretHint account } } }`,
        as('admin@bizosaas.dev'),
      ),
    ]
    const text = JSON.stringify(answers)
    const own = answers[0] as { body: Record<string, unknown> }
    expect(own.body).not.toHaveProperty('ciphertext')
    expect(own.body.name).toBeTruthy()
    const gql = answers[4] as { data?: { Connections?: { docs: Record<string, unknown>[] } } | null }
    const gqlDoc = gql.data?.Connections?.docs.find((d) => d.id === id)
    expect(gqlDoc).toBeTruthy()
    expect(gqlDoc?.ciphertext ?? null).toBeNull()
    for (const secret of [
      stored.tokens!.accessToken,
      stored.tokens!.refreshToken!,
      raw,
      raw.slice(3, 20),
      PLATFORM.clientSecret,
      MACHINE.clientSecret,
      'mock_at_',
      'mock_rt_',
    ])
      expect(text).not.toContain(secret)
    const audit = JSON.stringify(
      (await sql.query(`SELECT * FROM audit_log WHERE collection_slug = 'connections'`)).rows,
    )
    expect(audit).toContain('connections')
    for (const secret of [raw.slice(3, 20), 'mock_at_', 'mock_rt_', PLATFORM.clientSecret])
      expect(audit).not.toContain(secret)
    const logs = logged.join('\n')
    for (const secret of ['mock_at_', 'mock_rt_', PLATFORM.clientSecret, MACHINE.clientSecret, 'PRIVATE KEY'])
      expect(logs).not.toContain(secret)
  })
})
