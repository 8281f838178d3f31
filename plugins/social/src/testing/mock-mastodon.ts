/**
 * The mock Mastodon server, mounted on the mock social core under `/api` (Mastodon's paths are absolute
 * from the instance's origin, so the `mastodon` connector's instance URL is the core's own URL):
 * `GET /api/v1/accounts/verify_credentials`, `POST /api/v1/statuses` (honours `Idempotency-Key`: the
 * same key returns the same status instead of a second one), `GET /api/v1/statuses/:id` with counts,
 * `GET /api/v1/accounts/:id/statuses`, `POST /api/v2/media` (description = alt text) and
 * `GET /api/v1/media/:id`. Bodies are snake_case like Mastodon's; status content is HTML.
 */
import { countChars } from '@bizosaas/contracts/social'
import type { MockPost, MockRouteContext, MockSocialCore } from './mock-core.ts'

export interface MockMastodonAccount {
  id: string
  username: string
  displayName: string
  avatar?: string
}

export interface MockMastodonMedia {
  id: string
  mimeType: string
  size: number
  description?: string
}

export interface MockMastodon {
  account: MockMastodonAccount
  /** The instance URL to connect with (the core's origin). */
  instanceUrl: string
  media: Map<string, MockMastodonMedia>
  /** Status ids by Idempotency-Key. */
  idempotencyKeys: Map<string, string>
}

export const MOCK_MASTODON_ACCOUNT: MockMastodonAccount = Object.freeze({
  id: '109000000000000001',
  username: 'bizosaas',
  displayName: 'BizOSaaS Mock',
  avatar: 'https://files.mastodon.example/accounts/avatars/mock.png',
})

const html = (text: string) =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;')

/** Mastodon's rendering of a status: paragraphs, line breaks, links as anchors. */
function contentOf(text: string): string {
  return text
    .split(/\n{2,}/)
    .map(
      (paragraph) =>
        `<p>${html(paragraph)
          .replace(
            /https?:\/\/[^\s<]+/g,
            // Like Mastodon: the scheme in an invisible span, so the text still holds the whole link.
            (link) => {
              const [, scheme, rest] = /^(https?:\/\/)(.*)$/.exec(link) as RegExpExecArray
              return `<a href="${link}" rel="nofollow noopener" translate="no" target="_blank"><span class="invisible">${scheme}</span><span class="">${rest}</span><span class="invisible"></span></a>`
            },
          )
          .replace(/\n/g, '<br />')}</p>`,
    )
    .join('')
}

const mastodonError = (ctx: MockRouteContext, status: number, error: string) => ctx.json(status, { error })

/** Mounts the mock Mastodon on `core` (under `/api`). */
export function mountMockMastodon(core: MockSocialCore, options: { account?: MockMastodonAccount } = {}): MockMastodon {
  const account = options.account ?? MOCK_MASTODON_ACCOUNT
  const media = new Map<string, MockMastodonMedia>()
  const idempotencyKeys = new Map<string, string>()
  const mock: MockMastodon = {
    account,
    get instanceUrl() {
      return core.url
    },
    media,
    idempotencyKeys,
  }

  const accountJson = () => ({
    id: account.id,
    username: account.username,
    acct: account.username,
    display_name: account.displayName,
    url: `${core.url}/@${account.username}`,
    avatar: account.avatar ?? '',
    avatar_static: account.avatar ?? '',
    locked: false,
    bot: false,
    created_at: '2024-01-01T00:00:00.000Z',
    note: '',
    followers_count: 42,
    following_count: 7,
    statuses_count: core.posts.filter((p) => p.platform === 'mastodon').length,
  })

  const statusJson = (post: MockPost) => ({
    id: post.id,
    created_at: new Date(post.createdAt).toISOString(),
    in_reply_to_id: post.replyTo ?? null,
    in_reply_to_account_id: post.replyTo ? account.id : null,
    sensitive: false,
    spoiler_text: '',
    visibility: 'public',
    language: 'en',
    uri: `${core.url}/users/${account.username}/statuses/${post.id}`,
    url: `${core.url}/@${account.username}/${post.id}`,
    replies_count: post.metrics.replies,
    reblogs_count: post.metrics.reposts,
    favourites_count: post.metrics.likes,
    content: contentOf(post.text),
    account: accountJson(),
    media_attachments: post.media.map((id) => mediaJson(media.get(id) as MockMastodonMedia)),
    mentions: [],
    tags: [],
    emojis: [],
  })

  const mediaJson = (m: MockMastodonMedia) => ({
    id: m.id,
    type: 'image',
    url: `${core.url}/system/media_attachments/${m.id}/original.png`,
    preview_url: `${core.url}/system/media_attachments/${m.id}/small.png`,
    description: m.description ?? null,
    blurhash: 'UeKUpFxuo~R%0nW;WCnhF6RjaJt757oJodS$',
  })

  core.mount('mastodon', '/api', async (ctx) => {
    const { req, path, url } = ctx
    const method = req.method ?? 'GET'
    if (!(await core.acceptsToken(ctx.token))) {
      ctx.kind(method === 'GET' ? 'read' : 'other')
      mastodonError(ctx, 401, 'The access token is invalid')
      return true
    }

    if (method === 'GET' && path === '/v1/accounts/verify_credentials') {
      ctx.kind('read')
      ctx.json(200, accountJson())
      return true
    }

    if (method === 'POST' && path === '/v1/statuses') {
      const key = String(req.headers['idempotency-key'] ?? '')
      const earlier = key ? idempotencyKeys.get(key) : undefined
      const earlierPost = earlier ? core.findPost('mastodon', earlier) : undefined
      if (earlierPost) {
        // The same key: Mastodon answers with the status it made the first time.
        ctx.kind('read')
        ctx.json(200, statusJson(earlierPost))
        return true
      }
      ctx.kind('create')
      const body = (ctx.body ?? {}) as { status?: string; media_ids?: string[]; in_reply_to_id?: string }
      const fail = (status: number, error: string) => {
        ctx.kind('other')
        mastodonError(ctx, status, error)
        return true
      }
      const text = body.status ?? ''
      const mediaIds = body.media_ids ?? []
      if (!text.trim() && !mediaIds.length) return fail(422, "Validation failed: Text can't be blank")
      if (countChars(text, 'mastodon') > 500)
        return fail(422, 'Validation failed: Text character limit of 500 exceeded')
      if (mediaIds.length > 4) return fail(422, 'Validation failed: Cannot attach more than 4 files')
      for (const id of mediaIds) if (!media.has(id)) return fail(422, `Validation failed: Media ${id} does not exist`)
      if (body.in_reply_to_id && !core.findPost('mastodon', body.in_reply_to_id)) return fail(404, 'Record not found')
      const post = core.addPost({
        platform: 'mastodon',
        id: String(110_000_000_000_000_000n + BigInt(core.posts.length + 1)),
        author: account.id,
        text,
        replyTo: body.in_reply_to_id,
        media: mediaIds,
        idempotencyKey: key || undefined,
      })
      if (key) idempotencyKeys.set(key, post.id)
      ctx.json(200, statusJson(post))
      return true
    }

    const status = /^\/v1\/statuses\/([^/]+)$/.exec(path)
    if (method === 'GET' && status) {
      ctx.kind('read')
      const post = core.findPost('mastodon', status[1] as string)
      if (!post) mastodonError(ctx, 404, 'Record not found')
      else ctx.json(200, statusJson(post))
      return true
    }

    const statuses = /^\/v1\/accounts\/([^/]+)\/statuses$/.exec(path)
    if (method === 'GET' && statuses) {
      ctx.kind('read')
      const limit = Math.min(40, Number(url.searchParams.get('limit') ?? 20))
      const list = core.posts
        .filter((p) => p.platform === 'mastodon' && p.author === statuses[1])
        .sort((a, b) => b.createdAt - a.createdAt || b.id.localeCompare(a.id))
        .slice(0, limit)
      ctx.json(200, list.map(statusJson))
      return true
    }

    if (method === 'POST' && path === '/v2/media') {
      ctx.kind('upload')
      const form = await new Request('http://mock/', {
        method: 'POST',
        headers: { 'content-type': String(req.headers['content-type'] ?? '') },
        body: new Uint8Array(ctx.rawBody),
      })
        .formData()
        .catch(() => undefined)
      const file = form?.get('file')
      if (!(file instanceof Blob)) {
        mastodonError(ctx, 422, 'Validation failed: File is missing')
        return true
      }
      if (!/^image\/(jpeg|png|gif|webp)$/.test(file.type)) {
        mastodonError(ctx, 422, `Validation failed: File content type ${file.type} is not supported`)
        return true
      }
      const description = form?.get('description')
      if (typeof description === 'string' && description.length > 1500) {
        mastodonError(ctx, 422, 'Validation failed: Description is too long (maximum is 1500 characters)')
        return true
      }
      const id = String(111_000_000_000_000_000n + BigInt(media.size + 1))
      const entry = {
        id,
        mimeType: file.type,
        size: file.size,
        description: typeof description === 'string' ? description : undefined,
      }
      media.set(id, entry)
      ctx.json(200, mediaJson(entry))
      return true
    }

    const mediaGet = /^\/v1\/media\/([^/]+)$/.exec(path)
    if (method === 'GET' && mediaGet) {
      ctx.kind('read')
      const entry = media.get(mediaGet[1] as string)
      if (!entry) mastodonError(ctx, 404, 'Record not found')
      else ctx.json(200, mediaJson(entry))
      return true
    }

    return false
  })
  return mock
}
