/**
 * Facebook Pages as a social platform: posts as a Page the connected person manages (text and link to
 * `/feed`, one photo to `/photos`, several photos as unpublished photos attached to a `/feed` post), with
 * the Page's own token fetched at publish time. Facebook has no idempotency key, so an unknown outcome
 * is settled by looking for the post among the Page's published posts.
 */
import { PLATFORM_RULES, type RuleIssue, type VariantDraft } from '@bizosaas/contracts/social'
import type { FacebookClient } from '../connectors/facebook.ts'
import {
  defineSocialPlatform,
  type PostMetrics,
  PublishError,
  type PublishInput,
  type SocialPlatform,
  type SocialTarget,
} from './define.ts'
import { dataOf, graphFailure, graphList, insightValue, num, pageToken, record, str } from './graph.ts'
import { callSignal, DEFAULT_PUBLISH_TIMEOUT_MS, thrownError } from './http-outcome.ts'
import { sameText } from './publish-errors.ts'

const NAME = 'Facebook'

export interface FacebookPlatformOptions {
  /** How long one publish call may take before its outcome is unknown. @default 15000 */
  publishTimeoutMs?: number
}

/** The public URL of a Page post (`<page id>_<post id>`) or photo. */
export const facebookPostUrl = (postId: string) => `https://www.facebook.com/${postId}`

/** The first link in the text: Facebook previews it when sent as `link`. */
const firstLink = (text: string) => text.match(/https?:\/\/[^\s<>"')\]]+/)?.[0]

function onlyImages(draft: VariantDraft): RuleIssue[] {
  return (draft.media ?? []).flatMap((media, index) =>
    media.mimeType.startsWith('image/')
      ? []
      : [
          {
            rule: 'media-type' as const,
            platform: 'facebook' as const,
            severity: 'error' as const,
            media: index,
            message: `Facebook posts from BizOSaaS take images only for now; attachment ${index + 1} is ${media.mimeType}`,
          },
        ],
  )
}

async function publishWith(client: FacebookClient, input: PublishInput, signal: AbortSignal) {
  const page = input.target.id
  const accessToken = await pageToken(client, page, NAME, signal)
  const post = (path: string, params: Record<string, string | number | boolean | object | undefined>) =>
    client.request(path, { method: 'POST', params, accessToken, signal })
  const [only] = input.media
  if (input.media.length === 1 && only) {
    // One photo: the photo post itself is the side effect.
    const res = await post(`/${page}/photos`, {
      url: only.url,
      caption: input.text,
      alt_text_custom: only.alt,
      published: true,
    })
    if (!res.ok) throw graphFailure(NAME, res, 'the post')
    const id = str(record(res.body).post_id) ?? str(record(res.body).id)
    if (!id) throw new PublishError('unknown', 'Facebook accepted the photo but did not say its id')
    return id
  }
  const attached: { media_fbid: string }[] = []
  for (const media of input.media) {
    // Unpublished photos are invisible until the feed post attaches them: nothing shows on the Page yet.
    const res = await post(`/${page}/photos`, { url: media.url, published: false, alt_text_custom: media.alt })
    if (!res.ok) throw graphFailure(NAME, res, `uploading ${media.filename}`)
    const id = str(record(res.body).id)
    if (!id) throw new PublishError('rejected', `Facebook did not say the id of the uploaded ${media.filename}`)
    attached.push({ media_fbid: id })
  }
  const res = await post(`/${page}/feed`, {
    message: input.text,
    link: attached.length ? undefined : firstLink(input.text),
    attached_media: attached.length ? attached : undefined,
  })
  if (!res.ok) throw graphFailure(NAME, res, 'the post')
  const id = str(record(res.body).id)
  if (!id) throw new PublishError('unknown', 'Facebook accepted the post but did not say its id')
  return id
}

export function createFacebookPlatform(options: FacebookPlatformOptions = {}): SocialPlatform<FacebookClient> {
  const timeoutMs = options.publishTimeoutMs ?? DEFAULT_PUBLISH_TIMEOUT_MS
  return defineSocialPlatform<FacebookClient>({
    id: 'facebook',
    connector: 'facebook',
    rules: PLATFORM_RULES.facebook,
    // Facebook documents no post cap per Page, only a rolling 24-hour call budget per Page (business
    // use case) that one publish spends a handful of; 25 an hour keeps well inside it and clear of
    // the spam checks that throttle bursts.
    pacing: { perAccount: { points: 25, windowSeconds: 3600 }, concurrency: 2 },
    settle: 'lookup',
    validate: onlyImages,

    async targets(client, signal) {
      try {
        const pages = await graphList(client, '/me/accounts', {
          params: { fields: 'id,name,access_token,picture' },
          signal,
          platformName: NAME,
          action: 'the Pages you manage',
        })
        return pages.flatMap((page): SocialTarget[] => {
          const id = str(page.id)
          if (!id) return []
          return [
            {
              id,
              type: 'page',
              name: str(page.name) ?? id,
              url: `https://www.facebook.com/${id}`,
              avatarUrl: str(record(record(page.picture).data).url),
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
        const postId = await publishWith(client, input, signal)
        return { postId, url: facebookPostUrl(postId) }
      } catch (error) {
        throw thrownError(NAME, error, timeoutMs)
      }
    },

    async lookup(client, input) {
      const signal = callSignal(timeoutMs, input.signal)
      try {
        const accessToken = await pageToken(client, input.target.id, NAME, signal)
        // A minute of slack for Facebook's clock; `since` is in seconds.
        const since = Math.floor((input.claimedAt.getTime() - 60_000) / 1000)
        const res = await client.request(`/${input.target.id}/published_posts`, {
          params: { fields: 'id,message,created_time', since, limit: 50 },
          accessToken,
          signal,
        })
        if (!res.ok) throw graphFailure(NAME, res, "the Page's recent posts")
        const found = dataOf(res.body).find(
          (post) =>
            sameText(String(post.message ?? ''), input.text) &&
            Date.parse(String(post.created_time)) >= input.claimedAt.getTime() - 60_000,
        )
        const id = str(found?.id)
        return id ? { postId: id, url: facebookPostUrl(id) } : null
      } catch (error) {
        throw thrownError(NAME, error, timeoutMs)
      }
    },

    async metrics(client, ref, target, signal): Promise<PostMetrics> {
      try {
        const accessToken = await pageToken(client, target.id, NAME, signal)
        const insights = await client.request(`/${ref.postId}/insights`, {
          params: { metric: 'post_impressions,post_clicks' },
          accessToken,
          signal,
        })
        if (!insights.ok) throw graphFailure(NAME, insights, 'the post insights')
        const counts = await client.request(`/${ref.postId}`, {
          params: { fields: 'reactions.summary(true),shares,comments.summary(true)' },
          accessToken,
          signal,
        })
        if (!counts.ok) throw graphFailure(NAME, counts, 'the post reactions')
        const body = record(counts.body)
        return {
          impressions: insightValue(insights.body, 'post_impressions'),
          clicks: insightValue(insights.body, 'post_clicks'),
          likes: num(record(record(body.reactions).summary).total_count),
          // Graph leaves `shares` out of a post nobody has shared yet.
          reposts: num(record(body.shares).count) ?? 0,
          replies: num(record(record(body.comments).summary).total_count),
        }
      } catch (error) {
        throw thrownError(NAME, error, timeoutMs)
      }
    },
  })
}

export const facebookPlatform = createFacebookPlatform()
