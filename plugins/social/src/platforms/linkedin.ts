/**
 * LinkedIn as a social platform: posts as the connected member or as an organisation they administer,
 * through the Posts API (`/rest/posts`), images through the Images API, metrics from the organisation
 * share statistics (pages) or social actions (members). All calls go through the `linkedin` connector's
 * client. LinkedIn has no idempotency key, so an unknown outcome is settled by looking the post up.
 */
import { PLATFORM_RULES, type RuleIssue, type VariantDraft } from '@bizosaas/contracts/social'
import { type LinkedInClient, type LinkedInResponse, linkedInMessage } from '../connectors/linkedin.ts'
import {
  defineSocialPlatform,
  type PostMetrics,
  PublishError,
  type PublishedRef,
  type PublishInput,
  type PublishMedia,
  type SocialPlatform,
  type SocialTarget,
} from './define.ts'
import { callSignal, DEFAULT_PUBLISH_TIMEOUT_MS, retryAfterMs, thrownError } from './http-outcome.ts'

const NAME = 'LinkedIn'
/** LinkedIn's 429s rarely say when; its member and app quotas are daily, so wait minutes, not seconds. */
const RATE_LIMIT_FALLBACK_MS = 5 * 60_000

export interface LinkedInPlatformOptions {
  /** How long one publish call may take before its outcome is unknown. @default 15000 */
  publishTimeoutMs?: number
}

/** The public URL of a post (share or ugcPost URN). */
export const linkedInPostUrl = (urn: string) => `https://www.linkedin.com/feed/update/${urn}`

const RESERVED = /[\\|{}@[\]()<>#*_~]/g
/** Links and hashtags pass through as they are: LinkedIn links the one and tags the other. */
const VERBATIM = /(https?:\/\/[^\s<>"]*[^\s<>".,;:!?)\]]|#[\p{L}\p{N}_]+)/u

/**
 * `commentary` is LinkedIn's "little text": `( ) [ ] { } < > @ # * _ ~ | \` are markup, and an
 * unescaped one silently cuts the post short. Escapes them outside links (a `utm_source` must stay a
 * working link) and hashtags (`#word` is little text's hashtag element).
 */
export function toLittleText(text: string): string {
  return text
    .split(VERBATIM)
    .map((part, i) => (i % 2 === 1 ? part : part.replace(RESERVED, '\\$&')))
    .join('')
}

/** Why a LinkedIn answer is not a success, as the publisher acts on it. */
export function linkedInFailure(res: LinkedInResponse, action: string): PublishError {
  const said = linkedInMessage(res.body)
  const options = { status: res.status, platformCode: said ? undefined : String(res.status) }
  if (res.status === 401)
    return new PublishError(
      'needs-reconnect',
      `LinkedIn refused the connection even after renewing its token; connect LinkedIn again${said ? ` (${said})` : ''}`,
      options,
    )
  if (res.status === 429)
    return new PublishError('rate-limited', `LinkedIn asked to slow down (too many requests) for ${action}`, {
      ...options,
      retryAfterMs: retryAfterMs(res.headers, RATE_LIMIT_FALLBACK_MS),
    })
  if (res.status >= 500)
    return new PublishError(
      'unknown',
      `LinkedIn answered with a server error (HTTP ${res.status}) for ${action}; it may or may not have been made`,
      options,
    )
  return new PublishError(
    'rejected',
    action === 'the post'
      ? `LinkedIn refused the post: ${said ?? `HTTP ${res.status}`}`
      : `LinkedIn refused the request for ${action}: ${said ?? `HTTP ${res.status}`}`,
    options,
  )
}

const record = (value: unknown): Record<string, unknown> =>
  value && typeof value === 'object' ? (value as Record<string, unknown>) : {}
const num = (value: unknown) => (typeof value === 'number' && Number.isFinite(value) ? value : undefined)
const elementsOf = (body: unknown) => {
  const elements = record(body).elements
  return Array.isArray(elements) ? elements.map(record) : []
}

/** Registers an image with LinkedIn and uploads its bytes; returns the `urn:li:image:…`. */
async function uploadImage(client: LinkedInClient, owner: string, media: PublishMedia, signal: AbortSignal) {
  const init = await client.request('/rest/images?action=initializeUpload', {
    method: 'POST',
    json: { initializeUploadRequest: { owner } },
    signal,
  })
  if (!init.ok) throw linkedInFailure(init, `uploading ${media.filename}`)
  const value = record(record(init.body).value)
  const uploadUrl = value.uploadUrl
  const image = value.image
  if (typeof uploadUrl !== 'string' || typeof image !== 'string')
    throw new PublishError('rejected', `LinkedIn did not give an upload address for ${media.filename}`)
  const put = await client.request(uploadUrl, {
    method: 'PUT',
    bytes: await media.bytes(),
    contentType: media.mimeType,
    rest: false,
    signal,
  })
  if (!put.ok) throw linkedInFailure(put, `uploading ${media.filename}`)
  return image
}

function postBody(input: PublishInput, images: { id: string; altText?: string }[]) {
  const body: Record<string, unknown> = {
    author: input.target.id,
    commentary: toLittleText(input.text),
    visibility: 'PUBLIC',
    distribution: { feedDistribution: 'MAIN_FEED', targetEntities: [], thirdPartyDistributionChannels: [] },
    lifecycleState: 'PUBLISHED',
    isReshareDisabledByAuthor: false,
  }
  const [first] = images
  if (images.length === 1 && first) body.content = { media: first }
  else if (images.length > 1) body.content = { multiImage: { images } }
  return body
}

async function memberTarget(client: LinkedInClient, signal?: AbortSignal): Promise<SocialTarget> {
  const me = await client.me(signal)
  return { id: `urn:li:person:${me.sub}`, type: 'profile', name: me.name, avatarUrl: me.picture }
}

async function organizationTargets(client: LinkedInClient, signal?: AbortSignal): Promise<SocialTarget[]> {
  const urns = new Set<string>()
  const count = 100
  // Paged; a member administers a handful of pages, so a few pages of ACLs are plenty.
  for (let start = 0; start < 1000; start += count) {
    const res = await client.request(
      `/rest/organizationAcls?q=roleAssignee&role=ADMINISTRATOR&state=APPROVED&start=${start}&count=${count}`,
      { signal },
    )
    if (!res.ok) throw linkedInFailure(res, 'the pages you administer')
    const elements = elementsOf(res.body)
    for (const acl of elements) if (typeof acl.organization === 'string') urns.add(acl.organization)
    if (elements.length < count) break
  }
  const targets: SocialTarget[] = []
  for (const urn of urns) {
    const id = urn.split(':').pop() ?? urn
    const res = await client.request(`/rest/organizations/${encodeURIComponent(id)}`, { signal })
    if (!res.ok) throw linkedInFailure(res, `the page ${urn}`)
    const org = record(res.body)
    const vanity = typeof org.vanityName === 'string' ? org.vanityName : undefined
    targets.push({
      id: urn,
      type: 'organization',
      name: typeof org.localizedName === 'string' ? org.localizedName : urn,
      handle: vanity,
      url: vanity ? `https://www.linkedin.com/company/${vanity}` : undefined,
    })
  }
  return targets
}

/** Only images for now: LinkedIn videos go through a separate multi-part upload this platform does not make. */
function onlyImages(draft: VariantDraft): RuleIssue[] {
  return (draft.media ?? []).flatMap((media, index) =>
    media.mimeType.startsWith('image/')
      ? []
      : [
          {
            rule: 'media-type' as const,
            platform: 'linkedin' as const,
            severity: 'error' as const,
            media: index,
            message: `LinkedIn posts from BizOSaaS take images only for now; attachment ${index + 1} is ${media.mimeType}`,
          },
        ],
  )
}

export function createLinkedInPlatform(options: LinkedInPlatformOptions = {}): SocialPlatform<LinkedInClient> {
  const timeoutMs = options.publishTimeoutMs ?? DEFAULT_PUBLISH_TIMEOUT_MS
  return defineSocialPlatform<LinkedInClient>({
    id: 'linkedin',
    connector: 'linkedin',
    rules: PLATFORM_RULES.linkedin,
    // LinkedIn documents a daily quota per member for creating posts (150 a day) and a larger one per
    // app; 100 a day per account leaves room for retries and for the member's own posting.
    pacing: { perAccount: { points: 100, windowSeconds: 86_400 }, concurrency: 2 },
    settle: 'lookup',
    validate: onlyImages,

    async targets(client, signal) {
      try {
        return [await memberTarget(client, signal), ...(await organizationTargets(client, signal))]
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
        const images: { id: string; altText?: string }[] = []
        for (const media of input.media) {
          if (!media.mimeType.startsWith('image/'))
            throw new PublishError('rejected', `LinkedIn refused the post: ${media.filename} is not an image`)
          const id = await uploadImage(client, input.target.id, media, signal)
          images.push(media.alt ? { id, altText: media.alt } : { id })
        }
        const res = await client.request('/rest/posts', { method: 'POST', json: postBody(input, images), signal })
        if (!res.ok) throw linkedInFailure(res, 'the post')
        const urn = res.headers.get('x-restli-id') ?? res.headers.get('x-linkedin-id') ?? record(res.body).id
        if (typeof urn !== 'string' || !urn)
          throw new PublishError('unknown', 'LinkedIn accepted the post but did not say its id')
        return { postId: urn, url: linkedInPostUrl(urn) }
      } catch (error) {
        throw thrownError(NAME, error, timeoutMs)
      }
    },

    async lookup(client, input) {
      const signal = callSignal(timeoutMs, input.signal)
      const commentary = toLittleText(input.text)
      // A minute of slack: LinkedIn stamps createdAt with its own clock.
      const since = input.claimedAt.getTime() - 60_000
      try {
        const res = await client.request(
          `/rest/posts?q=author&author=${encodeURIComponent(input.target.id)}&count=50&sortBy=LAST_MODIFIED`,
          { signal },
        )
        if (!res.ok) throw linkedInFailure(res, 'the recent posts')
        const found = elementsOf(res.body).find(
          (post) =>
            (post.commentary === commentary || post.commentary === input.text) &&
            (num(post.createdAt) ?? num(post.publishedAt) ?? 0) >= since,
        )
        if (!found || typeof found.id !== 'string') return null
        return { postId: found.id, url: linkedInPostUrl(found.id) }
      } catch (error) {
        throw thrownError(NAME, error, timeoutMs)
      }
    },

    async metrics(client, ref: PublishedRef, target, signal): Promise<PostMetrics> {
      try {
        if (target.type === 'organization') {
          const kind = ref.postId.startsWith('urn:li:ugcPost:') ? 'ugcPosts' : 'shares'
          const res = await client.request(
            `/rest/organizationalEntityShareStatistics?q=organizationalEntity&organizationalEntity=${encodeURIComponent(target.id)}&${kind}=List(${encodeURIComponent(ref.postId)})`,
            { signal },
          )
          if (!res.ok) throw linkedInFailure(res, 'the post statistics')
          const stats = record(elementsOf(res.body)[0]?.totalShareStatistics)
          return {
            impressions: num(stats.impressionCount),
            likes: num(stats.likeCount),
            reposts: num(stats.shareCount),
            replies: num(stats.commentCount),
            clicks: num(stats.clickCount),
          }
        }
        // Members' posts have no share statistics through the API; likes and comments are public.
        const res = await client.request(`/rest/socialActions/${encodeURIComponent(ref.postId)}`, { signal })
        if (!res.ok) throw linkedInFailure(res, 'the post statistics')
        const body = record(res.body)
        const comments = record(body.commentsSummary)
        return {
          likes: num(record(body.likesSummary).totalLikes),
          replies: num(comments.aggregatedTotalComments) ?? num(comments.totalFirstLevelComments),
        }
      } catch (error) {
        throw thrownError(NAME, error, timeoutMs)
      }
    },
  })
}

export const linkedinPlatform = createLinkedInPlatform()
