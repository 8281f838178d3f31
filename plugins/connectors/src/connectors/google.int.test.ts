/**
 * The Google connectors through the platform, end to end: a real Payload on its own database with the
 * connectors plugin pointed at the mock OAuth provider and the mock Google APIs (which accept exactly the
 * provider's tokens). An OAuth2 Search Console connection and a service-account GA4 connection (RS256
 * jwt-bearer) are saved sealed, used through `connectionClient`, refreshed once when the provider expires
 * their tokens, and a revoked consent turns into `needs-reconnect`.
 */
import { createHash, randomBytes } from 'node:crypto'
import { DEMO_PASSWORD } from '@bizosaas/cms/seed'
import { startTestCms, type TestCms } from '@bizosaas/cms/test'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { connectionClient, poolOf, saveConnection, testConnection } from '../connections.ts'
import { ConnectionError } from '../define.ts'
import { openSecrets } from '../sealed.ts'
import { selectConnection } from '../sql.ts'
import {
  MOCK_GOOGLE_FIXTURES,
  type MockGoogleApis,
  type MockOAuthProvider,
  mockRunReport,
  mockSearchAnalyticsRows,
  startMockGoogleApis,
  startMockOAuthProvider,
  tokensAcceptedBy,
} from '../testing/index.ts'
import { GOOGLE_AUTHORIZATION_PARAMS, googleConnectors, googleSearchConsoleConnector } from './google.ts'

const app = { clientId: 'bizosaas-google', clientSecret: 'google-app-secret' }
const redirectUri = 'http://127.0.0.1:5590/oauth/callback'
let oauth: MockOAuthProvider
let google: MockGoogleApis
let cms: TestCms
let tenant: number
let adminToken: string

beforeAll(async () => {
  oauth = await startMockOAuthProvider({ clients: [{ ...app, redirectUris: [redirectUri] }] })
  google = await startMockGoogleApis({ validToken: tokensAcceptedBy(oauth.userinfoUrl) })
  const endpoints = {
    authorizationUrl: oauth.authorizationUrl,
    tokenUrl: oauth.tokenUrl,
    revocationUrl: oauth.revocationUrl,
    urls: google.urls,
  }
  cms = await startTestCms('google', {
    connectors: {
      connectors: [...googleConnectors],
      apps: { 'google-search-console': app, 'google-analytics': app },
      overrides: Object.fromEntries(googleConnectors.map((c) => [c.id, endpoints])),
    },
  })
  const created = await cms.payload.create({
    collection: 'tenants',
    data: { name: 'Google Tenant', slug: 'google-tenant' } as never,
  })
  tenant = created.id as number
  await cms.payload.create({
    collection: 'users',
    data: {
      email: 'admin@google-tenant.dev',
      password: DEMO_PASSWORD,
      name: 'Google Tenant Admin',
      roles: ['user'],
      tenants: [{ tenant, roles: ['tenant-admin'] }],
    } as never,
  })
  adminToken = await cms.login('admin@google-tenant.dev', DEMO_PASSWORD)
})

afterAll(async () => {
  await Promise.all([cms?.close(), oauth?.close(), google?.close()])
})

/** A person's consent at the (mock) provider and the code exchange, as the portal's callback does it. */
async function consentedTokens(scopes: readonly string[]) {
  const verifier = randomBytes(32).toString('base64url')
  const authorize = new URL(oauth.authorizationUrl)
  authorize.search = new URLSearchParams({
    response_type: 'code',
    client_id: app.clientId,
    redirect_uri: redirectUri,
    scope: scopes.join(' '),
    state: randomBytes(8).toString('hex'),
    code_challenge: createHash('sha256').update(verifier).digest('base64url'),
    code_challenge_method: 'S256',
    ...GOOGLE_AUTHORIZATION_PARAMS,
  }).toString()
  const back = await oauth.consent(authorize.toString(), 'allow')
  const response = await fetch(oauth.tokenUrl, {
    method: 'POST',
    headers: {
      authorization: `Basic ${Buffer.from(`${app.clientId}:${app.clientSecret}`).toString('base64')}`,
      'content-type': 'application/x-www-form-urlencoded',
    },
    body: new URLSearchParams({
      grant_type: 'authorization_code',
      code: back.searchParams.get('code') ?? '',
      redirect_uri: redirectUri,
      code_verifier: verifier,
    }),
  })
  expect(response.status).toBe(200)
  const t = (await response.json()) as {
    access_token: string
    refresh_token: string
    expires_in: number
    scope: string
  }
  return {
    accessToken: t.access_token,
    refreshToken: t.refresh_token,
    expiresAt: new Date(Date.now() + t.expires_in * 1000).toISOString(),
    tokenType: 'Bearer',
    scope: t.scope,
  }
}

const statusesSince = (start: number) => google.requests.slice(start).map((r) => r.status)

describe('Google Search Console over an OAuth2 connection', () => {
  let connection: number
  let consented: Awaited<ReturnType<typeof consentedTokens>>

  it('is saved, tested (naming the account) and reads the fixture rows through connectionClient', async () => {
    consented = await consentedTokens(googleSearchConsoleConnector.scopes ?? [])
    connection = (await saveConnection(cms.payload, { tenant, connector: 'google-search-console', tokens: consented }))
      .id

    expect(await testConnection(cms.payload, connection)).toMatchObject({ ok: true, account: 'owner@example.com' })
    expect((await selectConnection(poolOf(cms.payload), connection))?.account).toBe('owner@example.com')

    const client = await connectionClient(cms.payload, { tenant, connector: 'google-search-console' })
    const query = { startDate: '2026-11-01', endDate: '2026-11-07', dimensions: ['page' as const] }
    expect(await client.searchAnalytics({ siteUrl: 'https://shop.example.com/', ...query })).toEqual(
      mockSearchAnalyticsRows('https://shop.example.com/', query),
    )
  })

  it('refreshes once when the provider expired the token, stores the rotated refresh token, and retries once', async () => {
    const client = await connectionClient(cms.payload, { tenant, connector: 'google-search-console' })
    const refreshesBefore = oauth.count('token', 'refresh_token')
    oauth.expireAccessTokens()
    const start = google.requests.length
    expect(await client.sites()).toEqual(MOCK_GOOGLE_FIXTURES.sites)
    expect(statusesSince(start)).toEqual([401, 200])
    expect(oauth.count('token', 'refresh_token')).toBe(refreshesBefore + 1)
    const row = await selectConnection(poolOf(cms.payload), connection)
    const stored = openSecrets(cms.payload, row!).tokens
    expect(stored?.refreshToken).not.toBe(consented.refreshToken)
    expect(oauth.isRefreshTokenValid(consented.refreshToken)).toBe(false)
    expect(oauth.isRefreshTokenValid(stored?.refreshToken ?? '')).toBe(true)

    // A new client (new process, say) uses the stored, refreshed token: no further refresh.
    const again = await connectionClient(cms.payload, { tenant, connector: 'google-search-console' })
    const next = google.requests.length
    await again.sites()
    expect(statusesSince(next)).toEqual([200])
    expect(oauth.count('token', 'refresh_token')).toBe(refreshesBefore + 1)
  })

  it('a revoked consent turns the connection to needs-reconnect', async () => {
    const client = await connectionClient(cms.payload, { tenant, connector: 'google-search-console' })
    oauth.revokeGrants({ clientId: app.clientId })
    const err = await client.sites().then(
      () => undefined,
      (e: unknown) => e,
    )
    expect(err).toBeInstanceOf(ConnectionError)
    expect((err as ConnectionError).code).toBe('needs-reconnect')
    expect((await selectConnection(poolOf(cms.payload), connection))?.status).toBe('needs-reconnect')
  })
})

describe('Google Analytics 4 over a service-account connection', () => {
  it('signs a jwt-bearer assertion, reads the fixture report, and re-asserts once after a 401', async () => {
    const key = await oauth.createServiceAccount('reporter@example.iam.gserviceaccount.com')
    const saved = await saveConnection(cms.payload, {
      tenant,
      connector: 'google-analytics-service-account',
      credentials: key,
    })
    const assertions = () => oauth.count('token', 'urn:ietf:params:oauth:grant-type:jwt-bearer')

    expect(await testConnection(cms.payload, saved.id)).toMatchObject({
      ok: true,
      account: 'reporter@example.iam.gserviceaccount.com',
    })
    expect(assertions()).toBe(1)

    const client = await connectionClient(cms.payload, { tenant, connector: 'google-analytics-service-account' })
    try {
      const query = {
        dateRanges: [{ startDate: '2026-11-01', endDate: '2026-11-02' }],
        dimensions: [{ name: 'deviceCategory' }],
        metrics: [{ name: 'activeUsers' }],
      }
      const expected = mockRunReport('properties/123456789', query)
      if (!('body' in expected)) throw new Error('fixture refused the report')
      const report = await client.runReport({
        property: '123456789',
        dateRanges: query.dateRanges,
        dimensions: ['deviceCategory'],
        metrics: ['activeUsers'],
      })
      expect(report.rowCount).toBe(expected.body.rowCount)
      expect(report.rows.map((r) => r.metrics.activeUsers)).toEqual(
        (expected.body.rows as { metricValues: { value: string }[] }[]).map((r) => Number(r.metricValues[0]?.value)),
      )
      expect(assertions()).toBe(1)

      oauth.expireAccessTokens()
      const start = google.requests.length
      expect((await client.properties()).map((p) => p.property)).toEqual(
        MOCK_GOOGLE_FIXTURES.properties.map((p) => p.property),
      )
      expect(statusesSince(start)).toEqual([401, 200])
      expect(assertions()).toBe(2)
    } finally {
      await client.close()
    }
  })
})

describe('connecting a Google service account from the portal (POST /api/connectors/:id/connect)', () => {
  it('tests the key first: refused with whom to add while Google says no, stored and named once it reads', async () => {
    const key = await oauth.createServiceAccount('portal-robot@example.iam.gserviceaccount.com')
    const connect = () =>
      cms.rest.post(
        '/connectors/google-search-console-service-account/connect',
        { tenant, credentials: JSON.stringify(key) },
        adminToken,
      )
    const count = async () =>
      (
        await cms.payload.count({
          collection: 'connections' as never,
          where: { connector: { equals: 'google-search-console-service-account' } },
          overrideAccess: true,
        })
      ).totalDocs

    google.fault({ path: '/webmasters/v3/sites', status: 403 })
    const refused = await connect()
    expect(refused.status).toBe(400)
    expect(JSON.stringify(refused.body)).toContain(
      'The Google account has no access to its Search Console properties: add portal-robot@example.iam.gserviceaccount.com as a user of it in Google Search Console',
    )
    expect(await count()).toBe(0)

    const ok = await connect()
    expect(ok.status, JSON.stringify(ok.body)).toBe(201)
    expect(JSON.stringify(ok.body)).not.toContain('PRIVATE KEY')
    expect(JSON.stringify(ok.body)).toContain('portal-robot@example.iam.gserviceaccount.com')
    expect(await count()).toBe(1)
    const client = await connectionClient(cms.payload, { tenant, connector: 'google-search-console-service-account' })
    expect(await client.sites()).toEqual(MOCK_GOOGLE_FIXTURES.sites)
  })
})
