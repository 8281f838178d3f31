/**
 * A mock of the Graph API calls the `facebook` and `instagram` platforms make, mounted on the mock social
 * core twice over one shared state: `/graph` logs as `facebook`, `/graph-ig` as `instagram` (the
 * `facebook` connector's `instagram` URL points there), so tests count each platform's creates apart.
 * It issues Page access tokens for its Pages, keeps unpublished photos and Instagram media containers,
 * checks what Graph checks (tokens, the Page token for Page posts, a JPEG for Instagram, a container
 * published once) and answers in Graph's shapes, errors included (`{ error: { message, type, code } }`).
 */
import { randomBytes } from 'node:crypto'
import type { SocialPlatformId } from '@bizosaas/contracts/social'
import type { MockClassify, MockPost, MockRequestKind, MockRouteContext, MockSocialCore } from './mock-core.ts'

export interface MockGraphPage {
  id: string
  name: string
  /** The Instagram business account linked to the Page, if any. */
  instagram?: { id: string; username: string }
}

export interface MockGraphOptions {
  user?: { id: string; name: string }
  pages?: MockGraphPage[]
  /** Status checks a new Instagram container answers `IN_PROGRESS` to before `FINISHED` (Instagram fetching the image). @default 0 */
  processingChecks?: number
  /** @default '/graph' */
  facebookPrefix?: string
  /** @default '/graph-ig' */
  instagramPrefix?: string
}

/** A Graph error to answer the next matching requests with (a throttle, a policy refusal …). */
export interface MockGraphError {
  code: number
  message: string
  type?: string
  error_subcode?: number
  error_user_msg?: string
  /** @default 400 */
  status?: number
  /** Only requests of this kind. */
  kind?: MockRequestKind
  /** Minutes in `x-business-use-case-usage`'s `estimated_time_to_regain_access`. */
  regainAccessMinutes?: number
  /** @default 1 */
  times?: number
}

export interface MockGraph {
  /** Base URL for the connector's `graph` (logged as facebook). */
  readonly facebookUrl: string
  /** Base URL for the connector's `instagram` (logged as instagram). */
  readonly instagramUrl: string
  readonly user: { id: string; name: string }
  readonly pages: readonly MockGraphPage[]
  /** Page tokens issued so far (a test may check none is stored). */
  readonly pageTokens: ReadonlyMap<string, { page: string; userToken: string }>
  /** Answers the next matching requests of `platform` with a Graph error. */
  failNext(platform: 'facebook' | 'instagram', error: MockGraphError): void
  /** Sets how many status checks new containers stay `IN_PROGRESS` (`ERROR` forever with `'error'`). */
  processContainers(checks: number | 'error'): void
}

const record = (value: unknown): Record<string, unknown> =>
  value && typeof value === 'object' && !(value instanceof Buffer) ? (value as Record<string, unknown>) : {}

const graphTime = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, '+0000')

const classify: MockClassify = ({ method, path, body }) => {
  if (path.startsWith('/oauth')) return 'auth'
  if (method === 'DELETE' && path === '/me/permissions') return 'auth'
  if (method !== 'POST') return 'read'
  if (path.endsWith('/media_publish') || path.endsWith('/feed')) return 'create'
  if (path.endsWith('/photos')) return String(record(body).published) === 'false' ? 'upload' : 'create'
  // Instagram containers: nothing is visible until media_publish.
  return 'other'
}

function graphError(ctx: MockRouteContext, status: number, error: Record<string, unknown>) {
  ctx.json(status, { error: { type: 'OAuthException', fbtrace_id: randomBytes(6).toString('hex'), ...error } })
}

/** Mounts the Graph mock (Facebook under `/graph`, Instagram under `/graph-ig`) on `core`. */
export function mountMockGraph(core: MockSocialCore, options: MockGraphOptions = {}): MockGraph {
  const user = options.user ?? { id: '900100', name: 'Ana Lopez' }
  const pages = options.pages ?? [
    { id: '5001', name: 'Bizoholic', instagram: { id: '17841400000000001', username: 'bizoholic' } },
    { id: '5002', name: 'Bizoholic Labs' },
  ]
  const fbPrefix = options.facebookPrefix ?? '/graph'
  const igPrefix = options.instagramPrefix ?? '/graph-ig'
  const pageTokens = new Map<string, { page: string; userToken: string }>()
  const photos = new Map<string, { page: string; url: string; alt?: string; attached: boolean }>()
  const containers = new Map<
    string,
    {
      user: string
      imageUrl?: string
      caption?: string
      alt?: string
      children?: string[]
      carouselItem: boolean
      published: boolean
      /** Status checks left before it is FINISHED; -1: it failed processing. */
      pending: number
    }
  >()
  const pendingErrors = new Map<SocialPlatformId, MockGraphError[]>()
  /** Person tokens whose grant was deleted (`DELETE /me/permissions`), and the Page tokens derived from them. */
  const revoked = new Set<string>()
  let processing: number | 'error' = options.processingChecks ?? 0
  const pendingChecks = () => (processing === 'error' ? -1 : processing)
  let sequence = 0
  const nextId = () => {
    sequence += 1
    return String(10_000_000 + sequence)
  }
  const igAccounts = () => pages.flatMap((p) => (p.instagram ? [p.instagram] : []))

  const takeError = (platform: SocialPlatformId, kind: MockRequestKind) => {
    const list = pendingErrors.get(platform) ?? []
    const index = list.findIndex((e) => !e.kind || e.kind === kind)
    if (index < 0) return undefined
    const error = list[index] as MockGraphError
    if ((error.times ?? 1) <= 1) list.splice(index, 1)
    else list[index] = { ...error, times: (error.times ?? 1) - 1 }
    return error
  }

  /** The user token, or the Page a Page token belongs to; `undefined` when Graph would refuse it. */
  async function who(ctx: MockRouteContext): Promise<{ page?: string; userToken: string } | undefined> {
    const token = ctx.token ?? ctx.url.searchParams.get('access_token') ?? String(record(ctx.body).access_token ?? '')
    const page = pageTokens.get(token)
    if (page) return !revoked.has(page.userToken) && (await core.acceptsToken(page.userToken)) ? page : undefined
    return !revoked.has(token) && (await core.acceptsToken(token)) ? { userToken: token } : undefined
  }

  const fieldsOf = (ctx: MockRouteContext) => String(ctx.url.searchParams.get('fields') ?? '')

  function insights(ctx: MockRouteContext, post: MockPost, names: string[]) {
    const m = post.metrics
    const values: Record<string, number> = {
      post_impressions: m.impressions,
      post_clicks: m.clicks,
      impressions: m.impressions,
      reach: Math.round(m.impressions * 0.7),
      likes: m.likes,
      comments: m.replies,
      shares: m.reposts,
    }
    const unknown = names.find((n) => !(n in values))
    if (unknown)
      return graphError(ctx, 400, {
        message: `(#100) The value must be a valid insights metric: ${unknown}`,
        code: 100,
      })
    ctx.json(200, {
      data: names.map((name) => ({
        name,
        period: 'lifetime',
        values: [{ value: values[name] }],
        title: name,
        id: `${post.id}/insights/${name}/lifetime`,
      })),
    })
  }

  const route = (platform: 'facebook' | 'instagram') => async (ctx: MockRouteContext) => {
    const { path, url } = ctx
    const method = ctx.req.method ?? 'GET'
    const kind = classify({ method, path, query: url.searchParams, body: ctx.body })
    ctx.kind(kind)
    const pending = takeError(platform, kind)
    if (pending) {
      const headers: Record<string, string> = pending.regainAccessMinutes
        ? {
            'x-business-use-case-usage': JSON.stringify({
              [pages[0]?.id ?? '0']: [
                {
                  type: 'pages',
                  call_count: 100,
                  total_cputime: 40,
                  total_time: 40,
                  estimated_time_to_regain_access: pending.regainAccessMinutes,
                },
              ],
            }),
          }
        : {}
      ctx.json(
        pending.status ?? 400,
        {
          error: {
            message: pending.message,
            type: pending.type ?? 'OAuthException',
            code: pending.code,
            error_subcode: pending.error_subcode,
            error_user_msg: pending.error_user_msg,
          },
        },
        headers,
      )
      return true
    }
    const auth = await who(ctx)
    if (!auth) {
      // Graph answers an expired or revoked token with code 190.
      graphError(ctx, 401, {
        message: 'Error validating access token: The session has been invalidated.',
        code: 190,
        error_subcode: 460,
      })
      return true
    }
    const params = { ...Object.fromEntries(url.searchParams), ...record(ctx.body) } as Record<string, string>
    const segments = path.split('/').filter(Boolean)

    if (method === 'GET' && path === '/me') {
      ctx.json(200, { id: user.id, name: user.name })
      return true
    }
    if (method === 'DELETE' && path === '/me/permissions') {
      ctx.kind('auth')
      revoked.add(auth.userToken)
      ctx.json(200, { success: true })
      return true
    }
    if (method === 'GET' && path === '/me/accounts') {
      if (auth.page) {
        graphError(ctx, 400, {
          message: '(#100) Tried accessing nonexisting field (accounts) on node type (Page)',
          code: 100,
        })
        return true
      }
      const fields = fieldsOf(ctx)
      const data = pages.map((page) => {
        const item: Record<string, unknown> = { id: page.id, name: page.name }
        if (fields.includes('access_token')) {
          const token = `mock-page-${page.id}-${randomBytes(8).toString('hex')}`
          pageTokens.set(token, { page: page.id, userToken: auth.userToken })
          item.access_token = token
        }
        if (fields.includes('picture'))
          item.picture = { data: { url: `https://scontent.example/${page.id}.jpg`, is_silhouette: false } }
        if (fields.includes('instagram_business_account') && page.instagram)
          item.instagram_business_account = {
            id: page.instagram.id,
            username: page.instagram.username,
            profile_picture_url: `https://scontent.example/ig-${page.instagram.id}.jpg`,
          }
        return item
      })
      ctx.json(200, { data, paging: { cursors: { before: 'QVFIUmJ', after: 'QVFIUmZA' } } })
      return true
    }

    const [nodeId, edge] = segments as [string, string | undefined]
    const page = pages.find((p) => p.id === nodeId)
    const ig = igAccounts().find((a) => a.id === nodeId)

    // Facebook Page edges: they need that Page's token.
    if (page && edge && ['feed', 'photos', 'published_posts'].includes(edge)) {
      if (auth.page !== page.id) {
        graphError(ctx, 403, {
          message:
            '(#200) If posting to a page, requires both pages_read_engagement and pages_manage_posts as an admin with sufficient administrative permission',
          code: 200,
        })
        return true
      }
      if (method === 'POST' && edge === 'photos') {
        if (!params.url) {
          graphError(ctx, 400, { message: '(#324) Requires upload file', code: 324 })
          return true
        }
        const photoId = nextId()
        if (params.published === 'false') {
          photos.set(photoId, { page: page.id, url: params.url, alt: params.alt_text_custom, attached: false })
          ctx.json(200, { id: photoId })
          return true
        }
        const post = core.addPost({
          platform,
          id: `${page.id}_${nextId()}`,
          author: page.id,
          text: params.caption ?? '',
          media: [params.url],
        })
        ctx.json(200, { id: photoId, post_id: post.id })
        return true
      }
      if (method === 'POST' && edge === 'feed') {
        let attached: { media_fbid: string }[] = []
        try {
          attached = params.attached_media ? JSON.parse(params.attached_media) : []
        } catch {
          graphError(ctx, 400, { message: '(#100) param attached_media must be an array', code: 100 })
          return true
        }
        if (!params.message && !params.link && attached.length === 0) {
          graphError(ctx, 400, {
            message: '(#100) Missing message or attachment',
            code: 100,
            error_user_msg: 'The post is empty: add text, a link or a photo.',
          })
          return true
        }
        for (const { media_fbid } of attached) {
          const photo = photos.get(media_fbid)
          if (!photo || photo.page !== page.id || photo.attached) {
            graphError(ctx, 400, { message: `(#100) Invalid media_fbid ${media_fbid}`, code: 100 })
            return true
          }
        }
        for (const { media_fbid } of attached) (photos.get(media_fbid) as { attached: boolean }).attached = true
        const post = core.addPost({
          platform,
          id: `${page.id}_${nextId()}`,
          author: page.id,
          text: params.message ?? '',
          media: [
            ...attached.map(({ media_fbid }) => photos.get(media_fbid)?.url ?? media_fbid),
            ...(params.link ? [params.link] : []),
          ],
        })
        ctx.json(200, { id: post.id })
        return true
      }
      if (method === 'GET' && edge === 'published_posts') {
        const since = Number(params.since ?? 0) * 1000
        const data = core.posts
          .filter((p) => p.author === page.id && p.createdAt >= since)
          .sort((a, b) => b.createdAt - a.createdAt)
          .map((p) => ({ id: p.id, message: p.text || undefined, created_time: graphTime(p.createdAt) }))
        ctx.json(200, { data, paging: { cursors: { before: 'b', after: 'a' } } })
        return true
      }
    }

    // Instagram user edges (the person's token, as Instagram API with Facebook Login uses).
    if (ig && edge === 'media' && method === 'POST') {
      const carouselItem = params.is_carousel_item === 'true'
      if (params.media_type === 'CAROUSEL') {
        const children = (params.children ?? '').split(',').filter(Boolean)
        const bad = children.find((c) => !containers.get(c)?.carouselItem || containers.get(c)?.user !== ig.id)
        if (children.length < 2 || children.length > 10 || bad) {
          graphError(ctx, 400, {
            message: '(#100) The carousel needs 2 to 10 children created with is_carousel_item',
            code: 100,
          })
          return true
        }
        const id = nextId()
        containers.set(id, {
          user: ig.id,
          caption: params.caption,
          children,
          carouselItem: false,
          published: false,
          pending: pendingChecks(),
        })
        ctx.json(200, { id })
        return true
      }
      const imageUrl = params.image_url ?? ''
      // Instagram takes JPEG only; a URL it cannot fetch as one fails here.
      if (!/^https?:\/\/.+\.jpe?g(\?.*)?$/i.test(imageUrl)) {
        graphError(ctx, 400, {
          message: 'Only photo or video can be accepted as media type.',
          code: 9004,
          error_subcode: 2207052,
          error_user_title: 'Media download has failed.',
          error_user_msg: `The media could not be fetched from this uri: ${imageUrl || '(none)'}. Instagram takes JPEG images at a public address.`,
        })
        return true
      }
      if ([...(params.caption ?? '')].length > 2200) {
        graphError(ctx, 400, { message: '(#100) The caption is too long (more than 2200 characters)', code: 100 })
        return true
      }
      const id = nextId()
      containers.set(id, {
        user: ig.id,
        imageUrl,
        caption: params.caption,
        alt: params.alt_text,
        carouselItem,
        published: false,
        pending: pendingChecks(),
      })
      ctx.json(200, { id })
      return true
    }
    if (ig && edge === 'media_publish' && method === 'POST') {
      const container = containers.get(params.creation_id ?? '')
      if (!container || container.user !== ig.id || container.carouselItem) {
        graphError(ctx, 400, { message: '(#100) Invalid creation_id', code: 100 })
        return true
      }
      if (container.pending !== 0) {
        graphError(ctx, 400, {
          message: 'Media ID is not available',
          code: 9007,
          error_subcode: 2207027,
          error_user_msg: 'The media is not ready for publishing, please wait for a moment',
        })
        return true
      }
      if (container.published) {
        graphError(ctx, 400, {
          message: 'Media ID is not available',
          code: 9007,
          error_subcode: 2207027,
          error_user_msg: 'The media has already been published.',
        })
        return true
      }
      container.published = true
      const media = container.children
        ? container.children.map((c) => `${containers.get(c)?.imageUrl}|alt:${containers.get(c)?.alt ?? ''}`)
        : [`${container.imageUrl}|alt:${container.alt ?? ''}`]
      const post = core.addPost({ platform, id: nextId(), author: ig.id, text: container.caption ?? '', media })
      ctx.json(200, { id: post.id })
      return true
    }
    if (ig && edge === 'media' && method === 'GET') {
      const data = core.posts
        .filter((p) => p.author === ig.id)
        .sort((a, b) => b.createdAt - a.createdAt)
        .map((p) => ({
          id: p.id,
          caption: p.text,
          timestamp: graphTime(p.createdAt),
          permalink: `https://www.instagram.com/p/${p.id}/`,
        }))
      ctx.json(200, { data, paging: { cursors: { before: 'b', after: 'a' } } })
      return true
    }

    // Nodes: containers, posts, media.
    const container = containers.get(nodeId)
    if (method === 'GET' && container && !edge) {
      let status = container.published ? 'PUBLISHED' : 'FINISHED'
      if (container.pending < 0) status = 'ERROR'
      else if (container.pending > 0) {
        container.pending -= 1
        status = 'IN_PROGRESS'
      }
      ctx.json(200, { id: nodeId, status_code: status })
      return true
    }
    const post = core.posts.find((p) => p.id === nodeId && (p.platform === 'facebook' || p.platform === 'instagram'))
    if (method === 'GET' && post && edge === 'insights') {
      insights(
        ctx,
        post,
        String(params.metric ?? '')
          .split(',')
          .filter(Boolean),
      )
      return true
    }
    if (method === 'GET' && post && !edge) {
      const fields = fieldsOf(ctx)
      const body: Record<string, unknown> = { id: post.id }
      if (fields.includes('permalink')) body.permalink = `https://www.instagram.com/p/${post.id}/`
      if (fields.includes('reactions'))
        body.reactions = { data: [], summary: { total_count: post.metrics.likes, viewer_reaction: 'NONE' } }
      if (fields.includes('shares')) body.shares = { count: post.metrics.reposts }
      if (fields.includes('comments'))
        body.comments = { data: [], summary: { order: 'ranked', total_count: post.metrics.replies, can_comment: true } }
      ctx.json(200, body)
      return true
    }
    if (nodeId && !page && !ig && !post && !container) {
      graphError(ctx, 400, {
        message: `(#803) Some of the aliases you requested do not exist: ${nodeId}`,
        code: 803,
      })
      return true
    }
    return false
  }

  core.mount('facebook', fbPrefix, route('facebook'), classify)
  core.mount('instagram', igPrefix, route('instagram'), classify)

  return {
    get facebookUrl() {
      return `${core.url}${fbPrefix}`
    },
    get instagramUrl() {
      return `${core.url}${igPrefix}`
    },
    user,
    pages,
    pageTokens,
    processContainers(checks) {
      processing = checks
    },
    failNext(platform, error) {
      pendingErrors.set(platform, [...(pendingErrors.get(platform) ?? []), error])
    },
  }
}
