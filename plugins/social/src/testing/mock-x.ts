/**
 * The mock X API v2, mounted on the mock social core under `/x` (the `x` connector's `api` URL): the
 * parts the X platform uses — `GET /2/users/me`, `POST /2/tweets` (text, media, replies; duplicate text
 * refused like X does), `GET /2/users/:id/tweets` (the account's timeline, `start_time`), `GET /2/tweets?ids=`
 * (public and non-public metrics), and the v2 media upload (initialize / append / finalize, metadata for
 * alt text). Returned texts have links shortened to t.co like X, with the originals in `entities.urls`.
 */
import { createHash, randomBytes } from 'node:crypto'
import { countChars } from '@bizosaas/contracts/social'
import type { MockPost, MockRouteContext, MockSocialCore } from './mock-core.ts'

export interface MockXAccount {
  id: string
  username: string
  name: string
  profileImageUrl?: string
}

export interface MockXMedia {
  id: string
  mimeType: string
  totalBytes: number
  /** Bytes received so far (appends). */
  received: number
  category?: string
  finalized: boolean
  alt?: string
}

export interface MockX {
  account: MockXAccount
  /** Uploaded media by id. */
  media: Map<string, MockXMedia>
}

export const MOCK_X_ACCOUNT: MockXAccount = Object.freeze({
  id: '1790000000000000001',
  username: 'bizosaas_mock',
  name: 'BizOSaaS Mock',
  profileImageUrl: 'https://pbs.twimg.example/profile_images/mock_normal.png',
})

const URL_PATTERN = /https?:\/\/[^\s]+/g

/** What X stores on top of the core's post: when, and the reply it is. */
const shortLink = (url: string) => `https://t.co/${createHash('sha256').update(url).digest('base64url').slice(0, 10)}`

/** A tweet as X v2 returns it: t.co links with entities, `&`, `<`, `>` escaped. */
function tweetOf(post: MockPost, fields: Set<string>, own: boolean) {
  const urls: { start: number; end: number; url: string; expanded_url: string; display_url: string }[] = []
  let text = ''
  let last = 0
  for (const match of post.text.matchAll(URL_PATTERN)) {
    text += escapeText(post.text.slice(last, match.index))
    const short = shortLink(match[0])
    urls.push({
      start: [...text].length,
      end: [...text].length + short.length,
      url: short,
      expanded_url: match[0],
      display_url: match[0].replace(/^https?:\/\//, '').slice(0, 25),
    })
    text += short
    last = (match.index ?? 0) + match[0].length
  }
  text += escapeText(post.text.slice(last))
  const tweet: Record<string, unknown> = { id: post.id, text, edit_history_tweet_ids: [post.id] }
  if (fields.has('created_at')) tweet.created_at = new Date(post.createdAt).toISOString()
  if (fields.has('entities') && urls.length) tweet.entities = { urls }
  if (fields.has('referenced_tweets') && post.replyTo)
    tweet.referenced_tweets = [{ type: 'replied_to', id: post.replyTo }]
  if (fields.has('conversation_id')) tweet.conversation_id = post.id
  if (fields.has('author_id')) tweet.author_id = post.author
  const m = post.metrics
  if (fields.has('public_metrics'))
    // Two of the reposts are quotes, so retweets + quotes is the core's `reposts`.
    tweet.public_metrics = {
      retweet_count: Math.max(0, m.reposts - 2),
      quote_count: Math.min(2, m.reposts),
      reply_count: m.replies,
      like_count: m.likes,
      bookmark_count: 0,
      impression_count: m.impressions,
    }
  if (fields.has('non_public_metrics') && own)
    tweet.non_public_metrics = { impression_count: m.impressions, url_link_clicks: m.clicks, user_profile_clicks: 4 }
  return tweet
}

const escapeText = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')

const problem = (ctx: MockRouteContext, status: number, title: string, detail: string) =>
  ctx.json(status, { title, detail, type: 'about:blank', status })

/** Mounts the mock X API on `core` (under `/x`). */
export function mountMockX(core: MockSocialCore, options: { account?: MockXAccount } = {}): MockX {
  const account = options.account ?? MOCK_X_ACCOUNT
  const media = new Map<string, MockXMedia>()
  const mock: MockX = { account, media }

  core.mount('x', '/x', async (ctx) => {
    const { req, path, url } = ctx
    const method = req.method ?? 'GET'
    if (!(await core.acceptsToken(ctx.token))) {
      ctx.kind(method === 'GET' ? 'read' : 'other')
      problem(ctx, 401, 'Unauthorized', 'Unauthorized')
      return true
    }

    if (method === 'GET' && path === '/2/users/me') {
      ctx.kind('read')
      const fields = new Set((url.searchParams.get('user.fields') ?? '').split(','))
      ctx.json(200, {
        data: {
          id: account.id,
          name: account.name,
          username: account.username,
          ...(fields.has('profile_image_url') && account.profileImageUrl
            ? { profile_image_url: account.profileImageUrl }
            : {}),
        },
      })
      return true
    }

    if (method === 'POST' && path === '/2/tweets') {
      ctx.kind('create')
      const body = (ctx.body ?? {}) as {
        text?: string
        media?: { media_ids?: string[] }
        reply?: { in_reply_to_tweet_id?: string }
      }
      const text = body.text ?? ''
      const mediaIds = body.media?.media_ids ?? []
      if (!text.trim() && !mediaIds.length) {
        ctx.kind('other')
        problem(ctx, 400, 'Invalid Request', 'One or more parameters to your request was invalid: text is empty.')
        return true
      }
      if (countChars(text, 'x') > 280) {
        ctx.kind('other')
        problem(ctx, 403, 'Forbidden', 'Your Tweet text is too long.')
        return true
      }
      for (const id of mediaIds)
        if (!media.get(id)?.finalized) {
          ctx.kind('other')
          problem(ctx, 400, 'Invalid Request', `Your media IDs are invalid: ${id}.`)
          return true
        }
      const replyTo = body.reply?.in_reply_to_tweet_id
      if (replyTo && !core.findPost('x', replyTo)) {
        ctx.kind('other')
        problem(ctx, 400, 'Invalid Request', 'The Tweet you are replying to has been deleted or is not visible to you.')
        return true
      }
      // X refuses the same text from the same account again (a day's window, here: ever).
      if (core.posts.some((p) => p.platform === 'x' && p.author === account.id && p.text === text && text)) {
        ctx.kind('other')
        problem(ctx, 403, 'Forbidden', 'You are not allowed to create a Tweet with duplicate content.')
        return true
      }
      const post = core.addPost({
        platform: 'x',
        id: String(1_800_000_000_000_000_000n + BigInt(core.posts.length + 1) * 7919n),
        author: account.id,
        text,
        replyTo,
        media: mediaIds,
      })
      const tweet = tweetOf(post, new Set(), true)
      ctx.json(201, { data: { id: tweet.id, text: tweet.text, edit_history_tweet_ids: tweet.edit_history_tweet_ids } })
      return true
    }

    const timeline = /^\/2\/users\/([^/]+)\/tweets$/.exec(path)
    if (method === 'GET' && timeline) {
      ctx.kind('read')
      const fields = new Set((url.searchParams.get('tweet.fields') ?? '').split(','))
      const since = Date.parse(url.searchParams.get('start_time') ?? '') || 0
      const max = Math.min(100, Number(url.searchParams.get('max_results') ?? 10))
      const tweets = core.posts
        .filter((p) => p.platform === 'x' && p.author === timeline[1] && p.createdAt >= since)
        .sort((a, b) => b.createdAt - a.createdAt || b.id.localeCompare(a.id))
        .slice(0, max)
        .map((p) => tweetOf(p, fields, p.author === account.id))
      ctx.json(
        200,
        tweets.length
          ? {
              data: tweets,
              meta: { result_count: tweets.length, newest_id: tweets[0]?.id, oldest_id: tweets.at(-1)?.id },
            }
          : { meta: { result_count: 0 } },
      )
      return true
    }

    if (method === 'GET' && path === '/2/tweets') {
      ctx.kind('read')
      const fields = new Set((url.searchParams.get('tweet.fields') ?? '').split(','))
      const ids = (url.searchParams.get('ids') ?? '').split(',').filter(Boolean)
      const found = ids.map((id) => core.findPost('x', id))
      const data = found
        .filter((p): p is MockPost => Boolean(p))
        .map((p) => tweetOf(p, fields, p.author === account.id))
      const errors = ids
        .filter((_, i) => !found[i])
        .map((id) => ({
          value: id,
          detail: `Could not find tweet with ids: [${id}].`,
          title: 'Not Found Error',
          resource_type: 'tweet',
          parameter: 'ids',
          resource_id: id,
          type: 'https://api.twitter.com/2/problems/resource-not-found',
        }))
      ctx.json(200, { ...(data.length ? { data } : {}), ...(errors.length ? { errors } : {}) })
      return true
    }

    if (method === 'POST' && path === '/2/media/upload/initialize') {
      ctx.kind('upload')
      const body = (ctx.body ?? {}) as { media_type?: string; total_bytes?: number; media_category?: string }
      if (!body.media_type || !body.total_bytes) {
        problem(ctx, 400, 'Invalid Request', 'media_type and total_bytes are required.')
        return true
      }
      if (!/^(image\/(jpeg|png|gif|webp)|video\/mp4)$/.test(body.media_type)) {
        problem(ctx, 400, 'Invalid Request', `Unsupported media type ${body.media_type}.`)
        return true
      }
      const id = String(1_900_000_000_000_000_000n + BigInt(media.size + 1))
      media.set(id, {
        id,
        mimeType: body.media_type,
        totalBytes: body.total_bytes,
        received: 0,
        category: body.media_category,
        finalized: false,
      })
      ctx.json(200, { data: { id, media_key: `3_${id}`, expires_after_secs: 86400 } })
      return true
    }

    const append = /^\/2\/media\/upload\/([^/]+)\/(append|finalize)$/.exec(path)
    if (method === 'POST' && append) {
      ctx.kind('upload')
      const entry = media.get(append[1] as string)
      if (!entry) {
        problem(ctx, 400, 'Invalid Request', 'Invalid media id.')
        return true
      }
      if (append[2] === 'append') {
        const chunk = multipartField(ctx.rawBody, String(req.headers['content-type'] ?? ''), 'media')
        entry.received += chunk?.length ?? 0
        ctx.json(200, { data: { expires_at: Date.now() + 86_400_000 } })
        return true
      }
      if (entry.received !== entry.totalBytes) {
        problem(ctx, 400, 'Invalid Request', `Expected ${entry.totalBytes} bytes, received ${entry.received}.`)
        return true
      }
      entry.finalized = true
      ctx.json(200, {
        data: { id: entry.id, media_key: `3_${entry.id}`, size: entry.totalBytes, expires_after_secs: 86400 },
      })
      return true
    }

    if (method === 'POST' && path === '/2/media/metadata') {
      ctx.kind('upload')
      const body = (ctx.body ?? {}) as { id?: string; metadata?: { alt_text?: { text?: string } } }
      const entry = body.id ? media.get(body.id) : undefined
      if (!entry) {
        problem(ctx, 400, 'Invalid Request', 'Invalid media id.')
        return true
      }
      const alt = body.metadata?.alt_text?.text
      if (alt && alt.length > 1000) {
        problem(ctx, 400, 'Invalid Request', 'Alt text is longer than 1000 characters.')
        return true
      }
      entry.alt = alt
      ctx.json(200, { data: { id: entry.id, associated_metadata: { alt_text: { text: alt } } } })
      return true
    }

    return false
  })
  return mock
}

/**
 * One field of a multipart body, as bytes. (The SDK sends the media chunk without a filename, which
 * `Request.formData()` would decode as text and so mangle.)
 */
function multipartField(raw: Buffer, contentType: string, name: string): Buffer | undefined {
  const boundary = /boundary=(?:"([^"]+)"|([^;]+))/.exec(contentType)
  const delimiter = Buffer.from(`--${boundary?.[1] ?? boundary?.[2] ?? ''}`)
  if (!boundary) return undefined
  let at = raw.indexOf(delimiter)
  while (at >= 0) {
    const start = at + delimiter.length + 2 // past the delimiter and its CRLF
    const next = raw.indexOf(delimiter, start)
    if (next < 0) break
    const part = raw.subarray(start, next - 2) // without the CRLF before the next delimiter
    const split = part.indexOf('\r\n\r\n')
    const head = part.subarray(0, split).toString('utf8')
    if (new RegExp(`name="${name}"`).test(head)) return part.subarray(split + 4)
    at = next
  }
  return undefined
}

/** A random id that looks like X's (tests asking for a post that does not exist). */
export const unknownTweetId = () => String(BigInt(`0x${randomBytes(7).toString('hex')}`))
