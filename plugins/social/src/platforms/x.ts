/**
 * X (Twitter): the `x` connector (OAuth2 authorization code + PKCE) and the `x` social platform. The
 * client is the official-ish `twitter-api-v2` SDK, but every request it makes goes through the
 * connection's `ctx.fetch` (a plugin answers each request itself), so the connectors plugin owns the
 * token, its refresh and the refresh-once-on-401, and the API base URL can point at a mock. X has no
 * idempotency key, so an unknown outcome is settled by `lookup`: the account's own posts since the
 * attempt was claimed, compared by text.
 */
import { PLATFORM_RULES } from '@bizosaas/contracts/social'
import { type ConnectorContext, defineConnector } from '@bizosaas/plugin-connectors/define'
import {
  type ITwitterApiClientPlugin,
  type TweetV2,
  TwitterApi,
  type TwitterApiReadWrite,
  type TwitterResponse,
  type UserV2,
} from 'twitter-api-v2'
import { defineSocialPlatform, type PostMetrics, PublishError, type PublishInput } from './define.ts'
import {
  beforePosting,
  connectionErrorIn,
  DEFAULT_TIMEOUT_MS,
  fromConnectionError,
  isTransportFailure,
  partialThreadError,
  publishErrorOf,
  sameText,
  timeoutSignal,
} from './publish-errors.ts'

/** X's OAuth2 endpoints (each overridable per deployment: `CONNECTOR_X_TOKEN_URL` …). */
export const X_OAUTH = Object.freeze({
  authorizationUrl: 'https://x.com/i/oauth2/authorize',
  tokenUrl: 'https://api.x.com/2/oauth2/token',
  revocationUrl: 'https://api.x.com/2/oauth2/revoke',
})

/** The API origin the SDK's `https://api.x.com/2/…` requests are re-pointed at (`CONNECTOR_X_URL_API`). */
export const X_API_URLS = Object.freeze({ api: 'https://api.x.com' })

/** `offline.access` gives a refresh token; `media.write` the v2 media upload. Nothing beyond posting and reading. */
export const X_SCOPES = Object.freeze(['tweet.read', 'tweet.write', 'users.read', 'offline.access', 'media.write'])

const SDK_ORIGIN = 'https://api.x.com'

/** A request X answered with an error status (thrown by the fetch plugin, read by `xFailure`). */
export class XApiError extends Error {
  override name = 'XApiError'
  constructor(
    readonly status: number,
    readonly data: unknown,
    readonly headers: Headers,
  ) {
    super(`X answered HTTP ${status}: ${xSaid(data) ?? ''}`.trim())
  }
}

/** X's sentence for a refused request: v2 `detail`/`title`, `errors[].message`, or an OAuth error. */
function xSaid(data: unknown): string | undefined {
  if (!data || typeof data !== 'object') return typeof data === 'string' && data ? data.slice(0, 300) : undefined
  const d = data as {
    detail?: string
    title?: string
    errors?: { message?: string; detail?: string }[]
    error?: string
    error_description?: string
  }
  return (
    d.detail ??
    d.errors?.map((e) => e.message ?? e.detail).find(Boolean) ??
    d.error_description ??
    d.title ??
    d.error ??
    undefined
  )
}

/**
 * The SDK plugin that sends every request through the connection: the SDK computes the URL, headers
 * and body as it would, the plugin re-points the origin at `ctx.urls.api`, drops the SDK's own
 * authorization header (`ctx.fetch` sets the connection's bearer, refreshing once on a 401), and hands
 * the SDK a response in its own shape.
 */
function throughConnection(ctx: ConnectorContext<unknown>, signal: AbortSignal | undefined): ITwitterApiClientPlugin {
  return {
    async onBeforeRequestConfig({ client, params }) {
      const args = (
        client as unknown as {
          getHttpRequestArgs(p: typeof params): {
            url: URL
            method: string
            headers: Record<string, string>
            body?: string | Buffer
          }
        }
      ).getHttpRequestArgs(params)
      const base = ctx.urls.api?.replace(/\/$/, '') ?? SDK_ORIGIN
      const href = args.url.href.startsWith(SDK_ORIGIN) ? base + args.url.href.slice(SDK_ORIGIN.length) : args.url.href
      const headers = new Headers()
      for (const [name, value] of Object.entries(args.headers))
        if (name.toLowerCase() !== 'authorization' && name.toLowerCase() !== 'content-length') headers.set(name, value)
      const res = await ctx.fetch(href, {
        method: args.method,
        headers,
        body:
          args.body === undefined ? undefined : typeof args.body === 'string' ? args.body : new Uint8Array(args.body),
        signal,
      })
      const text = await res.text()
      let data: unknown = text
      if ((res.headers.get('content-type') ?? '').includes('json') && text) data = JSON.parse(text)
      else if (!text) data = undefined
      if (res.status >= 400) throw new XApiError(res.status, data, res.headers)
      return { data, headers: Object.fromEntries(res.headers), rateLimit: undefined } as TwitterResponse<unknown>
    },
  }
}

/** What the `x` connector hands out: the SDK bound to the connection. */
export interface XClient {
  /** The SDK; every request goes through the connection and is bounded by `signal`. */
  api(signal?: AbortSignal): TwitterApiReadWrite['v2']
  /** The connected account (`GET /2/users/me`). */
  me(signal?: AbortSignal): Promise<UserV2>
}

declare module '@bizosaas/plugin-connectors/define' {
  interface ConnectorClients {
    x: XClient
  }
}

function xClient(ctx: ConnectorContext<unknown>): XClient {
  // Built per call (cheap, no network) so each call carries its own signal. The bearer is a
  // placeholder: the plugin drops it and ctx.fetch sets the connection's.
  const api = (signal?: AbortSignal) =>
    new TwitterApi('via-connection', { plugins: [throughConnection(ctx, signal ?? ctx.signal)] }).readWrite.v2
  return {
    api,
    async me(signal) {
      const res = await api(signal).me({ 'user.fields': ['name', 'username', 'profile_image_url'] })
      return res.data
    },
  }
}

export const xConnector = defineConnector<'x', Record<string, never>, XClient>({
  id: 'x',
  name: 'X',
  description: 'Post to an X (Twitter) account and read how the posts do.',
  category: 'social',
  auth: {
    type: 'oauth2',
    grant: 'authorization_code',
    ...X_OAUTH,
    // X requires PKCE for every OAuth2 client; a confidential client authenticates with basic auth.
    app: 'either',
    clientAuth: 'client_secret_basic',
  },
  scopes: X_SCOPES,
  urls: X_API_URLS,
  docsUrl: 'https://docs.x.com/resources/fundamentals/authentication/oauth-2-0/authorization-code',
  client: xClient,
  async test(client) {
    try {
      const me = await client.me(AbortSignal.timeout(DEFAULT_TIMEOUT_MS))
      return { ok: true, message: `Connected to X as @${me.username}`, account: `@${me.username}` }
    } catch (error) {
      const connection = connectionErrorIn(error)
      if (connection)
        return { ok: false, message: connection.message, reconnect: connection.code === 'needs-reconnect' }
      if (error instanceof XApiError && error.status === 401)
        return { ok: false, message: 'X refused the connection (HTTP 401); connect again', reconnect: true }
      return { ok: false, message: `X could not be reached: ${(error as Error).message}` }
    }
  },
})

/** Any failure of an X call as a `PublishError`. */
export function xFailure(error: unknown, action = 'refused the post'): PublishError {
  if (error instanceof PublishError) return error
  const connection = connectionErrorIn(error)
  if (connection) return fromConnectionError(connection, 'X')
  if (error instanceof XApiError) {
    const said = xSaid(error.data)
    return publishErrorOf({ status: error.status, said, headers: error.headers }, 'X', action)
  }
  if (isTransportFailure(error)) return publishErrorOf({}, 'X')
  return new PublishError('unknown', `X failed while posting: ${(error as Error).message}; check the account`)
}

const postUrl = (handle: string | undefined, id: string) =>
  handle ? `https://x.com/${handle.replace(/^@/, '')}/status/${id}` : `https://x.com/i/web/status/${id}`

/** X's text as the author wrote it: t.co links expanded, HTML entities of the v2 API decoded. */
function textOf(tweet: TweetV2): string {
  let text = tweet.text
  for (const url of tweet.entities?.urls ?? []) if (url.expanded_url) text = text.split(url.url).join(url.expanded_url)
  return text.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&')
}

/** Posts X accepts per account: 100 per 15 min per user, 10,000 per day per app (X API v2 `POST /2/tweets`). */
const X_PACING = { perAccount: { points: 100, windowSeconds: 15 * 60 }, concurrency: 4 }

/** Creates the X platform; `timeoutMs` bounds every request (default 15 s). */
export function createXPlatform({ timeoutMs = DEFAULT_TIMEOUT_MS }: { timeoutMs?: number } = {}) {
  const bounded = (input: { signal?: AbortSignal }) => timeoutSignal(timeoutMs, input.signal)

  async function uploadMedia(client: XClient, input: PublishInput): Promise<string[]> {
    const ids: string[] = []
    for (const media of input.media) {
      try {
        const bytes = Buffer.from(await media.bytes())
        const api = client.api(bounded(input))
        const id = await api.uploadMedia(bytes, { media_type: media.mimeType as 'image/png' })
        if (media.alt) await client.api(bounded(input)).createMediaMetadata(id, { alt_text: { text: media.alt } })
        ids.push(id)
      } catch (error) {
        throw beforePosting(xFailure(error, `refused the image ${media.filename}`), 'X')
      }
    }
    return ids
  }

  return defineSocialPlatform<XClient>({
    id: 'x',
    connector: 'x',
    rules: PLATFORM_RULES.x,
    pacing: X_PACING,
    settle: 'lookup',
    async targets(client, signal) {
      try {
        const me = await client.me(timeoutSignal(timeoutMs, signal))
        return [
          {
            id: me.id,
            type: 'profile',
            name: me.name,
            handle: `@${me.username}`,
            url: `https://x.com/${me.username}`,
            avatarUrl: me.profile_image_url,
          },
        ]
      } catch (error) {
        throw xFailure(error, 'refused to name the account')
      }
    },
    async publish(client, input) {
      const mediaIds = await uploadMedia(client, input)
      const parts = [input.text, ...input.thread]
      const ids: string[] = []
      for (const [index, text] of parts.entries()) {
        try {
          const res = await client.api(bounded(input)).tweet({
            text,
            ...(index === 0 && mediaIds.length ? { media: { media_ids: mediaIds as [string] } } : {}),
            ...(index > 0 ? { reply: { in_reply_to_tweet_id: ids[index - 1] as string } } : {}),
          })
          ids.push(res.data.id)
        } catch (error) {
          const failure = xFailure(error)
          throw ids.length ? partialThreadError('X', ids.length, failure) : failure
        }
      }
      const [postId, ...threadIds] = ids as [string, ...string[]]
      return { postId, url: postUrl(input.target.handle, postId), ...(threadIds.length ? { threadIds } : {}) }
    },
    async lookup(client, input) {
      // Clock skew between us and X: look a little before the claim.
      const since = new Date(input.claimedAt.getTime() - 120_000)
      let tweets: TweetV2[]
      try {
        const page = await client.api(bounded(input)).userTimeline(input.target.id, {
          start_time: since.toISOString(),
          max_results: 100,
          exclude: ['retweets'],
          'tweet.fields': ['created_at', 'entities', 'referenced_tweets', 'conversation_id'],
        })
        tweets = page.tweets
      } catch (error) {
        throw xFailure(error, 'refused to list the account’s posts')
      }
      const first = tweets.find(
        (t) => sameText(textOf(t), input.text) && !t.referenced_tweets?.some((r) => r.type === 'replied_to'),
      )
      if (!first) return null
      // The thread's following parts: each a reply to the one before, with the part's text.
      const threadIds: string[] = []
      let parent = first.id
      for (const part of input.thread) {
        const next = tweets.find(
          (t) =>
            sameText(textOf(t), part) && t.referenced_tweets?.some((r) => r.type === 'replied_to' && r.id === parent),
        )
        if (!next) break
        threadIds.push(next.id)
        parent = next.id
      }
      return {
        postId: first.id,
        url: postUrl(input.target.handle, first.id),
        ...(threadIds.length ? { threadIds } : {}),
      }
    },
    async metrics(client, ref, _target, signal) {
      const fetchMetrics = async (fields: ('public_metrics' | 'non_public_metrics')[]) =>
        client.api(timeoutSignal(timeoutMs, signal)).tweets([ref.postId], { 'tweet.fields': fields })
      let res: Awaited<ReturnType<typeof fetchMetrics>>
      try {
        // Non-public metrics (impressions, link clicks) exist only for the author's posts of the last 30
        // days; X refuses the whole request otherwise, so fall back to the public ones.
        res = await fetchMetrics(['public_metrics', 'non_public_metrics']).catch((error: unknown) => {
          if (
            error instanceof XApiError &&
            error.status >= 400 &&
            error.status < 500 &&
            error.status !== 429 &&
            error.status !== 401
          )
            return fetchMetrics(['public_metrics'])
          throw error
        })
      } catch (error) {
        throw xFailure(error, 'refused to give the post’s metrics')
      }
      const tweet = res.data?.[0]
      if (!tweet) throw new PublishError('rejected', `X has no post ${ref.postId} (deleted?)`)
      const pub = tweet.public_metrics
      const priv = tweet.non_public_metrics
      const metrics: PostMetrics = {
        impressions: priv?.impression_count ?? pub?.impression_count,
        likes: pub?.like_count,
        reposts: pub ? (pub.retweet_count ?? 0) + (pub.quote_count ?? 0) : undefined,
        replies: pub?.reply_count,
        clicks: priv?.url_link_clicks,
      }
      return metrics
    },
  })
}

export const xPlatform = createXPlatform()
