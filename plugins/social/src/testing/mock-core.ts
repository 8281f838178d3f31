/**
 * The core of the mock social APIs (`startMockSocialApis`): one HTTP server on 127.0.0.1 whose routes
 * each platform's mock mounts under its own prefix (`/x`, `/linkedin`, `/graph`, `/bluesky`,
 * `/mastodon`), a log of every request (tests count the creates per platform to prove exactly once),
 * bearer-token checks, injectable faults, and a store of the posts made with their metrics.
 */
import { randomBytes } from 'node:crypto'
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { SocialPlatformId } from '@bizosaas/contracts/social'

/** What a request did, for counting: `create` is a post (or thread part) made; `upload` a media upload. */
export type MockRequestKind = 'create' | 'upload' | 'read' | 'auth' | 'other'

export interface MockSocialRequest {
  platform: SocialPlatformId
  kind: MockRequestKind
  method: string
  /** Path after the platform's prefix, with the query. */
  path: string
  status: number
  at: number
  /** The bearer token or session the request carried (never a real secret). */
  token?: string
  body?: unknown
}

/**
 * A fault for the next matching requests of one platform:
 * - `status`: answer it (with `retryAfterSeconds` as `retry-after` for 429) instead of handling;
 * - `hang`: never answer (the client times out) — with `after: 'handle'` the post IS made first, so a
 *   test sees an unknown outcome that really published;
 * - `expire-token`: answer 401 as an expired token would (once per fault), so the client refreshes.
 */
export interface MockSocialFault {
  kind?: MockRequestKind
  status?: number
  retryAfterSeconds?: number
  hang?: boolean
  after?: 'handle'
  expireToken?: boolean
  /** How many requests it applies to. @default 1 */
  times?: number
  /** Delay before answering (ms), for latency tests. */
  delayMs?: number
}

/** A post the mock holds. */
export interface MockPost {
  platform: SocialPlatformId
  id: string
  /** The account (user id, URN, page id, DID …) it was posted as. */
  author: string
  text: string
  /** The id of the post it replies to (threads). */
  replyTo?: string
  media: string[]
  /** The idempotency key it was created with, if any. */
  idempotencyKey?: string
  createdAt: number
  metrics: { impressions: number; likes: number; reposts: number; replies: number; clicks: number }
}

export interface MockRouteContext {
  req: IncomingMessage
  res: ServerResponse
  url: URL
  /** Path after the platform prefix. */
  path: string
  /** Parsed JSON / form body (object), raw bytes for other types. */
  body: unknown
  rawBody: Buffer
  /** The bearer token, when the request has one. */
  token?: string
  /** Sets what the log records for this request. */
  kind(kind: MockRequestKind): void
  json(status: number, body: unknown, headers?: Record<string, string>): void
}

export type MockRoute = (ctx: MockRouteContext) => boolean | Promise<boolean>

/**
 * Names a request's kind before its route runs, so a fault aimed at `create` hits the call that makes
 * the post (Instagram's `media_publish`, LinkedIn's `POST /rest/posts`) and not an upload before it.
 * Mounts without one use the generic guess (POST creates, GET reads).
 */
export type MockClassify = (request: {
  method: string
  path: string
  query: URLSearchParams
  body: unknown
}) => MockRequestKind

export interface MockSocialCore {
  readonly url: string
  readonly port: number
  readonly requests: readonly MockSocialRequest[]
  readonly posts: readonly MockPost[]
  /** Mounts a platform's routes (first route that returns true handles the request). */
  mount(platform: SocialPlatformId, prefix: string, route: MockRoute, classify?: MockClassify): void
  /** The base URL of a mounted platform (`http://127.0.0.1:port/x`). */
  urlOf(platform: SocialPlatformId): string
  fault(platform: SocialPlatformId, fault: MockSocialFault): void
  clearFaults(): void
  /** Stores a post and returns it (ids are unique per mock). */
  addPost(post: Omit<MockPost, 'id' | 'createdAt' | 'metrics'> & { id?: string }): MockPost
  findPost(platform: SocialPlatformId, id: string): MockPost | undefined
  /** Creates made per platform (every thread part counts). */
  creates(platform?: SocialPlatformId): number
  /** Whether `token` is accepted (a callback shared with the mock OAuth provider, or tokens issued here). */
  acceptsToken(token: string | undefined): Promise<boolean>
  /** A token this mock accepts (for tests that skip OAuth). */
  issueToken(): string
  /** Revokes every token (the next call answers 401). */
  revokeTokens(): void
  /**
   * Answers every request `ms` after its route handled it (0: at once). The post is made and logged
   * first, so a client killed meanwhile leaves a post made and never answered.
   */
  answerDelay(ms: number): void
  reset(): void
  close(): Promise<void>
}

export interface MockSocialCoreOptions {
  port?: number
  /** Decides whether a bearer token is valid (e.g. asks the mock OAuth provider). @default only `issueToken()` tokens */
  validToken?: (token: string) => Promise<boolean> | boolean
  /** Fixed tokens it always accepts (the dev Mastodon token of `pnpm mock-services`, stable across restarts). */
  tokens?: readonly string[]
  /** Answer delay after handling (see `answerDelay`). @default 0 */
  answerDelayMs?: number
}

const readBody = (req: IncomingMessage) =>
  new Promise<Buffer>((resolve, reject) => {
    const chunks: Buffer[] = []
    req.on('data', (chunk: Buffer) => chunks.push(chunk))
    req.on('end', () => resolve(Buffer.concat(chunks)))
    req.on('error', reject)
  })

function parseBody(req: IncomingMessage, raw: Buffer): unknown {
  const type = String(req.headers['content-type'] ?? '')
  if (raw.length === 0) return {}
  if (type.includes('application/json')) {
    try {
      return JSON.parse(raw.toString('utf8'))
    } catch {
      return undefined
    }
  }
  if (type.includes('application/x-www-form-urlencoded'))
    return Object.fromEntries(new URLSearchParams(raw.toString('utf8')))
  return raw
}

/** Starts the core server; platform mocks mount on it. */
export async function startMockSocialCore(options: MockSocialCoreOptions = {}): Promise<MockSocialCore> {
  const routes = new Map<string, { platform: SocialPlatformId; route: MockRoute; classify?: MockClassify }>()
  const requests: MockSocialRequest[] = []
  const posts: MockPost[] = []
  const faults = new Map<SocialPlatformId, MockSocialFault[]>()
  const issued = new Set<string>(options.tokens ?? [])
  let revokedAll = false
  let answerDelayMs = options.answerDelayMs ?? 0
  let sequence = 0
  const open = new Set<ServerResponse>()

  const takeFault = (platform: SocialPlatformId, kind: MockRequestKind | undefined) => {
    const list = faults.get(platform) ?? []
    const index = list.findIndex((f) => !f.kind || f.kind === kind)
    if (index < 0) return undefined
    const fault = list[index] as MockSocialFault
    const times = (fault.times ?? 1) - 1
    if (times <= 0) list.splice(index, 1)
    else list[index] = { ...fault, times }
    return fault
  }

  const core: MockSocialCore = {
    url: '',
    port: 0,
    requests,
    posts,
    mount(platform, prefix, route, classify) {
      routes.set(prefix.replace(/\/$/, ''), { platform, route, classify })
    },
    urlOf(platform) {
      for (const [prefix, entry] of routes) if (entry.platform === platform) return `${core.url}${prefix}`
      throw new Error(`No mock mounted for ${platform}`)
    },
    fault(platform, fault) {
      faults.set(platform, [...(faults.get(platform) ?? []), fault])
    },
    clearFaults() {
      faults.clear()
    },
    addPost(post) {
      sequence += 1
      const stored: MockPost = {
        ...post,
        id: post.id ?? `${post.platform}-${sequence}-${randomBytes(3).toString('hex')}`,
        createdAt: Date.now(),
        // Deterministic, plausible numbers a test can assert on.
        metrics: { impressions: 1000 + sequence, likes: 40 + (sequence % 7), reposts: 5, replies: 3, clicks: 25 },
      }
      posts.push(stored)
      return stored
    },
    findPost(platform, id) {
      return posts.find((p) => p.platform === platform && p.id === id)
    },
    creates(platform) {
      return requests.filter((r) => r.kind === 'create' && r.status < 300 && (!platform || r.platform === platform))
        .length
    },
    async acceptsToken(token) {
      if (!token || revokedAll) return false
      if (issued.has(token)) return true
      return options.validToken ? await options.validToken(token) : false
    },
    issueToken() {
      const token = `mock-social-${randomBytes(12).toString('hex')}`
      issued.add(token)
      return token
    },
    revokeTokens() {
      revokedAll = true
    },
    answerDelay(ms) {
      answerDelayMs = ms
    },
    reset() {
      requests.length = 0
      posts.length = 0
      faults.clear()
      revokedAll = false
    },
    async close() {
      for (const res of open) res.destroy()
      await new Promise<void>((resolve) => server.close(() => resolve()))
    },
  }

  const server = createServer(async (req, res) => {
    open.add(res)
    res.on('close', () => open.delete(res))
    const url = new URL(req.url ?? '/', 'http://127.0.0.1')
    const match = [...routes.entries()].find(
      ([prefix]) => url.pathname === prefix || url.pathname.startsWith(`${prefix}/`),
    )
    if (!match) {
      res.writeHead(404, { 'content-type': 'application/json' }).end('{"error":"no mock here"}')
      return
    }
    const [prefix, { platform, route, classify }] = match
    const rawBody = await readBody(req)
    const authorization = String(req.headers.authorization ?? '')
    const entry: MockSocialRequest = {
      platform,
      kind: 'other',
      method: req.method ?? 'GET',
      path: url.pathname.slice(prefix.length) + url.search,
      status: 0,
      at: Date.now(),
      token: authorization.startsWith('Bearer ') ? authorization.slice(7) : undefined,
    }
    let answered = false
    const ctx: MockRouteContext = {
      req,
      res,
      url,
      path: url.pathname.slice(prefix.length) || '/',
      body: parseBody(req, rawBody),
      rawBody,
      token: entry.token,
      kind: (kind) => {
        entry.kind = kind
      },
      json: (status, body, headers = {}) => {
        if (answered) return
        answered = true
        entry.status = status
        if (entry.kind === 'create' || entry.kind === 'upload')
          entry.body = ctx.body instanceof Buffer ? undefined : ctx.body
        requests.push(entry)
        const answer = () =>
          res.writeHead(status, { 'content-type': 'application/json', ...headers }).end(JSON.stringify(body))
        if (answerDelayMs > 0) setTimeout(() => !res.destroyed && answer(), answerDelayMs)
        else answer()
      },
    }
    // A dry pass classifies the request (routes call ctx.kind first), so faults can target creates.
    const guessed = classify
      ? classify({ method: req.method ?? 'GET', path: ctx.path, query: url.searchParams, body: ctx.body })
      : guessKind(req.method, ctx.path)
    const fault = takeFault(platform, guessed)
    if (fault?.delayMs) await new Promise((r) => setTimeout(r, fault.delayMs))
    if (fault && !fault.after) {
      entry.kind = guessed
      if (fault.hang) {
        entry.status = 0
        requests.push(entry)
        return // never answers
      }
      if (fault.expireToken)
        return ctx.json(401, { error: 'invalid_token', error_description: 'The access token expired' })
      if (fault.status) {
        const headers: Record<string, string> = fault.retryAfterSeconds
          ? { 'retry-after': String(fault.retryAfterSeconds) }
          : {}
        return ctx.json(fault.status, { error: `mock fault ${fault.status}` }, headers)
      }
    }
    if (fault?.after === 'handle' && fault.hang) {
      // Handle it (the post is made) but never answer: an unknown outcome that did publish.
      const silent = {
        ...ctx,
        json: (status: number) => {
          entry.status = status
          requests.push(entry)
        },
      }
      await route(silent as MockRouteContext)
      return
    }
    try {
      const handled = await route(ctx)
      if (!handled) ctx.json(404, { error: `mock ${platform}: no route for ${req.method} ${ctx.path}` })
    } catch (error) {
      ctx.json(500, { error: String(error) })
    }
  })
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, '127.0.0.1', resolve))
  const port = (server.address() as AddressInfo).port
  Object.assign(core, { url: `http://127.0.0.1:${port}`, port })
  return core
}

/** A first guess of a request's kind (routes set the exact one): POSTs create, GETs read. */
function guessKind(method: string | undefined, path: string): MockRequestKind {
  if (/upload|media|blob/i.test(path) && method === 'POST') return 'upload'
  if (/token|session|oauth/i.test(path)) return 'auth'
  return method === 'GET' ? 'read' : 'create'
}
