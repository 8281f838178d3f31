/**
 * Mastodon: the `mastodon` connector (instance URL + access token, any instance) and the `mastodon`
 * social platform, over `masto`'s REST client. Every status is created with an `Idempotency-Key`
 * derived from the variant's key, so a re-send after an unknown outcome returns the status made the
 * first time instead of a second one (settle: `key`; Mastodon keeps the keys for an hour, so `lookup`
 * also reads the account's recent statuses).
 */
import { PLATFORM_RULES } from '@bizosaas/contracts/social'
import { type ConnectorContext, defineConnector } from '@bizosaas/plugin-connectors/define'
import { createRestAPIClient, type mastodon } from 'masto'
import { z } from 'zod'
import { defineSocialPlatform, type PostMetrics, PublishError, type PublishedRef, type PublishInput } from './define.ts'
import {
  beforePosting,
  DEFAULT_TIMEOUT_MS,
  isTransportFailure,
  partialThreadError,
  publishErrorOf,
  sameText,
  timeoutSignal,
} from './publish-errors.ts'
import { publicServerUrl } from './server-url.ts'

export const mastodonCredentials = z.object({
  instanceUrl: publicServerUrl('The address of your Mastodon server, such as https://mastodon.social'),
  accessToken: z
    .string()
    .trim()
    .min(16, 'Paste the access token from Preferences → Development → your application')
    .describe(
      'An access token with the write:statuses, write:media and read:accounts, read:statuses scopes (Preferences → Development → New application)',
    ),
})
export type MastodonCredentials = z.infer<typeof mastodonCredentials>

export interface MastodonClient {
  /** The instance's REST API; requests carry the access token. */
  rest: mastodon.rest.Client
  instanceUrl: string
}

declare module '@bizosaas/plugin-connectors/define' {
  interface ConnectorClients {
    mastodon: MastodonClient
  }
}

function mastodonClient(ctx: ConnectorContext<MastodonCredentials>): MastodonClient {
  // `CONNECTOR_MASTODON_URL_INSTANCE` points every connection at one server (tests, a staging instance).
  const instanceUrl = ctx.urls.instance ?? ctx.credentials.instanceUrl
  return {
    instanceUrl,
    rest: createRestAPIClient({
      url: instanceUrl,
      accessToken: ctx.credentials.accessToken,
      ...(ctx.signal ? { requestInit: { signal: ctx.signal } } : {}),
    }),
  }
}

interface MastoFailure {
  statusCode?: number
  message?: string
  description?: string
  cause?: unknown
}

export const mastodonConnector = defineConnector<'mastodon', MastodonCredentials, MastodonClient>({
  id: 'mastodon',
  name: 'Mastodon',
  description: 'Post to a Mastodon account on any server and read how the posts do.',
  category: 'social',
  auth: { type: 'credentials', kind: 'api-key', schema: mastodonCredentials, secretFields: ['accessToken'] },
  urls: {},
  docsUrl: 'https://docs.joinmastodon.org/client/token/',
  client: mastodonClient,
  async test(client) {
    try {
      const me = await client.rest.v1.accounts.verifyCredentials(undefined, {
        requestInit: { signal: AbortSignal.timeout(DEFAULT_TIMEOUT_MS) },
      })
      const host = new URL(client.instanceUrl).host
      return { ok: true, message: `Connected to Mastodon as @${me.acct}@${host}`, account: `@${me.acct}@${host}` }
    } catch (error) {
      const f = error as MastoFailure
      if (f.statusCode === 401 || f.statusCode === 403)
        return { ok: false, message: 'Mastodon refused the access token; create a new one', reconnect: true }
      return { ok: false, message: `Mastodon could not be reached: ${f.message ?? String(error)}` }
    }
  },
})

/** Any failure of a Mastodon call as a `PublishError`. */
export function mastodonFailure(error: unknown, action = 'refused the post'): PublishError {
  if (error instanceof PublishError) return error
  const f = error as MastoFailure
  if (typeof f?.statusCode === 'number') {
    const headers = f.cause instanceof Response ? f.cause.headers : undefined
    // Mastodon has no refresh: a refused token means a new one is needed.
    if (f.statusCode === 401)
      return new PublishError('needs-reconnect', `Mastodon refused the access token (${f.message}); create a new one`, {
        status: 401,
      })
    return publishErrorOf({ status: f.statusCode, said: f.message, headers }, 'Mastodon', action)
  }
  if (isTransportFailure(error) || (error as Error)?.name === 'MastoTimeoutError') return publishErrorOf({}, 'Mastodon')
  // An answer masto could not read (an HTML error page from a proxy …): it may have been posted.
  return new PublishError(
    'unknown',
    `Mastodon failed while posting (${(error as Error)?.message ?? String(error)}); the post may or may not be up — check the account before posting again`,
  )
}

/** Mastodon's text out of a status's HTML (paragraphs and line breaks kept, tags and entities gone). */
export function textOfStatus(html: string): string {
  return html
    .replace(/<br\s*\/?>/gi, '\n')
    .replace(/<\/p>\s*<p>/gi, '\n\n')
    .replace(/<[^>]+>/g, '')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&')
}

/** The key sent for part `part`: the variant's for the first, suffixed for the following ones. */
const keyOf = (input: PublishInput, part: number) =>
  part === 0 ? input.idempotencyKey : `${input.idempotencyKey}:${part}`

/**
 * Mastodon's default limits: 300 requests per 5 min per account, and 30 media uploads per 30 min.
 * A post with four images is five calls, so 30 posts per 30 min stays well inside both.
 */
const MASTODON_PACING = { perAccount: { points: 30, windowSeconds: 30 * 60 }, concurrency: 4 }

/** Creates the Mastodon platform; `timeoutMs` bounds every request (default 15 s). */
export function createMastodonPlatform({ timeoutMs = DEFAULT_TIMEOUT_MS }: { timeoutMs?: number } = {}) {
  const bounded = (signal?: AbortSignal) => ({ requestInit: { signal: timeoutSignal(timeoutMs, signal) } })

  async function uploadMedia(client: MastodonClient, input: PublishInput): Promise<string[]> {
    const ids: string[] = []
    for (const media of input.media) {
      try {
        const bytes = await media.bytes()
        const file = new Blob([new Uint8Array(bytes)], { type: media.mimeType })
        // skipPolling: masto would otherwise sleep a second before asking; images are ready at once
        // (200 with a url) and a 202 is polled below.
        let attachment = await client.rest.v2.media.create(
          { file, description: media.alt, skipPolling: true } as mastodon.rest.v2.CreateMediaAttachmentParams,
          bounded(input.signal),
        )
        for (let tries = 0; !attachment.url && tries < 10; tries++) {
          await new Promise((resolve) => setTimeout(resolve, 500))
          attachment = await client.rest.v1.media.$select(attachment.id).fetch(undefined, bounded(input.signal))
        }
        ids.push(attachment.id)
      } catch (error) {
        throw beforePosting(mastodonFailure(error, `refused the image ${media.filename}`), 'Mastodon')
      }
    }
    return ids
  }

  return defineSocialPlatform<MastodonClient>({
    id: 'mastodon',
    connector: 'mastodon',
    rules: PLATFORM_RULES.mastodon,
    pacing: MASTODON_PACING,
    settle: 'key',
    async targets(client, signal) {
      try {
        const me = await client.rest.v1.accounts.verifyCredentials(undefined, bounded(signal))
        const host = new URL(client.instanceUrl).host
        return [
          {
            id: me.id,
            type: 'profile',
            name: me.displayName || me.username,
            handle: `@${me.acct}@${host}`,
            url: me.url,
            avatarUrl: me.avatar,
          },
        ]
      } catch (error) {
        throw mastodonFailure(error, 'refused to name the account')
      }
    },
    async publish(client, input) {
      const mediaIds = await uploadMedia(client, input)
      const parts = [input.text, ...input.thread]
      const made: mastodon.v1.Status[] = []
      for (const [index, text] of parts.entries()) {
        try {
          const status = await client.rest.v1.statuses.create(
            {
              status: text,
              ...(index === 0 && mediaIds.length ? { mediaIds } : {}),
              ...(index > 0 ? { inReplyToId: made[index - 1]?.id } : {}),
            },
            {
              requestInit: {
                signal: timeoutSignal(timeoutMs, input.signal),
                headers: { 'Idempotency-Key': keyOf(input, index) },
              },
            },
          )
          made.push(status)
        } catch (error) {
          const failure = mastodonFailure(error)
          throw made.length ? partialThreadError('Mastodon', made.length, failure) : failure
        }
      }
      const [first, ...rest] = made as [mastodon.v1.Status, ...mastodon.v1.Status[]]
      return {
        postId: first.id,
        url: first.url ?? first.uri,
        ...(rest.length ? { threadIds: rest.map((s) => s.id) } : {}),
      }
    },
    async lookup(client, input): Promise<PublishedRef | null> {
      try {
        const since = input.claimedAt.getTime() - 120_000
        const statuses = await client.rest.v1.accounts
          .$select(input.target.id)
          .statuses.list({ limit: 40, excludeReblogs: true }, bounded(input.signal))
        const recent = statuses.filter((s) => Date.parse(s.createdAt) >= since)
        const first = recent.find((s) => !s.inReplyToId && sameText(textOfStatus(s.content), input.text))
        if (!first) return null
        const threadIds: string[] = []
        let parent = first.id
        for (const part of input.thread) {
          const next = recent.find((s) => s.inReplyToId === parent && sameText(textOfStatus(s.content), part))
          if (!next) break
          threadIds.push(next.id)
          parent = next.id
        }
        return { postId: first.id, url: first.url ?? first.uri, ...(threadIds.length ? { threadIds } : {}) }
      } catch (error) {
        throw mastodonFailure(error, 'refused to list the account’s posts')
      }
    },
    async metrics(client, ref, _target, signal) {
      try {
        const status = await client.rest.v1.statuses.$select(ref.postId).fetch(undefined, bounded(signal))
        // Mastodon reports no impressions or clicks.
        const metrics: PostMetrics = {
          likes: status.favouritesCount,
          reposts: status.reblogsCount,
          replies: status.repliesCount,
        }
        return metrics
      } catch (error) {
        throw mastodonFailure(error, 'refused to give the post’s metrics')
      }
    },
  })
}

export const mastodonPlatform = createMastodonPlatform()
