/**
 * A local stand-in for the Google APIs the Google connectors use, over real HTTP on a free port: Search
 * Console (sites.list, searchanalytics.query), GA4 Data API (properties/{id}:runReport), GA4 Admin API
 * (accountSummaries) and OpenID userinfo. Bearer tokens are checked (its own `issueToken()` or a
 * `validToken` callback shared with a mock OAuth provider), answers are deterministic fixtures computed
 * from the request, errors have Google's JSON shape, and faults (500, 429, slow) can be injected.
 */
import { randomBytes } from 'node:crypto'
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'

export interface MockGoogleIdentity {
  /** The Google account; userinfo answers it when the token has the `email` scope. */
  email?: string
  /** Granted scopes; `undefined` grants every scope. */
  scopes?: readonly string[]
}

export interface MockSearchConsoleSite {
  siteUrl: string
  permissionLevel: 'siteOwner' | 'siteFullUser' | 'siteRestrictedUser' | 'siteUnverifiedUser'
}

export interface MockGa4Property {
  /** `properties/<id>` */
  property: string
  displayName: string
  /** `accounts/<id>` */
  account: string
  accountName: string
}

/** The fixtures every mock serves unless told otherwise. */
export const MOCK_GOOGLE_FIXTURES = Object.freeze({
  email: 'owner@example.com',
  sites: [
    { siteUrl: 'https://shop.example.com/', permissionLevel: 'siteOwner' },
    { siteUrl: 'sc-domain:example.com', permissionLevel: 'siteFullUser' },
  ] as readonly MockSearchConsoleSite[],
  queries: ['bizosaas', 'ai shop assistant', 'headless commerce', 'seo automation', 'product descriptions ai'],
  pages: [
    'https://shop.example.com/',
    'https://shop.example.com/blog/ai-agents',
    'https://shop.example.com/products/widget',
  ],
  countries: ['usa', 'deu', 'gbr'],
  devices: ['DESKTOP', 'MOBILE', 'TABLET'],
  searchAppearances: ['AMP_BLUE_LINK', 'REVIEW_SNIPPET'],
  properties: [
    {
      property: 'properties/123456789',
      displayName: 'Example Shop',
      account: 'accounts/1000',
      accountName: 'Example Inc',
    },
    {
      property: 'properties/223456789',
      displayName: 'Example Blog',
      account: 'accounts/1000',
      accountName: 'Example Inc',
    },
  ] as readonly MockGa4Property[],
  /** Properties that exist but the account may not read (→ 403); any other id → 404. */
  forbiddenProperties: ['properties/987654321'] as readonly string[],
  ga4Dimensions: {
    country: ['United States', 'Germany', 'United Kingdom'],
    deviceCategory: ['desktop', 'mobile', 'tablet'],
    sessionDefaultChannelGroup: ['Organic Search', 'Direct', 'Referral'],
    pagePath: ['/', '/blog/ai-agents', '/products/widget'],
    landingPage: ['/', '/blog/ai-agents'],
  } as Readonly<Record<string, readonly string[]>>,
  ga4Metrics: {
    sessions: 'TYPE_INTEGER',
    activeUsers: 'TYPE_INTEGER',
    totalUsers: 'TYPE_INTEGER',
    newUsers: 'TYPE_INTEGER',
    screenPageViews: 'TYPE_INTEGER',
    keyEvents: 'TYPE_INTEGER',
    conversions: 'TYPE_INTEGER',
    engagementRate: 'TYPE_FLOAT',
    bounceRate: 'TYPE_FLOAT',
    averageSessionDuration: 'TYPE_SECONDS',
    totalRevenue: 'TYPE_CURRENCY',
  } as Readonly<Record<string, string>>,
})

const SCOPE = {
  searchConsole: ['https://www.googleapis.com/auth/webmasters.readonly', 'https://www.googleapis.com/auth/webmasters'],
  analytics: ['https://www.googleapis.com/auth/analytics.readonly', 'https://www.googleapis.com/auth/analytics'],
}

// ---------------------------------------------------------------------------------------------------
// Deterministic fixture data

/** A small stable hash: the same request always gets the same numbers. */
function seedOf(text: string): number {
  let h = 2166136261
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 16777619)
  return h >>> 0
}

function daysBetween(start: string, end: string): string[] {
  const days: string[] = []
  const last = Date.parse(`${end}T00:00:00Z`)
  for (let t = Date.parse(`${start}T00:00:00Z`); t <= last && days.length < 1000; t += 86_400_000)
    days.push(new Date(t).toISOString().slice(0, 10))
  return days
}

function product(lists: readonly (readonly string[])[]): string[][] {
  return lists.reduce<string[][]>((rows, list) => rows.flatMap((row) => list.map((v) => [...row, v])), [[]])
}

export interface MockSearchAnalyticsRequest {
  startDate: string
  endDate: string
  dimensions?: string[]
  rowLimit?: number
  startRow?: number
}

export interface MockSearchAnalyticsRow {
  keys: string[]
  clicks: number
  impressions: number
  ctr: number
  position: number
}

/** The rows the mock answers for a search analytics query on `siteUrl`, sorted by clicks (as Google does). */
export function mockSearchAnalyticsRows(
  siteUrl: string,
  request: MockSearchAnalyticsRequest,
): MockSearchAnalyticsRow[] {
  const f = MOCK_GOOGLE_FIXTURES
  const values: Record<string, readonly string[]> = {
    date: daysBetween(request.startDate, request.endDate),
    query: f.queries,
    page: f.pages,
    country: f.countries,
    device: f.devices,
    searchAppearance: f.searchAppearances,
  }
  const rows = product((request.dimensions ?? []).map((d) => values[d] ?? [])).map((keys) => {
    const seed = seedOf(`${siteUrl}|${request.startDate}|${request.endDate}|${keys.join('|')}`)
    const impressions = 100 + (seed % 900)
    const clicks = Math.floor((impressions * (2 + (seed % 13))) / 100)
    return { keys, clicks, impressions, ctr: clicks / impressions, position: 1 + ((seed >>> 8) % 300) / 10 }
  })
  rows.sort((a, b) => b.clicks - a.clicks || a.keys.join().localeCompare(b.keys.join()))
  const start = request.startRow ?? 0
  return rows.slice(start, start + (request.rowLimit ?? 1000))
}

export interface MockRunReportRequest {
  dateRanges?: { startDate?: string; endDate?: string; name?: string }[]
  dimensions?: { name?: string }[]
  metrics?: { name?: string }[]
  limit?: string | number
  offset?: string | number
}

function gaDay(value: string, today: Date): string {
  const ago = value === 'today' ? 0 : value === 'yesterday' ? 1 : /^(\d+)daysAgo$/.exec(value)?.[1]
  if (ago === undefined) return value
  return new Date(today.getTime() - Number(ago) * 86_400_000).toISOString().slice(0, 10)
}

/** The GA4 `runReport` answer of the mock (REST JSON), or a 400 reason for an unknown field. */
export function mockRunReport(
  property: string,
  request: MockRunReportRequest,
  today = new Date(),
): { body: Record<string, unknown> } | { invalid: string } {
  const f = MOCK_GOOGLE_FIXTURES
  const dimensions = (request.dimensions ?? []).map((d) => d.name ?? '')
  const metrics = (request.metrics ?? []).map((m) => m.name ?? '')
  const ranges = request.dateRanges?.length ? request.dateRanges : [{ startDate: '7daysAgo', endDate: 'yesterday' }]
  for (const name of dimensions)
    if (name !== 'date' && !f.ga4Dimensions[name])
      return {
        invalid: `Field ${name} is not a valid dimension. For a list of valid dimensions and metrics, see https://developers.google.com/analytics/devguides/reporting/data/v1/api-schema `,
      }
  for (const name of metrics)
    if (!f.ga4Metrics[name])
      return {
        invalid: `Field ${name} is not a valid metric. For a list of valid dimensions and metrics, see https://developers.google.com/analytics/devguides/reporting/data/v1/api-schema `,
      }
  if (metrics.length === 0) return { invalid: 'At least one metric is required.' }
  const headers = ranges.length > 1 ? [...dimensions, 'dateRange'] : dimensions
  const rows = ranges.flatMap((range, r) => {
    const start = gaDay(range.startDate ?? '7daysAgo', today)
    const end = gaDay(range.endDate ?? 'yesterday', today)
    const lists = dimensions.map((d) =>
      d === 'date' ? daysBetween(start, end).map((day) => day.replaceAll('-', '')) : (f.ga4Dimensions[d] ?? []),
    )
    if (ranges.length > 1) lists.push([range.name ?? `date_range_${r}`])
    return product(lists).map((values) => ({
      dimensionValues: values.map((value) => ({ value })),
      metricValues: metrics.map((metric) => {
        const seed = seedOf(`${property}|${start}|${end}|${values.join('|')}|${metric}`)
        const type = f.ga4Metrics[metric]
        const value =
          type === 'TYPE_FLOAT'
            ? ((seed % 1000) / 1000).toString()
            : type === 'TYPE_SECONDS' || type === 'TYPE_CURRENCY'
              ? ((seed % 50_000) / 100).toString()
              : (seed % 5000).toString()
        return { value }
      }),
    }))
  })
  const offset = Number(request.offset ?? 0)
  const limit = Number(request.limit ?? 10_000) || 10_000
  return {
    body: {
      dimensionHeaders: headers.map((name) => ({ name })),
      metricHeaders: metrics.map((name) => ({ name, type: f.ga4Metrics[name] })),
      rows: rows.slice(offset, offset + limit),
      rowCount: rows.length,
      metadata: { currencyCode: 'USD', timeZone: 'Europe/Berlin' },
      kind: 'analyticsData#runReport',
    },
  }
}

// ---------------------------------------------------------------------------------------------------
// The server

export interface MockGoogleApisOptions {
  /** @default 0 (a free port) */
  port?: number
  /**
   * Whether a bearer token is valid: the identity it belongs to, or null/undefined (→ 401, as Google
   * answers an expired or unknown token). Default: the tokens of this mock's `issueToken()`.
   */
  validToken?: (token: string) => MockGoogleIdentity | null | undefined | Promise<MockGoogleIdentity | null | undefined>
  /** Search Console properties the account can read. @default MOCK_GOOGLE_FIXTURES.sites */
  sites?: readonly MockSearchConsoleSite[]
  /** GA4 properties the account can read. @default MOCK_GOOGLE_FIXTURES.properties */
  properties?: readonly MockGa4Property[]
}

export interface MockGoogleFault {
  /** Only requests whose path contains this (or matches it). @default every request */
  path?: string | RegExp
  /** Answer with this status (Google's error JSON) instead of the real answer. */
  status?: 429 | 500 | 502 | 503 | 403
  /** Wait this long before answering (a slow Google). */
  delayMs?: number
  /** `Retry-After` seconds on the faulted answer. */
  retryAfterSeconds?: number
  /** How many requests it applies to. @default 1 */
  times?: number
}

export interface MockGoogleRequest {
  method: string
  /** Path and query, e.g. `/webmasters/v3/sites`. */
  path: string
  status: number
  /** The JSON body sent, if any (never a token). */
  body?: unknown
}

export interface MockGoogleApis {
  /** `http://127.0.0.1:<port>` */
  url: string
  /** The connectors' `urls` pointed at this mock: pass as `overrides[<id>].urls` or a test context's `urls`. */
  urls: { searchconsole: string; analyticsdata: string; analyticsadmin: string; userinfo: string }
  /** Every request answered, in order. */
  requests: MockGoogleRequest[]
  /** A fresh access token the mock accepts (when no `validToken` is given). */
  issueToken(identity?: MockGoogleIdentity, ttlSeconds?: number): string
  /** Makes a token expired: Google answers 401 to it from now on. */
  expireToken(token: string): void
  /** Injects a fault for the next matching request(s). */
  fault(fault: MockGoogleFault): void
  close(): Promise<void>
}

const GOOGLE_STATUS: Record<number, string> = {
  400: 'INVALID_ARGUMENT',
  401: 'UNAUTHENTICATED',
  403: 'PERMISSION_DENIED',
  404: 'NOT_FOUND',
  429: 'RESOURCE_EXHAUSTED',
  500: 'INTERNAL',
  502: 'UNAVAILABLE',
  503: 'UNAVAILABLE',
}

const FAULT_MESSAGE: Record<number, string> = {
  429: "Quota exceeded for quota metric 'Queries' and limit 'Queries per minute per user'.",
  500: 'Internal error encountered.',
  502: 'Bad gateway.',
  503: 'The service is currently unavailable.',
  403: 'The caller does not have permission',
}

/**
 * A `validToken` that accepts exactly the tokens an OAuth provider's userinfo endpoint accepts (e.g. the
 * mock OAuth provider's `userinfoUrl`), asked over real HTTP; the identity is its `email` and `scope`.
 */
export function tokensAcceptedBy(userinfoUrl: string): NonNullable<MockGoogleApisOptions['validToken']> {
  return async (token) => {
    const response = await fetch(userinfoUrl, { headers: { authorization: `Bearer ${token}` } })
    if (!response.ok) {
      await response.body?.cancel()
      return null
    }
    const me = (await response.json()) as { email?: string; scope?: string }
    return { email: me.email, scopes: me.scope ? me.scope.split(/\s+/) : undefined }
  }
}

/** Starts the mock Google APIs on 127.0.0.1 and a free port. */
export async function startMockGoogleApis(options: MockGoogleApisOptions = {}): Promise<MockGoogleApis> {
  const sites = options.sites ?? MOCK_GOOGLE_FIXTURES.sites
  const properties = options.properties ?? MOCK_GOOGLE_FIXTURES.properties
  const tokens = new Map<string, { identity: MockGoogleIdentity; expiresAt: number }>()
  const faults: (MockGoogleFault & { left: number })[] = []
  const requests: MockGoogleRequest[] = []

  const identityOf = async (token: string) => {
    if (options.validToken) return (await options.validToken(token)) ?? undefined
    const entry = tokens.get(token)
    return entry && entry.expiresAt > Date.now() ? entry.identity : undefined
  }

  const send = (res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) => {
    res.writeHead(status, { 'content-type': 'application/json; charset=UTF-8', ...headers })
    res.end(JSON.stringify(body))
  }
  const error = (res: ServerResponse, status: number, message: string, headers: Record<string, string> = {}) =>
    send(res, status, { error: { code: status, message, status: GOOGLE_STATUS[status] ?? 'UNKNOWN' } }, headers)

  const readBody = async (req: IncomingMessage): Promise<unknown> => {
    const chunks: Buffer[] = []
    for await (const chunk of req) chunks.push(chunk as Buffer)
    const text = Buffer.concat(chunks).toString('utf8')
    return text ? JSON.parse(text) : undefined
  }

  const hasScope = (identity: MockGoogleIdentity, accepted: string[]) =>
    !identity.scopes || identity.scopes.some((s) => accepted.includes(s))

  async function handle(req: IncomingMessage, res: ServerResponse, record: MockGoogleRequest): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://mock')
    const path = url.pathname
    const fault = faults.find(
      (f) => f.left > 0 && (!f.path || (typeof f.path === 'string' ? path.includes(f.path) : f.path.test(path))),
    )
    if (fault) {
      fault.left--
      if (fault.delayMs) await new Promise((resolve) => setTimeout(resolve, fault.delayMs))
      if (fault.status) {
        const headers: Record<string, string> = fault.retryAfterSeconds
          ? { 'retry-after': String(fault.retryAfterSeconds) }
          : {}
        return error(res, fault.status, FAULT_MESSAGE[fault.status] ?? 'Injected fault.', headers)
      }
    }
    let body: unknown
    try {
      body = await readBody(req)
    } catch {
      return error(res, 400, 'Invalid JSON payload received.')
    }
    record.body = body

    const token = /^Bearer (.+)$/i.exec(req.headers.authorization ?? '')?.[1]
    const identity = token ? await identityOf(token) : undefined
    if (!identity)
      return error(
        res,
        401,
        'Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie or other valid authentication credential. See https://developers.google.com/identity/sign-in/web/devconsole-project.',
        { 'www-authenticate': 'Bearer realm="https://accounts.google.com/", error="invalid_token"' },
      )
    const insufficient = () => error(res, 403, 'Request had insufficient authentication scopes.')

    // OpenID userinfo
    if (req.method === 'GET' && path === '/v1/userinfo') {
      const email = identity.scopes && !identity.scopes.includes('email') ? undefined : identity.email
      return send(res, 200, {
        sub: String(seedOf(identity.email ?? 'anonymous')),
        ...(email ? { email, email_verified: true } : {}),
      })
    }

    // Search Console
    if (path.startsWith('/webmasters/v3/sites')) {
      if (!hasScope(identity, SCOPE.searchConsole)) return insufficient()
      if (req.method === 'GET' && path === '/webmasters/v3/sites') return send(res, 200, { siteEntry: sites })
      const query = /^\/webmasters\/v3\/sites\/([^/]+)\/searchAnalytics\/query$/.exec(path)
      if (req.method === 'POST' && query?.[1]) {
        const siteUrl = decodeURIComponent(query[1])
        if (!sites.some((s) => s.siteUrl === siteUrl))
          return error(
            res,
            403,
            `User does not have sufficient permission for site '${siteUrl}'. See also: https://support.google.com/webmasters/answer/2451999.`,
          )
        const request = (body ?? {}) as MockSearchAnalyticsRequest
        if (!request.startDate || !request.endDate) return error(res, 400, 'startDate and endDate are required.')
        const rows = mockSearchAnalyticsRows(siteUrl, request)
        return send(res, 200, { rows, responseAggregationType: 'byProperty' })
      }
    }

    // GA4 Data API
    const report = /^\/v1beta\/(properties\/[^/:]+):runReport$/.exec(path)
    if (req.method === 'POST' && report?.[1]) {
      if (!hasScope(identity, SCOPE.analytics)) return insufficient()
      const property = report[1]
      if (MOCK_GOOGLE_FIXTURES.forbiddenProperties.includes(property))
        return error(
          res,
          403,
          'User does not have sufficient permissions for this property. To learn more about Property ID, see https://developers.google.com/analytics/devguides/reporting/data/v1/property-id.',
        )
      if (!properties.some((p) => p.property === property))
        return error(res, 404, `Requested entity was not found: ${property}.`)
      const answer = mockRunReport(property, (body ?? {}) as MockRunReportRequest)
      return 'invalid' in answer ? error(res, 400, answer.invalid) : send(res, 200, answer.body)
    }

    // GA4 Admin API
    if (req.method === 'GET' && path === '/v1beta/accountSummaries') {
      if (!hasScope(identity, SCOPE.analytics)) return insufficient()
      const accounts = [...new Set(properties.map((p) => p.account))]
      return send(res, 200, {
        accountSummaries: accounts.map((account) => {
          const own = properties.filter((p) => p.account === account)
          return {
            name: `accountSummaries/${account.replace('accounts/', '')}`,
            account,
            displayName: own[0]?.accountName ?? '',
            propertySummaries: own.map((p) => ({
              property: p.property,
              displayName: p.displayName,
              propertyType: 'PROPERTY_TYPE_ORDINARY',
              parent: account,
            })),
          }
        }),
      })
    }

    return error(res, 404, `The mock Google APIs do not serve ${req.method} ${path}.`)
  }

  const server = createServer((req, res) => {
    const record: MockGoogleRequest = { method: req.method ?? 'GET', path: req.url ?? '/', status: 0 }
    res.on('finish', () => {
      record.status = res.statusCode
      requests.push(record)
    })
    handle(req, res, record).catch((err: unknown) => {
      if (!res.headersSent) error(res, 500, `Mock failure: ${err instanceof Error ? err.message : String(err)}`)
    })
  })
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, '127.0.0.1', resolve))
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`

  return {
    url,
    urls: { searchconsole: `${url}/`, analyticsdata: url, analyticsadmin: url, userinfo: `${url}/v1/userinfo` },
    requests,
    issueToken(identity = { email: MOCK_GOOGLE_FIXTURES.email }, ttlSeconds = 3600) {
      const token = `ya29.mock-${randomBytes(18).toString('base64url')}`
      tokens.set(token, { identity, expiresAt: Date.now() + ttlSeconds * 1000 })
      return token
    },
    expireToken(token) {
      const entry = tokens.get(token)
      if (entry) entry.expiresAt = 0
    },
    fault(fault) {
      faults.push({ ...fault, left: fault.times ?? 1 })
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((err) => (err ? reject(err) : resolve()))
        server.closeAllConnections()
      }),
  }
}
