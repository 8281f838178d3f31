/**
 * The `linkedin` connector: OAuth2 authorization code with LinkedIn (Sign In with LinkedIn using OpenID
 * Connect + the Community Management API), and its client — a thin layer over the connection's
 * `ctx.fetch` (bearer token, refresh once and retry once on 401) that adds LinkedIn's versioned REST
 * headers. No SDK: LinkedIn's official Node client is early, and the calls are plain JSON.
 */
import { ConnectionError, type ConnectorContext, defineConnector } from '@bizosaas/plugin-connectors/define'
import { z } from 'zod'

/** The monthly version of LinkedIn's REST API the calls are written against (`LinkedIn-Version`). */
export const LINKEDIN_VERSION = '202511'

/** LinkedIn's base URLs by name; `api` may be overridden per deployment (tests point it at the mock). */
export const LINKEDIN_URLS = Object.freeze({ api: 'https://api.linkedin.com' })

export const LINKEDIN_OAUTH = Object.freeze({
  authorizationUrl: 'https://www.linkedin.com/oauth/v2/authorization',
  tokenUrl: 'https://www.linkedin.com/oauth/v2/accessToken',
  // Takes client_id, client_secret and token in the form, as the runtime's RFC 7009 call sends them.
  revocationUrl: 'https://www.linkedin.com/oauth/v2/revoke',
})

/**
 * `openid profile` name the member; `w_member_social` posts as them; the organisation scopes list the
 * pages they administer, post as those pages and read their statistics.
 */
export const LINKEDIN_SCOPES = Object.freeze([
  'openid',
  'profile',
  'w_member_social',
  'r_organization_social',
  'w_organization_social',
  'rw_organization_admin',
])

/** The member an access token belongs to (OpenID Connect userinfo). */
export interface LinkedInMember {
  /** The member id: `urn:li:person:<sub>`. */
  sub: string
  name: string
  picture?: string
  email?: string
}

export interface LinkedInRequest {
  method?: 'GET' | 'POST' | 'PUT' | 'DELETE'
  /** Sent as JSON. */
  json?: unknown
  /** Raw bytes (image uploads). */
  bytes?: Uint8Array
  contentType?: string
  /** Adds `LinkedIn-Version` and `X-Restli-Protocol-Version: 2.0.0` (every `/rest/…` call needs them). @default true for paths under /rest */
  rest?: boolean
  signal?: AbortSignal
}

export interface LinkedInResponse {
  status: number
  ok: boolean
  headers: Headers
  /** Parsed JSON, or `null` for an empty or non-JSON body. */
  body: unknown
}

/** What `ctx.connection('linkedin')` gives: raw calls (every status answered; the caller decides) and the member. */
export interface LinkedInClient {
  readonly urls: Readonly<Record<string, string>>
  /**
   * Calls `path` (under `urls.api`, or an absolute URL such as an image upload URL) through the
   * connection's fetch. Resolves for every HTTP status; rejects for network errors, timeouts and
   * aborts, and with `ConnectionError` when the token cannot be had or refreshed.
   */
  request(path: string, init?: LinkedInRequest): Promise<LinkedInResponse>
  /** The connected member (`/v2/userinfo`). */
  me(signal?: AbortSignal): Promise<LinkedInMember>
}

declare module '@bizosaas/plugin-connectors/define' {
  interface ConnectorClients {
    linkedin: LinkedInClient
  }
}

const userinfo = z.object({
  sub: z.string().min(1),
  name: z.string().optional(),
  given_name: z.string().optional(),
  family_name: z.string().optional(),
  picture: z.string().optional(),
  email: z.string().optional(),
})

/** LinkedIn's error body: `{ status, message, serviceErrorCode? }` (REST) or `{ error, error_description }` (OAuth). */
export function linkedInMessage(body: unknown): string | undefined {
  const parsed = z
    .object({ message: z.string().optional(), error_description: z.string().optional(), error: z.string().optional() })
    .safeParse(body)
  if (!parsed.success) return undefined
  return parsed.data.message ?? parsed.data.error_description ?? parsed.data.error
}

export function linkedInClient(ctx: ConnectorContext<unknown>): LinkedInClient {
  const base = (ctx.urls.api ?? LINKEDIN_URLS.api).replace(/\/$/, '')
  const request: LinkedInClient['request'] = async (path, init = {}) => {
    const url = /^https?:/.test(path) ? path : `${base}${path.startsWith('/') ? '' : '/'}${path}`
    const headers = new Headers({ accept: 'application/json' })
    if (init.rest ?? path.startsWith('/rest/')) {
      headers.set('linkedin-version', LINKEDIN_VERSION)
      headers.set('x-restli-protocol-version', '2.0.0')
    }
    let body: BodyInit | undefined
    if (init.json !== undefined) {
      headers.set('content-type', 'application/json')
      body = JSON.stringify(init.json)
    } else if (init.bytes) {
      headers.set('content-type', init.contentType ?? 'application/octet-stream')
      body = init.bytes as Uint8Array<ArrayBuffer>
    }
    const res = await ctx.fetch(url, {
      method: init.method ?? (body ? 'POST' : 'GET'),
      headers,
      body,
      signal: init.signal ?? ctx.signal,
    })
    const text = await res.text()
    let parsed: unknown = null
    if (text)
      try {
        parsed = JSON.parse(text)
      } catch {
        parsed = null
      }
    return { status: res.status, ok: res.ok, headers: res.headers, body: parsed }
  }
  return {
    urls: ctx.urls,
    request,
    async me(signal) {
      const res = await request('/v2/userinfo', { signal })
      if (res.status === 401)
        throw new ConnectionError(
          'needs-reconnect',
          'LinkedIn refused the connection even after a refresh; connect LinkedIn again',
          'linkedin',
        )
      if (!res.ok)
        throw new ConnectionError(
          res.status === 429 || res.status >= 500 ? 'unavailable' : 'error',
          `LinkedIn did not name the member (HTTP ${res.status}${linkedInMessage(res.body) ? `: ${linkedInMessage(res.body)}` : ''})`,
          'linkedin',
        )
      const info = userinfo.safeParse(res.body)
      if (!info.success) throw new ConnectionError('unavailable', 'LinkedIn answered userinfo with an unexpected body')
      const { sub, name, given_name, family_name, picture, email } = info.data
      return { sub, name: name ?? ([given_name, family_name].filter(Boolean).join(' ') || sub), picture, email }
    },
  }
}

export const linkedinConnector = defineConnector<'linkedin', unknown, LinkedInClient>({
  id: 'linkedin',
  name: 'LinkedIn',
  description: 'Post to your LinkedIn profile and the company pages you administer, and read how the posts did.',
  category: 'social',
  auth: {
    type: 'oauth2',
    grant: 'authorization_code',
    ...LINKEDIN_OAUTH,
    app: 'either',
    // LinkedIn's token endpoint takes the client id and secret in the form body.
    clientAuth: 'client_secret_post',
  },
  scopes: LINKEDIN_SCOPES,
  urls: LINKEDIN_URLS,
  docsUrl: 'https://learn.microsoft.com/en-us/linkedin/marketing/community-management/shares/posts-api',
  client: linkedInClient,
  async test(client) {
    try {
      const me = await client.me()
      return { ok: true, message: `Connected to LinkedIn as ${me.name}`, account: me.name }
    } catch (error) {
      if (error instanceof ConnectionError)
        return { ok: false, message: error.message, reconnect: error.code === 'needs-reconnect' }
      return { ok: false, message: `LinkedIn could not be reached (${(error as Error).message})` }
    }
  },
})
