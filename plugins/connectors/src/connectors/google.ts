/**
 * Google connectors: Search Console and Google Analytics 4 (Data API for reports, Admin API to list the
 * properties), each offered twice — with OAuth2 (a person consents) and with a service-account key —
 * because a connector has one kind of auth. The clients are Google's official SDKs; every request they
 * make goes through the platform's `ctx.fetch`, so the platform (not google-auth-library) owns the
 * token, its refresh and the refresh-once-on-401, and no SDK ever looks for default credentials. The SDKs
 * (gRPC stack included) load on first use, so importing the connector list stays cheap.
 */
import type { v1beta as analyticsAdmin } from '@google-analytics/admin'
import type { v1beta as analyticsData } from '@google-analytics/data'
import type { searchconsole_v1 } from '@googleapis/searchconsole'
import type { AuthClient } from 'google-auth-library'
import { z } from 'zod'
import {
  ConnectionError,
  type ConnectionTestResult,
  type ConnectorAuth,
  type ConnectorContext,
  defineConnector,
  type ServiceAccountKey,
} from '../define.ts'

/** Google's OAuth2 endpoints (each overridable per deployment through `connectorsPlugin({ overrides })`). */
export const GOOGLE_OAUTH = Object.freeze({
  authorizationUrl: 'https://accounts.google.com/o/oauth2/v2/auth',
  tokenUrl: 'https://oauth2.googleapis.com/token',
  revocationUrl: 'https://oauth2.googleapis.com/revoke',
})

/** Base URLs of the Google APIs the clients call, by name; tests point them at `startMockGoogleApis()`. */
export const GOOGLE_API_URLS = Object.freeze({
  searchconsole: 'https://searchconsole.googleapis.com/',
  analyticsdata: 'https://analyticsdata.googleapis.com/',
  analyticsadmin: 'https://analyticsadmin.googleapis.com/',
  /** OpenID Connect userinfo: names the Google account an OAuth2 connection belongs to. */
  userinfo: 'https://openidconnect.googleapis.com/v1/userinfo',
})

/** offline + consent: Google sends a refresh token on every consent (not only the first). */
export const GOOGLE_AUTHORIZATION_PARAMS = Object.freeze({
  access_type: 'offline',
  prompt: 'consent',
  include_granted_scopes: 'true',
})

export const GOOGLE_SCOPES = Object.freeze({
  searchConsole: 'https://www.googleapis.com/auth/webmasters.readonly',
  analytics: 'https://www.googleapis.com/auth/analytics.readonly',
})

/** `openid email` name the account in the portal ("connected as …"); nothing else is asked beyond read-only. */
const IDENTITY_SCOPES = ['openid', 'email'] as const

// ---------------------------------------------------------------------------------------------------
// Errors

/**
 * A request Google refused for a reason the caller can fix (no access to a site, unknown property, a bad
 * query). The connection itself is fine. Connection-level failures are `ConnectionError`s instead:
 * `needs-reconnect` (a fresh token still got 401) and `unavailable` (429, 5xx, no answer).
 */
export class GoogleApiError extends Error {
  override name = 'GoogleApiError'
  constructor(
    readonly status: 400 | 403 | 404,
    message: string,
  ) {
    super(message)
  }
}

/** gRPC status codes of the GA4 SDKs (google-gax) → HTTP status. */
const HTTP_OF_GRPC: Record<number, number> = { 3: 400, 4: 504, 5: 404, 7: 403, 8: 429, 13: 500, 14: 503, 16: 401 }

interface ErrorScene {
  api: 'Google Search Console' | 'Google Analytics'
  /** What was asked for, as a person names it: `site https://example.com/`, `GA4 property 123`. */
  target: string
  /** The service account's email: a 403 then says whom to add as a user. */
  serviceAccount?: string
}

function connectionErrorIn(err: unknown): ConnectionError | undefined {
  for (let e: unknown = err, depth = 0; e && depth < 5; depth++) {
    if (e instanceof ConnectionError) return e
    e = (e as { cause?: unknown }).cause
  }
  return undefined
}

/** Google's own sentence for a refused call (without the gRPC prefix gax adds). */
function googleMessage(err: unknown): string {
  const message = err instanceof Error ? err.message : String(err)
  return message.replace(/^\d+ [A-Z_]+: /, '').slice(0, 300)
}

function httpStatusOf(err: unknown): number | undefined {
  const e = err as { status?: unknown; response?: { status?: unknown }; httpStatusCode?: unknown; code?: unknown }
  if (typeof e.httpStatusCode === 'number') return e.httpStatusCode
  if (typeof e.response?.status === 'number') return e.response.status
  if (typeof e.status === 'number') return e.status
  if (typeof e.code === 'number') return HTTP_OF_GRPC[e.code]
  return undefined
}

/** Turns whatever an SDK threw into a `GoogleApiError` or `ConnectionError` with a sentence a person can act on. */
export function googleError(err: unknown, scene: ErrorScene): Error {
  const connection = connectionErrorIn(err)
  if (connection) return connection
  if (err instanceof GoogleApiError) return err
  const status = httpStatusOf(err)
  const said = googleMessage(err)
  switch (status) {
    case 400:
      return new GoogleApiError(400, `${scene.api} refused the request for ${scene.target}: ${said}`)
    case 401:
      return new ConnectionError(
        'needs-reconnect',
        `Google refused the connection's token even after a refresh (HTTP 401); connect the Google account again`,
      )
    case 403:
      return new GoogleApiError(
        403,
        scene.serviceAccount
          ? `The Google account has no access to ${scene.target}: add ${scene.serviceAccount} as a user of it in ${scene.api}`
          : `The Google account has no access to ${scene.target} (${said})`,
      )
    case 404:
      return new GoogleApiError(404, `${scene.api} has no ${scene.target}: check the id (${said})`)
    case 429:
      return new ConnectionError('unavailable', `${scene.api} quota is used up for now (HTTP 429); try again later`)
    default:
      if (status !== undefined && status >= 500)
        return new ConnectionError('unavailable', `${scene.api} did not answer (HTTP ${status}); try again later`)
      if (status === undefined || status === 504)
        return new ConnectionError('unavailable', `${scene.api} could not be reached (${said}); try again later`)
      return new GoogleApiError(400, `${scene.api} refused the request for ${scene.target} (HTTP ${status}): ${said}`)
  }
}

// ---------------------------------------------------------------------------------------------------
// Auth: the platform's token, the platform's fetch

type GaxiosOptions = Parameters<AuthClient['request']>[0]

/** 429 and 5xx are retried this many times (reads only: every call here reads), after 250 ms, 1 s. */
const RETRIES = 2
const RETRYABLE = new Set([429, 500, 502, 503, 504])
const retryDelayMs = (attempt: number, response?: Response) => {
  const after = Number(response?.headers.get('retry-after'))
  return Number.isFinite(after) && after > 0 ? Math.min(after * 1000, 5_000) : 250 * 4 ** attempt
}

/** The SDK's own signal (gax's deadline) and the run's: either aborts the request. */
function withRunSignal(own: AbortSignal | null | undefined, run: AbortSignal | undefined) {
  return own && run ? AbortSignal.any([own, run]) : (own ?? run)
}

/**
 * The `AuthClient` both SDKs are given: tokens come from `ctx.accessToken()` and requests go out through
 * `ctx.fetch` (bearer header, a 401 refreshes once and retries once — the platform's rules), with 429
 * and 5xx retried twice with backoff. It never refreshes anything itself and never reads ADC or a
 * metadata server. Defined once google-auth-library is loaded.
 */
let platformAuthClass: Promise<new (ctx: ConnectorContext<unknown>) => AuthClient> | undefined
function platformAuthClient(ctx: ConnectorContext<unknown>): Promise<AuthClient> {
  platformAuthClass ??= import('google-auth-library').then(
    ({ AuthClient }) =>
      class PlatformAuthClient extends AuthClient {
        constructor(private readonly ctx: ConnectorContext<unknown>) {
          super()
        }

        override async getAccessToken(): Promise<{ token: string }> {
          return { token: await this.ctx.accessToken() }
        }

        override async getRequestHeaders(): Promise<Headers> {
          return new Headers({ authorization: `Bearer ${await this.ctx.accessToken()}` })
        }

        override request<T>(options: GaxiosOptions) {
          return this.transporter.request<T>({
            ...options,
            retry: false,
            fetchImplementation: (input, init) => this.send(input instanceof Request ? input.url : input, init),
          })
        }

        private async send(input: string | URL, init?: RequestInit): Promise<Response> {
          for (let attempt = 0; ; attempt++) {
            let response: Response | undefined
            try {
              response = await this.ctx.fetch(input, { ...init, signal: withRunSignal(init?.signal, this.ctx.signal) })
            } catch (err) {
              // A refused grant or a cancelled run is final; a dropped connection is worth another try.
              if (connectionErrorIn(err) || init?.signal?.aborted || this.ctx.signal?.aborted || attempt >= RETRIES)
                throw err
            }
            if (response && (!RETRYABLE.has(response.status) || attempt >= RETRIES)) return response
            await response?.body?.cancel()
            await new Promise((resolve) => setTimeout(resolve, retryDelayMs(attempt, response)))
          }
        }
      },
  )
  return platformAuthClass.then((PlatformAuthClient) => new PlatformAuthClient(ctx))
}

// ---------------------------------------------------------------------------------------------------
// Search Console

export const SEARCH_ANALYTICS_DIMENSIONS = ['date', 'query', 'page', 'country', 'device', 'searchAppearance'] as const
const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a date as YYYY-MM-DD')

export const searchAnalyticsQuerySchema = z.object({
  siteUrl: z
    .string()
    .min(1)
    .describe('The Search Console property: `https://example.com/` (URL prefix) or `sc-domain:example.com`'),
  startDate: isoDate.describe('First day, YYYY-MM-DD (Pacific time, as Search Console counts)'),
  endDate: isoDate.describe('Last day, YYYY-MM-DD, inclusive'),
  dimensions: z.array(z.enum(SEARCH_ANALYTICS_DIMENSIONS)).max(6).default([]).describe('Rows are grouped by these'),
  rowLimit: z.number().int().min(1).max(25_000).default(1_000).describe('At most this many rows'),
  startRow: z.number().int().min(0).default(0).describe('Rows to skip (paging)'),
  type: z.enum(['web', 'image', 'video', 'news', 'discover', 'googleNews']).default('web').describe('Search type'),
})
export type SearchAnalyticsQuery = z.input<typeof searchAnalyticsQuerySchema>

export interface SearchAnalyticsRow {
  /** The values of the requested dimensions, in their order. */
  keys: string[]
  clicks: number
  impressions: number
  ctr: number
  position: number
}

export interface SearchConsoleSite {
  siteUrl: string
  /** `siteOwner`, `siteFullUser`, `siteRestrictedUser`, `siteUnverifiedUser`. */
  permissionLevel: string
}

/** What agents and jobs get from `ctx.connection('google-search-console')`. */
export interface SearchConsoleClient {
  /** The properties (sites) the account can read. */
  sites(): Promise<SearchConsoleSite[]>
  /** Clicks, impressions, CTR and position grouped by the dimensions asked for. */
  searchAnalytics(query: SearchAnalyticsQuery): Promise<SearchAnalyticsRow[]>
  /** The official SDK, for calls beyond these (same auth and base URL); loaded on first use. */
  api(): Promise<searchconsole_v1.Searchconsole>
}

function parseInput<S extends z.ZodType>(schema: S, input: unknown, what: string): z.output<S> {
  const parsed = schema.safeParse(input)
  if (!parsed.success) {
    const issues = parsed.error.issues.map((issue) => `${issue.path.join('.') || 'query'}: ${issue.message}`)
    throw new GoogleApiError(400, `Invalid ${what}: ${issues.join('; ')}`)
  }
  return parsed.data
}

function searchConsoleClient(ctx: ConnectorContext<unknown>, serviceAccount?: string): SearchConsoleClient {
  let sdk: Promise<searchconsole_v1.Searchconsole> | undefined
  const api = () => {
    sdk ??= Promise.all([
      import('@googleapis/searchconsole'),
      import('google-auth-library'),
      platformAuthClient(ctx),
    ]).then(([{ searchconsole }, { GoogleAuth }, authClient]) =>
      searchconsole({
        version: 'v1',
        // The SDK's types take a GoogleAuth, not a bare AuthClient; given one, GoogleAuth looks for nothing else.
        auth: new GoogleAuth({ authClient }),
        rootUrl: ctx.urls.searchconsole ?? GOOGLE_API_URLS.searchconsole,
      }),
    )
    return sdk
  }
  const call = async <T>(target: string, run: () => Promise<T>) => {
    try {
      return await run()
    } catch (err) {
      if (ctx.signal?.aborted) throw ctx.signal.reason ?? err
      throw googleError(err, { api: 'Google Search Console', target, serviceAccount })
    }
  }
  return {
    api,
    sites: () =>
      call('its Search Console properties', async () => {
        const { data } = await (await api()).sites.list({}, { signal: ctx.signal })
        return (data.siteEntry ?? []).map((site) => ({
          siteUrl: site.siteUrl ?? '',
          permissionLevel: site.permissionLevel ?? 'siteUnverifiedUser',
        }))
      }),
    searchAnalytics: async (input) => {
      const query = parseInput(searchAnalyticsQuerySchema, input, 'Search Console query')
      return call(`site ${query.siteUrl}`, async () => {
        const { siteUrl, ...requestBody } = query
        const { data } = await (await api()).searchanalytics.query({ siteUrl, requestBody }, { signal: ctx.signal })
        return (data.rows ?? []).map((row) => ({
          keys: row.keys ?? [],
          clicks: row.clicks ?? 0,
          impressions: row.impressions ?? 0,
          ctr: row.ctr ?? 0,
          position: row.position ?? 0,
        }))
      })
    },
  }
}

// ---------------------------------------------------------------------------------------------------
// Google Analytics 4

const gaDate = z
  .string()
  .regex(/^(\d{4}-\d{2}-\d{2}|today|yesterday|\d+daysAgo)$/, 'YYYY-MM-DD, today, yesterday or NdaysAgo')
const propertyId = z
  .string()
  .regex(/^(properties\/)?\d+$/, 'a GA4 property id: digits, e.g. 123456789 or properties/123456789')
  .transform((id) => (id.startsWith('properties/') ? id : `properties/${id}`))

export const runReportQuerySchema = z.object({
  property: propertyId.describe('The GA4 property: its numeric id, or `properties/<id>`'),
  dateRanges: z
    .array(z.object({ startDate: gaDate, endDate: gaDate, name: z.string().optional() }))
    .min(1)
    .max(4)
    .describe('Up to four date ranges'),
  dimensions: z.array(z.string().min(1)).max(9).default([]).describe('GA4 dimension names, e.g. date, country'),
  metrics: z.array(z.string().min(1)).min(1).max(10).describe('GA4 metric names, e.g. sessions, activeUsers'),
  limit: z.number().int().min(1).max(250_000).optional().describe('At most this many rows'),
  offset: z.number().int().min(0).optional().describe('Rows to skip (paging)'),
})
export type RunReportQuery = z.input<typeof runReportQuerySchema>

export interface Ga4Row {
  dimensions: Record<string, string>
  metrics: Record<string, number>
}

export interface Ga4Report {
  dimensions: string[]
  metrics: string[]
  rows: Ga4Row[]
  /** All rows matching, beyond `limit`. */
  rowCount: number
}

export interface Ga4Property {
  /** `properties/<id>`: what `runReport` takes. */
  property: string
  displayName: string
  /** `accounts/<id>` */
  account: string
  accountName: string
}

/** What agents and jobs get from `ctx.connection('google-analytics')`. */
export interface AnalyticsClient {
  /** The GA4 properties the account can read (Admin API account summaries). */
  properties(): Promise<Ga4Property[]>
  /** A GA4 report (Data API `runReport`); metric values as numbers. */
  runReport(query: RunReportQuery): Promise<Ga4Report>
  /** The official SDK clients, for calls beyond these (same auth and endpoints); loaded on first use. */
  data(): Promise<analyticsData.BetaAnalyticsDataClient>
  admin(): Promise<analyticsAdmin.AnalyticsAdminServiceClient>
  /** Closes the SDK clients' connections. */
  close(): Promise<void>
}

/** google-gax's REST transport takes host, port and protocol apart rather than a base URL. */
function gaxEndpoint(base: string) {
  const url = new URL(base)
  const protocol = url.protocol.replace(':', '')
  return {
    apiEndpoint: url.hostname,
    port: Number(url.port || (protocol === 'http' ? 80 : 443)),
    protocol,
    fallback: true as const,
  }
}

function analyticsClient(ctx: ConnectorContext<unknown>, serviceAccount?: string): AnalyticsClient {
  let data: Promise<analyticsData.BetaAnalyticsDataClient> | undefined
  let admin: Promise<analyticsAdmin.AnalyticsAdminServiceClient> | undefined
  let auth: Promise<AuthClient> | undefined
  const authClient = () => {
    auth ??= platformAuthClient(ctx)
    return auth
  }
  const dataClient = () => {
    data ??= Promise.all([import('@google-analytics/data'), authClient()]).then(
      ([{ v1beta }, authClient]) =>
        new v1beta.BetaAnalyticsDataClient({
          authClient,
          ...gaxEndpoint(ctx.urls.analyticsdata ?? GOOGLE_API_URLS.analyticsdata),
        }),
    )
    return data
  }
  const adminClient = () => {
    admin ??= Promise.all([import('@google-analytics/admin'), authClient()]).then(
      ([{ v1beta }, authClient]) =>
        new v1beta.AnalyticsAdminServiceClient({
          authClient,
          ...gaxEndpoint(ctx.urls.analyticsadmin ?? GOOGLE_API_URLS.analyticsadmin),
        }),
    )
    return admin
  }
  const call = async <T>(target: string, run: () => Promise<T>) => {
    try {
      return await run()
    } catch (err) {
      // A cancelled run is not Google's failure: the caller gets its own reason back.
      if (ctx.signal?.aborted) throw ctx.signal.reason ?? err
      throw googleError(err, { api: 'Google Analytics', target, serviceAccount })
    }
  }
  // Retries are PlatformAuthClient's (429/5xx, twice); gax's own would multiply them.
  const callOptions = { retry: null }
  return {
    data: dataClient,
    admin: adminClient,
    properties: () =>
      call('its Google Analytics accounts', async () => {
        const [summaries] = await (await adminClient()).listAccountSummaries({}, callOptions)
        return summaries.flatMap((summary) =>
          (summary.propertySummaries ?? []).map((property) => ({
            property: property.property ?? '',
            displayName: property.displayName ?? '',
            account: summary.account ?? '',
            accountName: summary.displayName ?? '',
          })),
        )
      }),
    runReport: async (input) => {
      const query = parseInput(runReportQuerySchema, input, 'GA4 report')
      return call(`GA4 property ${query.property.replace('properties/', '')}`, async () => {
        const [report] = await (await dataClient()).runReport(
          {
            property: query.property,
            dateRanges: query.dateRanges,
            dimensions: query.dimensions.map((name) => ({ name })),
            metrics: query.metrics.map((name) => ({ name })),
            limit: query.limit,
            offset: query.offset,
          },
          callOptions,
        )
        const dimensions = (report.dimensionHeaders ?? []).map((h) => h.name ?? '')
        const metrics = (report.metricHeaders ?? []).map((h) => h.name ?? '')
        return {
          dimensions,
          metrics,
          rowCount: report.rowCount ?? 0,
          rows: (report.rows ?? []).map((row) => ({
            dimensions: Object.fromEntries(dimensions.map((name, i) => [name, row.dimensionValues?.[i]?.value ?? ''])),
            metrics: Object.fromEntries(metrics.map((name, i) => [name, Number(row.metricValues?.[i]?.value ?? 0)])),
          })),
        }
      })
    },
    close: async () => {
      const open = [data, admin]
      data = admin = undefined
      await Promise.all(open.map(async (client) => (await client?.catch(() => undefined))?.close()))
    },
  }
}

// ---------------------------------------------------------------------------------------------------
// Connection tests

/** The email of the Google account behind an OAuth2 token (needs the `email` scope); undefined if unknown. */
async function oauthAccount(ctx: ConnectorContext<unknown>): Promise<string | undefined> {
  const url = ctx.urls.userinfo
  if (!url) return undefined
  try {
    const response = await ctx.fetch(url)
    if (!response.ok) return undefined
    const body = z.object({ email: z.string() }).safeParse(await response.json())
    return body.success ? body.data.email : undefined
  } catch {
    return undefined
  }
}

function failed(err: unknown, scene: ErrorScene): ConnectionTestResult {
  const mapped = googleError(err, scene)
  return {
    ok: false,
    message: mapped.message,
    reconnect: mapped instanceof ConnectionError && mapped.code === 'needs-reconnect',
  }
}

const listed = (names: string[]) =>
  `${names.slice(0, 3).join(', ')}${names.length > 3 ? ` and ${names.length - 3} more` : ''}`

async function testSearchConsole(
  client: SearchConsoleClient,
  ctx: ConnectorContext<unknown>,
  serviceAccount?: string,
): Promise<ConnectionTestResult> {
  const scene = { api: 'Google Search Console', target: 'its Search Console properties', serviceAccount } as const
  try {
    const sites = await client.sites()
    const account = serviceAccount ?? (await oauthAccount(ctx))
    const as = account ? `Connected as ${account}` : 'Connected'
    if (sites.length === 0)
      return {
        ok: true,
        account,
        message: `${as}, but it has no Search Console properties yet${serviceAccount ? `: add ${serviceAccount} as a user of a property` : ''}`,
      }
    return {
      ok: true,
      account,
      message: `${as}: ${sites.length} Search Console ${sites.length === 1 ? 'property' : 'properties'} (${listed(sites.map((s) => s.siteUrl))})`,
    }
  } catch (err) {
    return failed(err, scene)
  }
}

async function testAnalytics(
  client: AnalyticsClient,
  ctx: ConnectorContext<unknown>,
  serviceAccount?: string,
): Promise<ConnectionTestResult> {
  const scene = { api: 'Google Analytics', target: 'its Google Analytics accounts', serviceAccount } as const
  try {
    const properties = await client.properties()
    const account = serviceAccount ?? (await oauthAccount(ctx))
    const as = account ? `Connected as ${account}` : 'Connected'
    if (properties.length === 0)
      return {
        ok: true,
        account,
        message: `${as}, but it can read no GA4 property yet${serviceAccount ? `: add ${serviceAccount} as a Viewer of a property` : ''}`,
      }
    return {
      ok: true,
      account,
      message: `${as}: ${properties.length} GA4 ${properties.length === 1 ? 'property' : 'properties'} (${listed(properties.map((p) => `${p.displayName} ${p.property.replace('properties/', '')}`))})`,
    }
  } catch (err) {
    return failed(err, scene)
  } finally {
    await client.close()
  }
}

// ---------------------------------------------------------------------------------------------------
// The connectors

/** A Google service-account JSON key (as downloaded from the Cloud console); other fields are kept. */
export const googleServiceAccountKey: z.ZodType<ServiceAccountKey> = z.looseObject({
  type: z.literal('service_account', 'a service-account key file ("type": "service_account")').optional(),
  client_email: z.email('the key file\'s "client_email"'),
  private_key: z.string().includes('PRIVATE KEY', 'the key file\'s "private_key" (a PEM private key)'),
  private_key_id: z.string().optional(),
  token_uri: z.url().optional(),
})

const oauth2: ConnectorAuth = {
  type: 'oauth2',
  grant: 'authorization_code',
  ...GOOGLE_OAUTH,
  app: 'either',
  authorizationParams: GOOGLE_AUTHORIZATION_PARAMS,
}

const serviceAccount: ConnectorAuth = {
  type: 'service-account',
  tokenUrl: GOOGLE_OAUTH.tokenUrl,
  key: googleServiceAccountKey,
}

const clientEmail = (ctx: ConnectorContext<ServiceAccountKey>) => ctx.credentials.client_email

export const googleSearchConsoleConnector = defineConnector({
  id: 'google-search-console',
  name: 'Google Search Console',
  description: 'Search clicks, impressions, CTR and position of your sites, read with your Google account.',
  category: 'analytics',
  auth: oauth2,
  scopes: [...IDENTITY_SCOPES, GOOGLE_SCOPES.searchConsole],
  urls: { searchconsole: GOOGLE_API_URLS.searchconsole, userinfo: GOOGLE_API_URLS.userinfo },
  docsUrl: 'https://developers.google.com/webmaster-tools/v1/how-tos/authorizing',
  client: (ctx: ConnectorContext<Record<string, never>>) => searchConsoleClient(ctx),
  test: (client, ctx) => testSearchConsole(client, ctx),
})

export const googleSearchConsoleServiceAccountConnector = defineConnector({
  id: 'google-search-console-service-account',
  name: 'Google Search Console (service account)',
  description: 'Search Console data read by a Google Cloud service account you add as a user of your sites.',
  category: 'analytics',
  auth: serviceAccount,
  scopes: [GOOGLE_SCOPES.searchConsole],
  urls: { searchconsole: GOOGLE_API_URLS.searchconsole },
  docsUrl: 'https://developers.google.com/workspace/guides/create-credentials#service-account',
  client: (ctx: ConnectorContext<ServiceAccountKey>) => searchConsoleClient(ctx, clientEmail(ctx)),
  test: (client, ctx) => testSearchConsole(client, ctx, clientEmail(ctx)),
})

export const googleAnalyticsConnector = defineConnector({
  id: 'google-analytics',
  name: 'Google Analytics 4',
  description: 'GA4 reports (sessions, users, conversions …) of your properties, read with your Google account.',
  category: 'analytics',
  auth: oauth2,
  scopes: [...IDENTITY_SCOPES, GOOGLE_SCOPES.analytics],
  urls: {
    analyticsdata: GOOGLE_API_URLS.analyticsdata,
    analyticsadmin: GOOGLE_API_URLS.analyticsadmin,
    userinfo: GOOGLE_API_URLS.userinfo,
  },
  docsUrl: 'https://developers.google.com/analytics/devguides/reporting/data/v1',
  client: (ctx: ConnectorContext<Record<string, never>>) => analyticsClient(ctx),
  test: (client, ctx) => testAnalytics(client, ctx),
})

export const googleAnalyticsServiceAccountConnector = defineConnector({
  id: 'google-analytics-service-account',
  name: 'Google Analytics 4 (service account)',
  description: 'GA4 reports read by a Google Cloud service account you add as a Viewer of your properties.',
  category: 'analytics',
  auth: serviceAccount,
  scopes: [GOOGLE_SCOPES.analytics],
  urls: { analyticsdata: GOOGLE_API_URLS.analyticsdata, analyticsadmin: GOOGLE_API_URLS.analyticsadmin },
  docsUrl: 'https://developers.google.com/analytics/devguides/reporting/data/v1/quickstart-client-libraries',
  client: (ctx: ConnectorContext<ServiceAccountKey>) => analyticsClient(ctx, clientEmail(ctx)),
  test: (client, ctx) => testAnalytics(client, ctx, clientEmail(ctx)),
})

/** The Google connectors, OAuth2 and service account for each API. */
export const googleConnectors = [
  googleSearchConsoleConnector,
  googleSearchConsoleServiceAccountConnector,
  googleAnalyticsConnector,
  googleAnalyticsServiceAccountConnector,
] as const

declare module '../define.ts' {
  interface ConnectorClients {
    'google-search-console': SearchConsoleClient
    'google-search-console-service-account': SearchConsoleClient
    'google-analytics': AnalyticsClient
    'google-analytics-service-account': AnalyticsClient
  }
}
