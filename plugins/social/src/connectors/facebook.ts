/**
 * The `facebook` connector: OAuth2 authorization code with Facebook Login, and its client over the Graph
 * API. One connection serves two platforms: `facebook` (the Pages the person manages) and `instagram`
 * (the Instagram business accounts linked to those Pages). Calls with the person's token go through the
 * connection's `ctx.fetch` (bearer, refresh once and retry once on 401); calls a Page makes use that
 * Page's own token, fetched just before and never stored. No SDK: the calls are plain form posts.
 */
import { ConnectionError, type ConnectorContext, defineConnector } from '@bizosaas/plugin-connectors/define'
import { z } from 'zod'

/**
 * The Graph API, by name. `instagram` is the same API under a second name so a deployment (or a test
 * against the mock, which logs Facebook and Instagram apart) can point Instagram's calls elsewhere.
 */
export const FACEBOOK_URLS = Object.freeze({
  graph: 'https://graph.facebook.com/v21.0',
  instagram: 'https://graph.facebook.com/v21.0',
})

export const FACEBOOK_OAUTH = Object.freeze({
  authorizationUrl: 'https://www.facebook.com/v21.0/dialog/oauth',
  tokenUrl: 'https://graph.facebook.com/v21.0/oauth/access_token',
})

/** Pages: list, read engagement, post; Instagram: read the linked account, publish; business_management: Pages owned through a Business Manager. */
export const FACEBOOK_SCOPES = Object.freeze([
  'pages_show_list',
  'pages_read_engagement',
  'pages_manage_posts',
  'instagram_basic',
  'instagram_content_publish',
  'business_management',
])

export interface GraphRequest {
  method?: 'GET' | 'POST' | 'DELETE'
  /** Query parameters (GET) or the form body (POST); objects and arrays are sent as JSON. */
  params?: Record<string, string | number | boolean | object | undefined>
  /**
   * A Page's access token: the call goes out with it instead of the person's token, by plain `fetch`
   * (the connection's refresh-on-401 concerns the person's token, not a Page's).
   */
  accessToken?: string
  /** Which base URL: `graph` (Facebook) or `instagram`. @default 'graph' */
  api?: 'graph' | 'instagram'
  signal?: AbortSignal
}

export interface GraphResponse {
  status: number
  ok: boolean
  headers: Headers
  /** Parsed JSON, or `null`. */
  body: unknown
}

/** Graph's error object (`{ error: { message, type, code, error_subcode, is_transient, error_user_msg } }`). */
export interface GraphError {
  message: string
  type?: string
  code?: number
  error_subcode?: number
  is_transient?: boolean
  error_user_title?: string
  error_user_msg?: string
}

/** What `ctx.connection('facebook')` gives. */
export interface FacebookClient {
  readonly urls: Readonly<Record<string, string>>
  /** A Graph call. Resolves for every HTTP status; rejects for network errors, timeouts, aborts and `ConnectionError`. */
  request(path: string, init?: GraphRequest): Promise<GraphResponse>
  /** The person the token belongs to. */
  me(signal?: AbortSignal): Promise<{ id: string; name: string }>
}

declare module '@bizosaas/plugin-connectors/define' {
  interface ConnectorClients {
    facebook: FacebookClient
  }
}

const graphErrorSchema = z.object({
  error: z.object({
    message: z.string(),
    type: z.string().optional(),
    code: z.number().optional(),
    error_subcode: z.number().optional(),
    is_transient: z.boolean().optional(),
    error_user_title: z.string().optional(),
    error_user_msg: z.string().optional(),
  }),
})

/** The Graph error in a response body, when it has one. */
export function graphErrorOf(body: unknown): GraphError | undefined {
  return graphErrorSchema.safeParse(body).data?.error
}

const encode = (value: string | number | boolean | object) =>
  typeof value === 'object' ? JSON.stringify(value) : String(value)

export function facebookClient(ctx: ConnectorContext<unknown>): FacebookClient {
  const baseOf = (api: 'graph' | 'instagram') =>
    (ctx.urls[api] ?? ctx.urls.graph ?? FACEBOOK_URLS.graph).replace(/\/$/, '')
  const request: FacebookClient['request'] = async (path, init = {}) => {
    const method = init.method ?? 'GET'
    const url = new URL(`${baseOf(init.api ?? 'graph')}${path.startsWith('/') ? '' : '/'}${path}`)
    const params = new URLSearchParams()
    for (const [key, value] of Object.entries(init.params ?? {}))
      if (value !== undefined) params.set(key, encode(value))
    let body: URLSearchParams | undefined
    if (method === 'GET' || method === 'DELETE') for (const [key, value] of params) url.searchParams.set(key, value)
    else body = params
    const headers = new Headers({ accept: 'application/json' })
    if (body) headers.set('content-type', 'application/x-www-form-urlencoded')
    const requestInit: RequestInit = { method, headers, body, signal: init.signal ?? ctx.signal }
    let res: Response
    if (init.accessToken) {
      headers.set('authorization', `Bearer ${init.accessToken}`)
      res = await fetch(url, requestInit)
    } else res = await ctx.fetch(url, requestInit)
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
      const res = await request('/me', { params: { fields: 'id,name' }, signal })
      const error = graphErrorOf(res.body)
      if (res.status === 401 || error?.code === 190)
        throw new ConnectionError(
          'needs-reconnect',
          `Facebook refused the connection${error ? ` (${error.message})` : ''}; connect Facebook again`,
          'facebook',
        )
      if (!res.ok)
        throw new ConnectionError(
          res.status === 429 || res.status >= 500 ? 'unavailable' : 'error',
          `Facebook did not name the account (HTTP ${res.status}${error ? `: ${error.message}` : ''})`,
          'facebook',
        )
      const me = z.object({ id: z.string(), name: z.string().optional() }).safeParse(res.body)
      if (!me.success) throw new ConnectionError('unavailable', 'Facebook answered /me with an unexpected body')
      return { id: me.data.id, name: me.data.name ?? me.data.id }
    },
  }
}

export const facebookConnector = defineConnector<'facebook', unknown, FacebookClient>({
  id: 'facebook',
  name: 'Facebook and Instagram',
  description:
    'Post to the Facebook Pages you manage and the Instagram business accounts linked to them, and read how the posts did.',
  category: 'social',
  auth: {
    type: 'oauth2',
    grant: 'authorization_code',
    ...FACEBOOK_OAUTH,
    app: 'either',
    // Facebook's token endpoint reads client_id and client_secret from the parameters.
    clientAuth: 'client_secret_post',
    scopeSeparator: ',',
  },
  scopes: FACEBOOK_SCOPES,
  urls: FACEBOOK_URLS,
  docsUrl: 'https://developers.facebook.com/docs/pages-api/posts',
  client: facebookClient,
  /** Facebook has no RFC 7009 endpoint: deleting the app's permissions ends the grant (Page tokens with it). */
  async revoke(ctx) {
    const base = (ctx.urls.graph ?? FACEBOOK_URLS.graph).replace(/\/$/, '')
    const res = await ctx.fetch(`${base}/me/permissions`, { method: 'DELETE', signal: ctx.signal })
    if (!res.ok) {
      const error = graphErrorOf(await res.json().catch(() => null))
      throw new Error(`Facebook did not revoke the grant (HTTP ${res.status}${error ? `: ${error.message}` : ''})`)
    }
    await res.body?.cancel()
  },
  async test(client) {
    try {
      const me = await client.me()
      return { ok: true, message: `Connected to Facebook as ${me.name}`, account: me.name }
    } catch (error) {
      if (error instanceof ConnectionError)
        return { ok: false, message: error.message, reconnect: error.code === 'needs-reconnect' }
      return { ok: false, message: `Facebook could not be reached (${(error as Error).message})` }
    }
  },
})
