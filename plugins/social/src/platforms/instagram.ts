/**
 * Instagram business accounts (linked to the connected person's Facebook Pages) as a social platform,
 * through the Graph API's content publishing: a media container per image (children of a carousel when
 * there are several), then `media_publish` — the one call that makes the post. Instagram fetches each
 * image from its public URL. No idempotency key: an unknown outcome is settled by looking the post up.
 * Calls go to the `facebook` connector's `instagram` URL (the Graph API, named apart for deployments).
 */
import { PLATFORM_RULES, type RuleIssue, type VariantDraft } from '@bizosaas/contracts/social'
import type { FacebookClient, GraphRequest } from '../connectors/facebook.ts'
import {
  defineSocialPlatform,
  type PostMetrics,
  PublishError,
  type PublishInput,
  type SocialPlatform,
  type SocialTarget,
} from './define.ts'
import { dataOf, graphFailure, graphList, insightValue, record, str } from './graph.ts'
import { callSignal, DEFAULT_PUBLISH_TIMEOUT_MS, thrownError } from './http-outcome.ts'
import { sameText } from './publish-errors.ts'

const NAME = 'Instagram'

export interface InstagramPlatformOptions {
  /** How long one publish call may take before its outcome is unknown. @default 15000 */
  publishTimeoutMs?: number
  /** How often, and how many times, to ask whether a media container is ready before publishing it. @default { intervalMs: 1000, attempts: 10 } */
  containerPoll?: { intervalMs: number; attempts: number }
}

function onlyImages(draft: VariantDraft): RuleIssue[] {
  return (draft.media ?? []).flatMap((media, index) =>
    media.mimeType.startsWith('image/')
      ? []
      : [
          {
            rule: 'media-type' as const,
            platform: 'instagram' as const,
            severity: 'error' as const,
            media: index,
            message: `Instagram posts from BizOSaaS take images only for now; attachment ${index + 1} is ${media.mimeType}`,
          },
        ],
  )
}

export function createInstagramPlatform(options: InstagramPlatformOptions = {}): SocialPlatform<FacebookClient> {
  const timeoutMs = options.publishTimeoutMs ?? DEFAULT_PUBLISH_TIMEOUT_MS
  const poll = options.containerPoll ?? { intervalMs: 1000, attempts: 10 }
  const call = (client: FacebookClient, path: string, init: GraphRequest = {}) =>
    client.request(path, { ...init, api: 'instagram' })

  /** Creates a container; waits until Instagram has fetched and processed its image. */
  async function container(
    client: FacebookClient,
    user: string,
    params: GraphRequest['params'],
    what: string,
    signal: AbortSignal,
  ) {
    const res = await call(client, `/${user}/media`, { method: 'POST', params, signal })
    if (!res.ok) throw graphFailure(NAME, res, what === 'the post' ? 'the post' : `preparing ${what}`)
    const id = str(record(res.body).id)
    if (!id) throw new PublishError('rejected', `Instagram did not say the id of the container for ${what}`)
    for (let attempt = 0; attempt < poll.attempts; attempt++) {
      const status = await call(client, `/${id}`, { params: { fields: 'status_code' }, signal })
      if (!status.ok) throw graphFailure(NAME, status, `preparing ${what}`)
      const code = str(record(status.body).status_code)
      if (!code || code === 'FINISHED' || code === 'PUBLISHED') return id
      if (code === 'ERROR' || code === 'EXPIRED')
        throw new PublishError('rejected', `Instagram refused the post: it could not process ${what} (${code})`)
      await new Promise((resolve) => setTimeout(resolve, poll.intervalMs))
    }
    throw new PublishError(
      'rejected',
      `Instagram refused the post: ${what} was still processing after ${poll.attempts} checks`,
    )
  }

  async function publishWith(client: FacebookClient, input: PublishInput, signal: AbortSignal) {
    const user = input.target.id
    if (input.media.length === 0) throw new PublishError('rejected', 'Instagram refused the post: it needs an image')
    const [only] = input.media
    let creation: string
    if (input.media.length === 1 && only) {
      creation = await container(
        client,
        user,
        { image_url: only.url, caption: input.text, alt_text: only.alt },
        'the post',
        signal,
      )
    } else {
      const children: string[] = []
      for (const media of input.media)
        children.push(
          await container(
            client,
            user,
            { image_url: media.url, is_carousel_item: true, alt_text: media.alt },
            media.filename,
            signal,
          ),
        )
      creation = await container(
        client,
        user,
        { media_type: 'CAROUSEL', children: children.join(','), caption: input.text },
        'the post',
        signal,
      )
    }
    // The side effect: everything before it made only containers, which expire unseen.
    const res = await call(client, `/${user}/media_publish`, {
      method: 'POST',
      params: { creation_id: creation },
      signal,
    })
    if (!res.ok) throw graphFailure(NAME, res, 'the post')
    const mediaId = str(record(res.body).id)
    if (!mediaId) throw new PublishError('unknown', 'Instagram accepted the post but did not say its id')
    return mediaId
  }

  /** The post's permalink; the profile's URL when Instagram does not say (the post is made either way). */
  async function permalink(client: FacebookClient, mediaId: string, target: SocialTarget, signal: AbortSignal) {
    try {
      const res = await call(client, `/${mediaId}`, { params: { fields: 'permalink' }, signal })
      const link = res.ok ? str(record(res.body).permalink) : undefined
      if (link) return link
    } catch {
      // Fall through: never fail a post that was made over its link.
    }
    return target.url ?? (target.handle ? `https://www.instagram.com/${target.handle}/` : 'https://www.instagram.com/')
  }

  return defineSocialPlatform<FacebookClient>({
    id: 'instagram',
    connector: 'facebook',
    rules: PLATFORM_RULES.instagram,
    // Instagram documents 100 API-published posts per account in a moving 24 hours (a carousel counts
    // once); 50 leaves room for posts made in the app and for retries.
    pacing: { perAccount: { points: 50, windowSeconds: 86_400 }, concurrency: 2 },
    settle: 'lookup',
    validate: onlyImages,

    async targets(client, signal) {
      try {
        const pages = await graphList(client, '/me/accounts', {
          params: { fields: 'id,name,instagram_business_account{id,username,profile_picture_url}' },
          api: 'instagram',
          signal,
          platformName: NAME,
          action: 'the Instagram accounts linked to your Pages',
        })
        return pages.flatMap((page): SocialTarget[] => {
          const account = record(page.instagram_business_account)
          const id = str(account.id)
          if (!id) return []
          const username = str(account.username)
          return [
            {
              id,
              type: 'business',
              name: username ?? str(page.name) ?? id,
              handle: username,
              url: username ? `https://www.instagram.com/${username}/` : undefined,
              avatarUrl: str(account.profile_picture_url),
            },
          ]
        })
      } catch (error) {
        throw thrownError(NAME, error, timeoutMs)
      }
    },

    async publish(client, input) {
      // The shared rules allow one part here; a thread reaching this far is a programmer's mistake.
      if (input.thread.length > 0)
        throw new PublishError('rejected', `${NAME} refused the post: ${NAME} has no threads; put it in one post`)
      const signal = callSignal(timeoutMs, input.signal)
      try {
        const mediaId = await publishWith(client, input, signal)
        return { postId: mediaId, url: await permalink(client, mediaId, input.target, signal) }
      } catch (error) {
        throw thrownError(NAME, error, timeoutMs)
      }
    },

    async lookup(client, input) {
      const signal = callSignal(timeoutMs, input.signal)
      const since = input.claimedAt.getTime() - 60_000
      try {
        const res = await call(client, `/${input.target.id}/media`, {
          params: { fields: 'id,caption,timestamp,permalink', limit: 25 },
          signal,
        })
        if (!res.ok) throw graphFailure(NAME, res, 'the recent posts')
        const found = dataOf(res.body).find(
          (media) => sameText(String(media.caption ?? ''), input.text) && Date.parse(String(media.timestamp)) >= since,
        )
        const id = str(found?.id)
        if (!id) return null
        return { postId: id, url: str(found?.permalink) ?? (await permalink(client, id, input.target, signal)) }
      } catch (error) {
        throw thrownError(NAME, error, timeoutMs)
      }
    },

    async metrics(client, ref, _target, signal): Promise<PostMetrics> {
      try {
        const res = await call(client, `/${ref.postId}/insights`, {
          params: { metric: 'impressions,reach,likes,comments,shares' },
          signal,
        })
        if (!res.ok) throw graphFailure(NAME, res, 'the post insights')
        return {
          impressions: insightValue(res.body, 'impressions'),
          likes: insightValue(res.body, 'likes'),
          replies: insightValue(res.body, 'comments'),
          reposts: insightValue(res.body, 'shares'),
        }
      } catch (error) {
        throw thrownError(NAME, error, timeoutMs)
      }
    },
  })
}

export const instagramPlatform = createInstagramPlatform()
