/**
 * A mock of the LinkedIn API calls the `linkedin` platform makes, mounted on the mock social core under
 * `/linkedin`: OpenID userinfo, the organisations a member administers, the Images API (initialise +
 * PUT the bytes), the Posts API (create, list by author) and the statistics endpoints. It checks what
 * LinkedIn checks — the bearer token, the versioned REST headers, that an author is the member or an
 * organisation they administer, that attached images were uploaded — and answers in LinkedIn's shapes.
 */
import type { MockClassify, MockPost, MockRouteContext, MockSocialCore } from './mock-core.ts'

export interface MockLinkedInOrganization {
  /** The numeric id (`urn:li:organization:<id>`). */
  id: string
  name: string
  vanityName: string
  /** The member's role; only `ADMINISTRATOR` pages may be posted as. @default 'ADMINISTRATOR' */
  role?: 'ADMINISTRATOR' | 'ANALYST' | 'CONTENT_ADMINISTRATOR'
}

export interface MockLinkedInOptions {
  member?: { sub: string; name: string; picture?: string; email?: string }
  organizations?: MockLinkedInOrganization[]
  /** @default '/linkedin' */
  prefix?: string
}

export interface MockLinkedIn {
  /** Base URL to give the connector as `api`. */
  readonly url: string
  readonly member: Required<MockLinkedInOptions>['member']
  readonly organizations: readonly MockLinkedInOrganization[]
  /** Image URNs whose bytes were uploaded, with their size. */
  readonly images: ReadonlyMap<string, { owner: string; bytes: number }>
}

const classify: MockClassify = ({ method, path }) => {
  if (method === 'POST' && path === '/rest/posts') return 'create'
  if (path.startsWith('/rest/images') || path.startsWith('/dms-uploads/')) return 'upload'
  if (path.startsWith('/oauth')) return 'auth'
  return method === 'GET' ? 'read' : 'other'
}

const record = (value: unknown): Record<string, unknown> =>
  value && typeof value === 'object' && !(value instanceof Buffer) ? (value as Record<string, unknown>) : {}

/** LinkedIn's error body. */
const refuse = (ctx: MockRouteContext, status: number, message: string, serviceErrorCode?: number) =>
  ctx.json(status, { status, message, ...(serviceErrorCode ? { serviceErrorCode } : {}) })

/** Mounts the LinkedIn mock on `core`. */
export function mountMockLinkedIn(core: MockSocialCore, options: MockLinkedInOptions = {}): MockLinkedIn {
  const prefix = options.prefix ?? '/linkedin'
  const member = options.member ?? {
    sub: 'm0ck-Member1',
    name: 'Ana Lopez',
    picture: 'https://media.licdn.example/ana.jpg',
    email: 'ana@bizoholic.dev',
  }
  const organizations = options.organizations ?? [
    { id: '1001', name: 'Bizoholic', vanityName: 'bizoholic' },
    { id: '1002', name: 'Bizoholic Labs', vanityName: 'bizoholic-labs' },
    { id: '1003', name: 'Other Co', vanityName: 'other-co', role: 'ANALYST' },
  ]
  const images = new Map<string, { owner: string; bytes: number }>()
  const pendingUploads = new Map<string, { image: string; owner: string }>()
  let sequence = 0
  const memberUrn = `urn:li:person:${member.sub}`
  const administered = () =>
    organizations
      .filter((o) => (o.role ?? 'ADMINISTRATOR') === 'ADMINISTRATOR')
      .map((o) => `urn:li:organization:${o.id}`)
  const base = () => `${core.url}${prefix}`

  const postElement = (post: MockPost) => ({
    id: post.id,
    author: post.author,
    commentary: post.text,
    visibility: 'PUBLIC',
    lifecycleState: 'PUBLISHED',
    createdAt: post.createdAt,
    publishedAt: post.createdAt,
    lastModifiedAt: post.createdAt,
  })

  core.mount(
    'linkedin',
    prefix,
    async (ctx) => {
      const { req, url, path } = ctx
      const method = req.method ?? 'GET'
      ctx.kind(classify({ method, path, query: url.searchParams, body: ctx.body }))
      if (!(await core.acceptsToken(ctx.token))) {
        refuse(ctx, 401, 'Invalid access token', 65600)
        return true
      }
      if (method === 'GET' && path === '/v2/userinfo') {
        ctx.json(200, {
          sub: member.sub,
          name: member.name,
          given_name: member.name.split(' ')[0],
          family_name: member.name.split(' ').slice(1).join(' '),
          picture: member.picture,
          email: member.email,
          email_verified: true,
          locale: { country: 'US', language: 'en' },
        })
        return true
      }
      if (path.startsWith('/rest/')) {
        // Versioned APIs answer 426 without a version and misread URNs without Rest.li 2.0.
        if (!req.headers['linkedin-version']) {
          refuse(
            ctx,
            426,
            'A version must be present. Please specify a version by adding the LinkedIn-Version header.',
            1000,
          )
          return true
        }
        if (req.headers['x-restli-protocol-version'] !== '2.0.0') {
          refuse(ctx, 400, 'Rest.li protocol version 2.0.0 is required', 1001)
          return true
        }
      }
      if (method === 'GET' && path === '/rest/organizationAcls') {
        const q = url.searchParams
        if (q.get('q') !== 'roleAssignee') return false
        const role = q.get('role')
        const elements = organizations
          .filter((o) => !role || (o.role ?? 'ADMINISTRATOR') === role)
          .map((o) => ({
            organization: `urn:li:organization:${o.id}`,
            role: o.role ?? 'ADMINISTRATOR',
            roleAssignee: memberUrn,
            state: 'APPROVED',
          }))
        const start = Number(q.get('start') ?? 0)
        const count = Number(q.get('count') ?? 10)
        ctx.json(200, {
          elements: elements.slice(start, start + count),
          paging: { start, count, total: elements.length },
        })
        return true
      }
      const org = path.match(/^\/rest\/organizations\/(\d+)$/)
      if (method === 'GET' && org) {
        const found = organizations.find((o) => o.id === org[1])
        if (!found) refuse(ctx, 404, `Organization ${org[1]} not found`)
        else
          ctx.json(200, {
            id: Number(found.id),
            localizedName: found.name,
            vanityName: found.vanityName,
            name: { localized: { en_US: found.name } },
          })
        return true
      }
      if (method === 'POST' && path === '/rest/images' && url.searchParams.get('action') === 'initializeUpload') {
        const owner = String(record(record(ctx.body).initializeUploadRequest).owner ?? '')
        if (owner !== memberUrn && !administered().includes(owner)) {
          refuse(ctx, 403, `Not enough permissions to upload images as ${owner}`, 100)
          return true
        }
        sequence += 1
        const image = `urn:li:image:D4E${sequence}mock`
        const ticket = `upload-${sequence}`
        pendingUploads.set(ticket, { image, owner })
        ctx.json(200, {
          value: {
            uploadUrlExpiresAt: Date.now() + 3600_000,
            uploadUrl: `${base()}/dms-uploads/${ticket}`,
            image,
          },
        })
        return true
      }
      const upload = path.match(/^\/dms-uploads\/([\w-]+)$/)
      if (method === 'PUT' && upload) {
        const pending = pendingUploads.get(upload[1] as string)
        if (!pending || ctx.rawBody.length === 0) {
          refuse(ctx, 400, 'Upload URL unknown or empty body')
          return true
        }
        pendingUploads.delete(upload[1] as string)
        images.set(pending.image, { owner: pending.owner, bytes: ctx.rawBody.length })
        ctx.json(201, {})
        return true
      }
      if (method === 'POST' && path === '/rest/posts') {
        const body = record(ctx.body)
        const author = String(body.author ?? '')
        const commentary = typeof body.commentary === 'string' ? body.commentary : ''
        if (author !== memberUrn && !administered().includes(author)) {
          refuse(ctx, 403, `Not enough permissions to post as ${author || 'an unknown author'}`, 100)
          return true
        }
        if (body.lifecycleState !== 'PUBLISHED' || !record(body.distribution).feedDistribution) {
          refuse(ctx, 422, 'lifecycleState and distribution are required', 100)
          return true
        }
        if ([...commentary].length > 3000) {
          refuse(ctx, 422, `Commentary is too long: ${[...commentary].length} characters, at most 3000`, 100)
          return true
        }
        const content = record(body.content)
        const attached = content.media
          ? [record(content.media)]
          : Array.isArray(record(content.multiImage).images)
            ? (record(content.multiImage).images as unknown[]).map(record)
            : []
        for (const image of attached) {
          const id = String(image.id ?? '')
          if (!images.has(id)) {
            refuse(ctx, 422, `Image ${id} has not been uploaded`, 100)
            return true
          }
        }
        if (!commentary && attached.length === 0) {
          refuse(ctx, 422, 'A post needs commentary or content', 100)
          return true
        }
        sequence += 1
        const post = core.addPost({
          platform: 'linkedin',
          id: `urn:li:share:${7_100_000_000 + sequence}`,
          author,
          text: commentary,
          media: attached.map((image) => `${image.id}${image.altText ? `|alt:${image.altText}` : ''}`),
        })
        ctx.json(201, null, { 'x-restli-id': post.id, 'x-linkedin-id': post.id })
        return true
      }
      if (method === 'GET' && path === '/rest/posts' && url.searchParams.get('q') === 'author') {
        const author = url.searchParams.get('author')
        const count = Number(url.searchParams.get('count') ?? 10)
        const elements = core.posts
          .filter((p) => p.platform === 'linkedin' && p.author === author)
          .sort((a, b) => b.createdAt - a.createdAt)
          .slice(0, count)
          .map(postElement)
        ctx.json(200, { elements, paging: { start: 0, count, total: elements.length } })
        return true
      }
      if (method === 'GET' && path === '/rest/organizationalEntityShareStatistics') {
        const entity = url.searchParams.get('organizationalEntity') ?? ''
        if (!administered().includes(entity)) {
          refuse(ctx, 403, `Not enough permissions to read statistics of ${entity}`, 100)
          return true
        }
        const list = (url.searchParams.get('shares') ?? url.searchParams.get('ugcPosts') ?? '').match(/^List\((.*)\)$/)
        const urns = list?.[1] ? list[1].split(',').map(decodeURIComponent) : []
        const elements = urns.flatMap((urn) => {
          const post = core.findPost('linkedin', urn)
          if (!post || post.author !== entity) return []
          const m = post.metrics
          return [
            {
              organizationalEntity: entity,
              share: urn,
              totalShareStatistics: {
                impressionCount: m.impressions,
                uniqueImpressionsCount: Math.round(m.impressions * 0.8),
                likeCount: m.likes,
                shareCount: m.reposts,
                commentCount: m.replies,
                clickCount: m.clicks,
                engagement: 0.05,
              },
            },
          ]
        })
        ctx.json(200, { elements, paging: { start: 0, count: 10, total: elements.length } })
        return true
      }
      const actions = path.match(/^\/rest\/socialActions\/(.+)$/)
      if (method === 'GET' && actions) {
        const urn = decodeURIComponent(actions[1] as string)
        const post = core.findPost('linkedin', urn)
        if (!post) refuse(ctx, 404, `No social actions for ${urn}`)
        else
          ctx.json(200, {
            target: urn,
            likesSummary: { totalLikes: post.metrics.likes, likedByCurrentUser: false },
            commentsSummary: {
              aggregatedTotalComments: post.metrics.replies,
              totalFirstLevelComments: post.metrics.replies,
            },
          })
        return true
      }
      return false
    },
    classify,
  )

  return {
    get url() {
      return base()
    },
    member,
    organizations,
    images,
  }
}
