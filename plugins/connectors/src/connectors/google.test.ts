/**
 * The Google connectors through Google's real SDKs (@googleapis/searchconsole, @google-analytics/data and
 * /admin over their REST transport) over real HTTP against the mock Google APIs: fixture rows come back,
 * an expired token is refreshed once and the call retried once, refusals become clear errors, 429/5xx
 * are retried, and nothing connects beyond 127.0.0.1.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { ConnectionError, type ServiceAccountKey } from '../define.ts'
import { mockGoogleContext, recordOutboundHosts } from '../test/google-context.ts'
import {
  MOCK_GOOGLE_FIXTURES,
  type MockGoogleApis,
  mockRunReport,
  mockSearchAnalyticsRows,
  startMockGoogleApis,
} from '../testing/mock-google.ts'
import {
  type AnalyticsClient,
  GoogleApiError,
  googleAnalyticsConnector,
  googleAnalyticsServiceAccountConnector,
  googleConnectors,
  googleSearchConsoleConnector,
  googleSearchConsoleServiceAccountConnector,
  googleServiceAccountKey,
  type SearchConsoleClient,
} from './google.ts'
import { builtinConnectors } from './index.ts'

const network = recordOutboundHosts()
let mock: MockGoogleApis
const open: AnalyticsClient[] = []

beforeAll(async () => {
  mock = await startMockGoogleApis()
})
afterEach(async () => {
  await Promise.all(open.splice(0).map((client) => client.close()))
})
afterAll(async () => {
  await mock.close()
  network.stop()
})

const serviceAccountKey: ServiceAccountKey & { type: string; project_id: string } = {
  type: 'service_account',
  project_id: 'example',
  client_email: 'reporter@example.iam.gserviceaccount.com',
  // Not a key: the shape check only needs a PEM-like "PRIVATE KEY" block (the mock signs with its own keys).
  private_key: `${'-'.repeat(5)}BEGIN PRIVATE KEY${'-'.repeat(5)}\nnot-a-real-key\n${'-'.repeat(5)}END PRIVATE KEY${'-'.repeat(5)}\n`,
  private_key_id: 'k1',
}

function searchConsole() {
  const ctx = mockGoogleContext(mock, { credentials: {} })
  return { ctx, client: googleSearchConsoleConnector.client(ctx) as SearchConsoleClient }
}
function analytics() {
  const ctx = mockGoogleContext(mock, { credentials: {}, connector: 'google-analytics' })
  const client = googleAnalyticsConnector.client(ctx) as AnalyticsClient
  open.push(client)
  return { ctx, client }
}
const since = () => mock.requests.length
const requestsSince = (start: number) => mock.requests.slice(start).map((r) => r.status)

async function rejection(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise
  } catch (err) {
    return err as Error
  }
  throw new Error('expected the call to fail')
}

describe('the Google connectors', () => {
  it('are registered as built-ins, OAuth2 and service account for each API', () => {
    expect(builtinConnectors.map((c) => c.id)).toEqual(expect.arrayContaining(googleConnectors.map((c) => c.id)))
    expect(googleSearchConsoleConnector.auth).toMatchObject({
      type: 'oauth2',
      grant: 'authorization_code',
      app: 'either',
      authorizationUrl: 'https://accounts.google.com/o/oauth2/v2/auth',
      tokenUrl: 'https://oauth2.googleapis.com/token',
      revocationUrl: 'https://oauth2.googleapis.com/revoke',
      authorizationParams: { access_type: 'offline', prompt: 'consent', include_granted_scopes: 'true' },
    })
    expect(googleSearchConsoleConnector.scopes).toContain('https://www.googleapis.com/auth/webmasters.readonly')
    expect(googleAnalyticsConnector.scopes).toContain('https://www.googleapis.com/auth/analytics.readonly')
    expect(googleSearchConsoleServiceAccountConnector.auth.type).toBe('service-account')
    expect(googleAnalyticsServiceAccountConnector.auth.type).toBe('service-account')
  })

  it('accept a Google service-account key file and refuse one without a private key', () => {
    expect(googleServiceAccountKey.safeParse(serviceAccountKey).success).toBe(true)
    const parsed: object = googleServiceAccountKey.parse(serviceAccountKey)
    expect(parsed).toHaveProperty('project_id', 'example')
    const missing = googleServiceAccountKey.safeParse({ client_email: serviceAccountKey.client_email })
    expect(missing.success).toBe(false)
  })
})

describe('Search Console client', () => {
  it('lists the sites and returns the fixture rows of a search analytics query', async () => {
    const { client } = searchConsole()
    expect(await client.sites()).toEqual(MOCK_GOOGLE_FIXTURES.sites)

    const query = { startDate: '2026-11-01', endDate: '2026-11-07', dimensions: ['query' as const], rowLimit: 3 }
    const rows = await client.searchAnalytics({ siteUrl: 'https://shop.example.com/', ...query })
    expect(rows).toEqual(mockSearchAnalyticsRows('https://shop.example.com/', query))
    expect(rows).toHaveLength(3)
    for (const row of rows) {
      expect(MOCK_GOOGLE_FIXTURES.queries).toContain(row.keys[0])
      expect(row.ctr).toBeCloseTo(row.clicks / row.impressions)
    }
    // sorted by clicks, as Google answers
    expect(rows.map((r) => r.clicks)).toEqual([...rows.map((r) => r.clicks)].sort((a, b) => b - a))

    const byDate = await client.searchAnalytics({
      siteUrl: 'sc-domain:example.com',
      startDate: '2026-11-01',
      endDate: '2026-11-07',
      dimensions: ['date'],
    })
    expect(byDate.map((r) => r.keys[0]).sort()).toEqual([
      '2026-11-01',
      '2026-11-02',
      '2026-11-03',
      '2026-11-04',
      '2026-11-05',
      '2026-11-06',
      '2026-11-07',
    ])
  })

  it('refreshes an expired token once and retries the call once', async () => {
    const { ctx, client } = searchConsole()
    await client.sites()
    mock.expireToken(ctx.issued[0] as string)
    const start = since()
    const rows = await client.searchAnalytics({
      siteUrl: 'https://shop.example.com/',
      startDate: '2026-11-01',
      endDate: '2026-11-01',
    })
    expect(rows).toHaveLength(1)
    expect(ctx.refreshes).toBe(1)
    expect(requestsSince(start)).toEqual([401, 200])
  })

  it('a token still refused after the refresh means reconnect, after exactly one retry', async () => {
    const refusing = await startMockGoogleApis({ validToken: () => null })
    try {
      const ctx = mockGoogleContext(refusing, { credentials: {} })
      const client = googleSearchConsoleConnector.client(ctx) as SearchConsoleClient
      const err = await rejection(client.sites())
      expect(err).toBeInstanceOf(ConnectionError)
      expect((err as ConnectionError).code).toBe('needs-reconnect')
      expect(err.message).toMatch(/connect the Google account again/)
      expect(refusing.requests.map((r) => r.status)).toEqual([401, 401])
      expect(ctx.refreshes).toBe(1)

      const result = await googleSearchConsoleConnector.test(client, ctx)
      expect(result).toMatchObject({ ok: false, reconnect: true })
    } finally {
      await refusing.close()
    }
  })

  it('says which site the account cannot read (and whom to add, for a service account)', async () => {
    const { client } = searchConsole()
    const err = await rejection(
      client.searchAnalytics({ siteUrl: 'https://other.example/', startDate: '2026-11-01', endDate: '2026-11-02' }),
    )
    expect(err).toBeInstanceOf(GoogleApiError)
    expect((err as GoogleApiError).status).toBe(403)
    expect(err.message).toMatch(/^The Google account has no access to site https:\/\/other\.example\//)

    const ctx = mockGoogleContext(mock, { credentials: serviceAccountKey })
    const sa = googleSearchConsoleServiceAccountConnector.client(ctx) as SearchConsoleClient
    const saErr = await rejection(
      sa.searchAnalytics({ siteUrl: 'https://other.example/', startDate: '2026-11-01', endDate: '2026-11-02' }),
    )
    expect(saErr.message).toBe(
      'The Google account has no access to site https://other.example/: add reporter@example.iam.gserviceaccount.com as a user of it in Google Search Console',
    )
  })

  it('refuses a malformed query before calling Google', async () => {
    const { client } = searchConsole()
    const start = since()
    const err = await rejection(
      client.searchAnalytics({ siteUrl: 'https://shop.example.com/', startDate: '1 Nov', endDate: '2026-11-02' }),
    )
    expect(err).toBeInstanceOf(GoogleApiError)
    expect(err.message).toBe('Invalid Search Console query: startDate: a date as YYYY-MM-DD')
    expect(since()).toBe(start)
  })

  it('retries a 500 and a 429 (honouring Retry-After) and then answers', async () => {
    const { client } = searchConsole()
    await client.sites()
    mock.fault({ path: 'searchAnalytics', status: 500 })
    mock.fault({ path: 'searchAnalytics', status: 429, retryAfterSeconds: 1 })
    const start = since()
    const began = Date.now()
    const rows = await client.searchAnalytics({
      siteUrl: 'https://shop.example.com/',
      startDate: '2026-11-01',
      endDate: '2026-11-01',
      dimensions: ['device'],
    })
    expect(rows).toHaveLength(MOCK_GOOGLE_FIXTURES.devices.length)
    expect(requestsSince(start)).toEqual([500, 429, 200])
    expect(Date.now() - began).toBeGreaterThanOrEqual(1_000)
  })

  it('reports Google as unavailable (still connected) when 5xx persists', async () => {
    const { client } = searchConsole()
    await client.sites()
    mock.fault({ path: '/webmasters/v3/sites', status: 503, times: 3 })
    const start = since()
    const err = await rejection(client.sites())
    expect(err).toBeInstanceOf(ConnectionError)
    expect((err as ConnectionError).code).toBe('unavailable')
    expect(err.message).toBe('Google Search Console did not answer (HTTP 503); try again later')
    expect(requestsSince(start)).toEqual([503, 503, 503])
  })

  it('waits for a slow Google', async () => {
    const { client } = searchConsole()
    mock.fault({ path: '/webmasters/v3/sites', delayMs: 400 })
    const began = Date.now()
    expect(await client.sites()).toHaveLength(MOCK_GOOGLE_FIXTURES.sites.length)
    expect(Date.now() - began).toBeGreaterThanOrEqual(400)
  })

  it('tests a connection by listing the sites and naming the account', async () => {
    const { ctx, client } = searchConsole()
    expect(await googleSearchConsoleConnector.test(client, ctx)).toEqual({
      ok: true,
      account: 'owner@example.com',
      message:
        'Connected as owner@example.com: 2 Search Console properties (https://shop.example.com/, sc-domain:example.com)',
    })

    const saCtx = mockGoogleContext(mock, { credentials: serviceAccountKey, identity: {} })
    const sa = googleSearchConsoleServiceAccountConnector.client(saCtx) as SearchConsoleClient
    expect(await googleSearchConsoleServiceAccountConnector.test(sa, saCtx)).toMatchObject({
      ok: true,
      account: 'reporter@example.iam.gserviceaccount.com',
    })
  })
})

describe('GA4 client', () => {
  it('lists the properties and returns the fixture rows of a report', async () => {
    const { client } = analytics()
    expect(await client.properties()).toEqual(MOCK_GOOGLE_FIXTURES.properties)

    const report = await client.runReport({
      property: '123456789',
      dateRanges: [{ startDate: '2026-11-01', endDate: '2026-11-03' }],
      dimensions: ['date', 'country'],
      metrics: ['sessions', 'engagementRate'],
    })
    const expected = mockRunReport('properties/123456789', {
      dateRanges: [{ startDate: '2026-11-01', endDate: '2026-11-03' }],
      dimensions: [{ name: 'date' }, { name: 'country' }],
      metrics: [{ name: 'sessions' }, { name: 'engagementRate' }],
    })
    if (!('body' in expected)) throw new Error('fixture refused the report')
    const rows = expected.body.rows as { dimensionValues: { value: string }[]; metricValues: { value: string }[] }[]
    expect(report.dimensions).toEqual(['date', 'country'])
    expect(report.metrics).toEqual(['sessions', 'engagementRate'])
    expect(report.rowCount).toBe(3 * MOCK_GOOGLE_FIXTURES.ga4Dimensions.country!.length)
    expect(report.rows).toEqual(
      rows.map((row) => ({
        dimensions: { date: row.dimensionValues[0]?.value, country: row.dimensionValues[1]?.value },
        metrics: { sessions: Number(row.metricValues[0]?.value), engagementRate: Number(row.metricValues[1]?.value) },
      })),
    )
    expect(report.rows[0]?.dimensions.date).toBe('20261101')
  })

  it('refreshes an expired token once and retries the report once', async () => {
    const { ctx, client } = analytics()
    await client.properties()
    mock.expireToken(ctx.issued[0] as string)
    const start = since()
    const report = await client.runReport({
      property: 'properties/123456789',
      dateRanges: [{ startDate: 'yesterday', endDate: 'today' }],
      metrics: ['activeUsers'],
    })
    expect(report.rows).toHaveLength(1)
    expect(ctx.refreshes).toBe(1)
    expect(requestsSince(start)).toEqual([401, 200])
  })

  it('tells a missing property from one the account may not read', async () => {
    const { client } = analytics()
    const missing = await rejection(
      client.runReport({
        property: '555',
        dateRanges: [{ startDate: 'yesterday', endDate: 'today' }],
        metrics: ['sessions'],
      }),
    )
    expect(missing).toBeInstanceOf(GoogleApiError)
    expect((missing as GoogleApiError).status).toBe(404)
    expect(missing.message).toMatch(/^Google Analytics has no GA4 property 555: check the id/)

    const forbidden = await rejection(
      client.runReport({
        property: '987654321',
        dateRanges: [{ startDate: 'yesterday', endDate: 'today' }],
        metrics: ['sessions'],
      }),
    )
    expect((forbidden as GoogleApiError).status).toBe(403)
    expect(forbidden.message).toMatch(/^The Google account has no access to GA4 property 987654321/)

    const invalid = await rejection(
      client.runReport({
        property: '123456789',
        dateRanges: [{ startDate: 'yesterday', endDate: 'today' }],
        metrics: ['sessions'],
        dimensions: ['colour'],
      }),
    )
    expect((invalid as GoogleApiError).status).toBe(400)
    expect(invalid.message).toMatch(/Field colour is not a valid dimension/)
  })

  it('retries a 503 and reports persisting 5xx as unavailable', async () => {
    const { client } = analytics()
    await client.properties()
    const query = {
      property: '123456789',
      dateRanges: [{ startDate: '2026-11-01', endDate: '2026-11-01' }],
      metrics: ['sessions'],
    }
    mock.fault({ path: ':runReport', status: 503 })
    let start = since()
    expect((await client.runReport(query)).rows).toHaveLength(1)
    expect(requestsSince(start)).toEqual([503, 200])

    mock.fault({ path: ':runReport', status: 500, times: 3 })
    start = since()
    const err = await rejection(client.runReport(query))
    expect((err as ConnectionError).code).toBe('unavailable')
    expect(err.message).toBe('Google Analytics did not answer (HTTP 500); try again later')
    expect(requestsSince(start)).toEqual([500, 500, 500])
  })

  it("stops when the run is cancelled, with the run's reason", async () => {
    const controller = new AbortController()
    const ctx = mockGoogleContext(mock, { credentials: {}, connector: 'google-analytics', signal: controller.signal })
    const client = googleAnalyticsConnector.client(ctx) as AnalyticsClient
    open.push(client)
    mock.fault({ path: ':runReport', delayMs: 3_000 })
    const began = Date.now()
    setTimeout(() => controller.abort(new Error('run cancelled')), 200)
    const err = await rejection(
      client.runReport({
        property: '123456789',
        dateRanges: [{ startDate: 'yesterday', endDate: 'today' }],
        metrics: ['sessions'],
      }),
    )
    expect(err.message).toBe('run cancelled')
    expect(Date.now() - began).toBeLessThan(2_500)
  })

  it('tests a connection by listing the properties and naming the account', async () => {
    const { ctx, client } = analytics()
    expect(await googleAnalyticsConnector.test(client, ctx)).toEqual({
      ok: true,
      account: 'owner@example.com',
      message: 'Connected as owner@example.com: 2 GA4 properties (Example Shop 123456789, Example Blog 223456789)',
    })
    const noScope = mockGoogleContext(mock, {
      credentials: serviceAccountKey,
      identity: { scopes: ['https://www.googleapis.com/auth/webmasters.readonly'] },
    })
    const sa = googleAnalyticsServiceAccountConnector.client(noScope) as AnalyticsClient
    open.push(sa)
    const refused = await googleAnalyticsServiceAccountConnector.test(sa, noScope)
    expect(refused).toMatchObject({ ok: false, reconnect: false })
    expect(refused.message).toMatch(/reporter@example\.iam\.gserviceaccount\.com/)
  })
})

describe('network', () => {
  it('nothing connected beyond 127.0.0.1 (no metadata server, no googleapis.com)', () => {
    expect(network.hosts.size).toBeGreaterThan(0)
    expect([...network.hosts]).toEqual(['127.0.0.1'])
  })
})
