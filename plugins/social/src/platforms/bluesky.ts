/**
 * Bluesky: the `bluesky` connector (handle or email + app password + PDS URL) and the `bluesky`
 * social platform, over the official `@atproto/api` AtpAgent. Sessions are cached per connection in
 * this process (createSession is rate limited: 30 per 5 min, 300 per day per account) and refreshed by
 * the agent when the access token expires; a refresh token that expired too logs in again once.
 * Each post's record key is derived from the variant's idempotency key, so a re-send after an unknown
 * outcome finds the record already there instead of posting twice (settle: `key`).
 */
import { createHash } from 'node:crypto'
import { type AppBskyFeedPost, AtpAgent, type AtpSessionData, RichText } from '@atproto/api'
import { PLATFORM_RULES } from '@bizosaas/contracts/social'
import { type ConnectorContext, defineConnector } from '@bizosaas/plugin-connectors/define'
import { z } from 'zod'
import {
  defineSocialPlatform,
  type PostMetrics,
  PublishError,
  type PublishedRef,
  type PublishInput,
  type SocialTarget,
} from './define.ts'
import {
  beforePosting,
  DEFAULT_TIMEOUT_MS,
  isTransportFailure,
  partialThreadError,
  publishErrorOf,
  timeoutSignal,
} from './publish-errors.ts'
import { publicServerUrl } from './server-url.ts'

export const BLUESKY_DEFAULT_SERVICE = 'https://bsky.social'

export const blueskyCredentials = z.object({
  identifier: z
    .string()
    .trim()
    .min(3, 'Enter your Bluesky handle (e.g. yourname.bsky.social) or the email you sign in with')
    .describe('Your Bluesky handle (e.g. yourname.bsky.social) or the email you sign in with'),
  appPassword: z
    .string()
    .trim()
    .min(8, 'Create an app password in Bluesky: Settings → Privacy and security → App passwords')
    .describe('An app password (Settings → Privacy and security → App passwords), not your account password'),
  service: publicServerUrl('Your Bluesky server (PDS); leave https://bsky.social unless you host your own').default(
    BLUESKY_DEFAULT_SERVICE,
  ),
})
export type BlueskyCredentials = z.infer<typeof blueskyCredentials>

const POST = 'app.bsky.feed.post'

/** A call Bluesky answered with an error (XRPCError from the SDK carries these). */
interface XrpcFailure {
  status?: number
  error?: string
  message?: string
  headers?: Record<string, string>
}

const xrpcOf = (error: unknown): XrpcFailure => {
  const e = error as XrpcFailure & { success?: boolean }
  return {
    status: typeof e?.status === 'number' ? e.status : undefined,
    error: e?.error,
    message: e?.message,
    headers: e?.headers,
  }
}

/** Sessions by connection: `createSession` is rate limited, so one login serves every use in this process. */
const sessions = new Map<string, AtpSessionData>()

/** Forgets every cached Bluesky session (tests; a reconnect changes the key anyway). */
export function clearBlueskySessions(): void {
  sessions.clear()
}

export interface BlueskyClient {
  /** The agent, logged in (a cached session when there is one). */
  agent(signal?: AbortSignal): Promise<AtpAgent>
  /** The account's DID once logged in. */
  did(signal?: AbortSignal): Promise<string>
  /** Runs `call` with a logged-in agent; a session both of whose tokens expired logs in again once. */
  call<T>(signal: AbortSignal | undefined, call: (agent: AtpAgent) => Promise<T>): Promise<T>
}

declare module '@bizosaas/plugin-connectors/define' {
  interface ConnectorClients {
    bluesky: BlueskyClient
  }
}

/** The SDK sends `Request` objects; the connection's fetch takes a URL and an init. */
async function viaConnection(ctx: ConnectorContext<unknown>, input: RequestInfo | URL, init?: RequestInit) {
  if (!(input instanceof Request)) return ctx.fetch(input instanceof URL ? input : String(input), init)
  const body = input.method === 'GET' || input.method === 'HEAD' ? undefined : new Uint8Array(await input.arrayBuffer())
  return ctx.fetch(input.url, {
    method: input.method,
    headers: input.headers,
    body,
    signal: init?.signal ?? input.signal,
  })
}

function blueskyClient(ctx: ConnectorContext<BlueskyCredentials>): BlueskyClient {
  const { identifier, appPassword } = ctx.credentials
  const service = ctx.urls.service ?? ctx.credentials.service ?? BLUESKY_DEFAULT_SERVICE
  // A reconnect with another password or server must not reuse the old session.
  const key = `${ctx.connection.id}:${createHash('sha256').update(`${service}\0${identifier}\0${appPassword}`).digest('hex')}`
  const agent = new AtpAgent({
    service,
    fetch: (input, init) => viaConnection(ctx, input, init),
    persistSession(event, session) {
      if ((event === 'create' || event === 'update') && session) sessions.set(key, session)
      else if (event === 'expired' || event === 'create-failed') sessions.delete(key)
    },
  })
  const login = async (_signal?: AbortSignal) => {
    if (agent.session) return agent
    const cached = sessions.get(key)
    if (cached) {
      // No network: the agent refreshes it when Bluesky says it expired.
      agent.sessionManager.session = cached
      return agent
    }
    // persistSession caches it (event `create`).
    await agent.login({ identifier, password: appPassword })
    return agent
  }
  const expired = (error: unknown) => {
    const f = xrpcOf(error)
    return (
      f.status === 401 ||
      f.error === 'ExpiredToken' ||
      f.error === 'InvalidToken' ||
      f.error === 'AuthenticationRequired'
    )
  }
  const client: BlueskyClient = {
    agent: login,
    async did(signal) {
      return (await login(signal)).session?.did as string
    },
    async call(signal, run) {
      const a = await login(signal)
      try {
        return await run(a)
      } catch (error) {
        // The agent refreshed on expiry already; reaching here expired means the refresh token is gone too.
        if (!expired(error)) throw error
        sessions.delete(key)
        a.sessionManager.session = undefined
        return run(await login(signal))
      }
    },
  }
  return client
}

export const blueskyConnector = defineConnector<'bluesky', BlueskyCredentials, BlueskyClient>({
  id: 'bluesky',
  name: 'Bluesky',
  description: 'Post to a Bluesky account with an app password and read how the posts do.',
  category: 'social',
  auth: { type: 'credentials', kind: 'app-password', schema: blueskyCredentials, secretFields: ['appPassword'] },
  // Empty: the server comes from the credentials; `CONNECTOR_BLUESKY_URL_SERVICE` overrides it (tests).
  urls: {},
  docsUrl: 'https://bsky.app/settings/app-passwords',
  client: blueskyClient,
  async test(client) {
    try {
      const agent = await client.agent(AbortSignal.timeout(DEFAULT_TIMEOUT_MS))
      const handle = agent.session?.handle ?? agent.session?.did
      return { ok: true, message: `Connected to Bluesky as @${handle}`, account: `@${handle}` }
    } catch (error) {
      const f = xrpcOf(error)
      if (f.status === 401)
        return { ok: false, message: 'Bluesky refused the handle or app password; check both', reconnect: true }
      return { ok: false, message: `Bluesky could not be reached: ${f.message ?? String(error)}` }
    }
  },
})

/** Any failure of a Bluesky call as a `PublishError`. */
export function blueskyFailure(error: unknown, action = 'refused the post'): PublishError {
  if (error instanceof PublishError) return error
  const f = xrpcOf(error)
  if (f.status === 401 || f.error === 'AuthenticationRequired' || f.error === 'ExpiredToken')
    return new PublishError(
      'needs-reconnect',
      `Bluesky refused the handle or app password (${f.message ?? f.error}); enter a new app password`,
      { status: f.status, platformCode: f.error },
    )
  // The SDK reports a dropped or timed-out request as status 1 (XRPCError "Unknown").
  if (isTransportFailure(error) || f.status === undefined || f.status < 100) return publishErrorOf({}, 'Bluesky')
  const said = f.message && f.message !== f.error ? f.message : (f.error ?? f.message)
  return publishErrorOf({ status: f.status, said, headers: f.headers, platformCode: f.error }, 'Bluesky', action)
}

/** Base32 "sortable" alphabet of atproto TIDs. */
const S32 = '234567abcdefghijklmnopqrstuvwxyz'
/** 2023-01-01 in microseconds: derived TIDs fall in the three years after it. */
const TID_EPOCH_US = 1_672_531_200_000_000n
const TID_SPAN_US = 3n * 365n * 24n * 3600n * 1_000_000n

/**
 * The record key of part `part` of the variant posted with `idempotencyKey`: the same for every attempt.
 * Post records are keyed by TIDs (lexicon key type `tid`: 53-bit microsecond timestamp + 10-bit clock
 * id, 13 base32 characters), so the key is a TID whose bits come from a hash of the idempotency key.
 */
export function recordKeyOf(idempotencyKey: string, part = 0): string {
  const hash = createHash('sha256').update(`${idempotencyKey}\0${part}`).digest()
  const micros = TID_EPOCH_US + (hash.readBigUInt64BE(0) % TID_SPAN_US)
  const clock = BigInt(hash.readUInt16BE(8) & 0x3ff)
  let n = (micros << 10n) | clock
  let out = ''
  for (let i = 0; i < 13; i++) {
    out = S32[Number(n & 31n)] + out
    n >>= 5n
  }
  return out
}

const postUrl = (target: SocialTarget, uri: string) => {
  const rkey = uri.split('/').pop() as string
  const who = target.handle?.replace(/^@/, '') || target.id
  return `https://bsky.app/profile/${who}/post/${rkey}`
}

/** Link and hashtag facets (mentions would need a handle lookup per mention; they stay plain text). */
function facetsOf(text: string) {
  const rt = new RichText({ text })
  rt.detectFacetsWithoutResolution()
  const facets = (rt.facets ?? [])
    .map((facet) => ({
      ...facet,
      features: facet.features.filter(
        (f) => f.$type === 'app.bsky.richtext.facet#link' || f.$type === 'app.bsky.richtext.facet#tag',
      ),
    }))
    .filter((facet) => facet.features.length > 0)
  return { text: rt.text, facets }
}

/** Bluesky's documented write limits: 5,000 points per hour, 35,000 per day; a create costs 3 points. */
const BLUESKY_PACING = { perAccount: { points: 1_500, windowSeconds: 3600 }, concurrency: 4 }

/** Creates the Bluesky platform; `timeoutMs` bounds every request (default 15 s). */
export function createBlueskyPlatform({ timeoutMs = DEFAULT_TIMEOUT_MS }: { timeoutMs?: number } = {}) {
  const bounded = (signal?: AbortSignal) => timeoutSignal(timeoutMs, signal)

  /** Creates the record at `rkey`, or finds it there from an earlier attempt (the same text). */
  async function createOnce(
    client: BlueskyClient,
    input: PublishInput,
    rkey: string,
    record: AppBskyFeedPost.Record,
  ): Promise<{ uri: string; cid: string }> {
    return client.call(bounded(input.signal), async (agent) => {
      const repo = agent.session?.did as string
      try {
        const res = await agent.com.atproto.repo.createRecord(
          { repo, collection: POST, rkey, record: record as unknown as Record<string, unknown> },
          { signal: bounded(input.signal) },
        )
        return { uri: res.data.uri, cid: res.data.cid }
      } catch (error) {
        const f = xrpcOf(error)
        const exists = f.status === 409 || /already exists/i.test(`${f.error} ${f.message}`)
        if (!exists) throw error
        // An earlier attempt made it: that is this post, not a duplicate.
        const found = await agent.com.atproto.repo.getRecord(
          { repo, collection: POST, rkey },
          { signal: bounded(input.signal) },
        )
        if ((found.data.value as { text?: string }).text !== record.text)
          throw new PublishError(
            'rejected',
            `Bluesky already has a different post under this post's key (${found.data.uri}); nothing was posted`,
          )
        return { uri: found.data.uri, cid: found.data.cid as string }
      }
    })
  }

  async function uploadImages(client: BlueskyClient, input: PublishInput) {
    if (!input.media.length) return undefined
    const images = []
    for (const media of input.media) {
      try {
        const bytes = await media.bytes()
        const res = await client.call(bounded(input.signal), (agent) =>
          agent.uploadBlob(bytes, { encoding: media.mimeType, signal: bounded(input.signal) }),
        )
        images.push({ image: res.data.blob, alt: media.alt ?? '' })
      } catch (error) {
        throw beforePosting(blueskyFailure(error, `refused the image ${media.filename}`), 'Bluesky')
      }
    }
    return { $type: 'app.bsky.embed.images', images }
  }

  async function find(client: BlueskyClient, rkey: string, signal?: AbortSignal) {
    return client.call(bounded(signal), async (agent) => {
      try {
        const res = await agent.com.atproto.repo.getRecord(
          { repo: agent.session?.did as string, collection: POST, rkey },
          { signal: bounded(signal) },
        )
        return { uri: res.data.uri, cid: res.data.cid as string }
      } catch (error) {
        const f = xrpcOf(error)
        if (f.error === 'RecordNotFound' || f.status === 404 || (f.status === 400 && /not found/i.test(`${f.message}`)))
          return null
        throw error
      }
    })
  }

  return defineSocialPlatform<BlueskyClient>({
    id: 'bluesky',
    connector: 'bluesky',
    rules: PLATFORM_RULES.bluesky,
    pacing: BLUESKY_PACING,
    settle: 'key',
    async targets(client, signal) {
      try {
        const did = await client.did(bounded(signal))
        const profile = await client.call(bounded(signal), (agent) =>
          agent.app.bsky.actor.getProfile({ actor: did }, { signal: bounded(signal) }),
        )
        return [
          {
            id: did,
            type: 'profile',
            name: profile.data.displayName || profile.data.handle,
            handle: `@${profile.data.handle}`,
            url: `https://bsky.app/profile/${profile.data.handle}`,
            avatarUrl: profile.data.avatar,
          },
        ]
      } catch (error) {
        throw blueskyFailure(error, 'refused to name the account')
      }
    },
    async publish(client, input) {
      const embed = await uploadImages(client, input)
      const parts = [input.text, ...input.thread]
      const made: { uri: string; cid: string }[] = []
      for (const [index, text] of parts.entries()) {
        const root = made[0]
        const parent = made[index - 1]
        const record: AppBskyFeedPost.Record = {
          $type: POST,
          ...facetsOf(text),
          createdAt: new Date().toISOString(),
          ...(index === 0 && embed ? { embed } : {}),
          ...(root && parent ? { reply: { root, parent } } : {}),
        }
        try {
          made.push(await createOnce(client, input, recordKeyOf(input.idempotencyKey, index), record))
        } catch (error) {
          const failure = blueskyFailure(error)
          throw made.length ? partialThreadError('Bluesky', made.length, failure) : failure
        }
      }
      const [first, ...rest] = made as [{ uri: string; cid: string }, ...{ uri: string; cid: string }[]]
      return {
        postId: first.uri,
        url: postUrl(input.target, first.uri),
        ...(rest.length ? { threadIds: rest.map((r) => r.uri) } : {}),
      }
    },
    async lookup(client, input): Promise<PublishedRef | null> {
      try {
        const first = await find(client, recordKeyOf(input.idempotencyKey, 0), input.signal)
        if (!first) return null
        const threadIds: string[] = []
        for (let part = 1; part <= input.thread.length; part++) {
          const found = await find(client, recordKeyOf(input.idempotencyKey, part), input.signal)
          if (!found) break
          threadIds.push(found.uri)
        }
        return { postId: first.uri, url: postUrl(input.target, first.uri), ...(threadIds.length ? { threadIds } : {}) }
      } catch (error) {
        throw blueskyFailure(error, 'refused to look the post up')
      }
    },
    async metrics(client, ref, _target, signal) {
      try {
        const res = await client.call(bounded(signal), (agent) =>
          agent.app.bsky.feed.getPosts({ uris: [ref.postId] }, { signal: bounded(signal) }),
        )
        const post = res.data.posts[0]
        if (!post) throw new PublishError('rejected', `Bluesky has no post ${ref.postId} (deleted?)`)
        // Bluesky does not report impressions or clicks.
        const metrics: PostMetrics = {
          likes: post.likeCount,
          reposts: post.repostCount === undefined ? undefined : post.repostCount + (post.quoteCount ?? 0),
          replies: post.replyCount,
        }
        return metrics
      } catch (error) {
        throw blueskyFailure(error, 'refused to give the post’s metrics')
      }
    },
  })
}

export const blueskyPlatform = createBlueskyPlatform()
