/**
 * The mock Bluesky PDS + AppView, mounted on the mock social core under `/xrpc` (the SDK resolves
 * `/xrpc/<method>` against the service's origin, so the `bluesky` connector's `service` URL is the core's
 * own URL): sessions (`com.atproto.server.createSession` / `refreshSession` / `getSession`, app
 * passwords checked, access tokens that expire), records (`repo.createRecord` — a repeated record key
 * answers 409 "already exists" —, `repo.getRecord`, `repo.uploadBlob`), `app.bsky.feed.getPosts` with
 * counts and `app.bsky.actor.getProfile`. Bodies are valid for the lexicons (the SDK checks them): CIDs
 * are real CIDv1 (sha-256).
 */
import { createHash, randomBytes } from 'node:crypto'
import { countChars } from '@bizosaas/contracts/social'
import type { MockPost, MockRouteContext, MockSocialCore } from './mock-core.ts'

export interface MockBlueskyAccount {
  did: string
  handle: string
  email: string
  /** The app password the mock accepts. */
  appPassword: string
  displayName: string
  avatar?: string
}

export interface MockBlueskyRecord {
  uri: string
  cid: string
  rkey: string
  value: Record<string, unknown>
}

export interface MockBlueskyBlob {
  cid: string
  mimeType: string
  size: number
}

export interface MockBluesky {
  account: MockBlueskyAccount
  /** Records by AT URI. */
  records: Map<string, MockBlueskyRecord>
  blobs: Map<string, MockBlueskyBlob>
  /** `createSession` calls that succeeded (logins: rate limited at Bluesky). */
  sessionsCreated(): number
  /** `refreshSession` calls that succeeded. */
  sessionsRefreshed(): number
  /** Makes every access token issued so far expired (the next call answers 400 ExpiredToken). */
  expireAccessTokens(): void
  /** Makes every refresh token invalid too (the client must log in again). */
  expireRefreshTokens(): void
}

export const MOCK_BLUESKY_ACCOUNT: MockBlueskyAccount = Object.freeze({
  did: 'did:plc:mockbizosaas2345abcdefgh',
  handle: 'bizosaas-mock.bsky.social',
  email: 'social@bizosaas.test',
  appPassword: 'abcd-efgh-ijkl-mnop',
  displayName: 'BizOSaaS Mock',
  avatar: 'https://cdn.bsky.example/img/avatar/plain/mock@jpeg',
})

const BASE32 = 'abcdefghijklmnopqrstuvwxyz234567'

/** A CIDv1 (base32, sha-256) of `bytes`: `codec` 0x71 dag-cbor for records, 0x55 raw for blobs. */
export function cidOf(bytes: Uint8Array | string, codec: 0x71 | 0x55): string {
  const digest = createHash('sha256').update(bytes).digest()
  const raw = Buffer.concat([Buffer.from([0x01, codec, 0x12, 0x20]), digest])
  let bits = 0
  let value = 0
  let out = 'b'
  for (const byte of raw) {
    value = (value << 8) | byte
    bits += 8
    while (bits >= 5) {
      out += BASE32[(value >>> (bits - 5)) & 31]
      bits -= 5
    }
  }
  if (bits > 0) out += BASE32[(value << (5 - bits)) & 31]
  return out
}

const xrpcError = (ctx: MockRouteContext, status: number, error: string, message: string) =>
  ctx.json(status, { error, message })

/** Mounts the mock Bluesky on `core` (under `/xrpc`). */
export function mountMockBluesky(core: MockSocialCore, options: { account?: MockBlueskyAccount } = {}): MockBluesky {
  const account = options.account ?? MOCK_BLUESKY_ACCOUNT
  const records = new Map<string, MockBlueskyRecord>()
  const blobs = new Map<string, MockBlueskyBlob>()
  const access = new Set<string>()
  const refresh = new Set<string>()
  let created = 0
  let refreshed = 0

  const session = () => {
    // Access tokens are the core's, so `core.revokeTokens()` and its token faults apply to them too.
    const accessJwt = core.issueToken()
    const refreshJwt = `mock-refresh-${randomBytes(12).toString('hex')}`
    access.add(accessJwt)
    refresh.add(refreshJwt)
    return {
      did: account.did,
      handle: account.handle,
      email: account.email,
      emailConfirmed: true,
      emailAuthFactor: false,
      active: true,
      accessJwt,
      refreshJwt,
    }
  }

  const mock: MockBluesky = {
    account,
    records,
    blobs,
    sessionsCreated: () => created,
    sessionsRefreshed: () => refreshed,
    expireAccessTokens: () => access.clear(),
    expireRefreshTokens: () => refresh.clear(),
  }

  const postView = (post: MockPost) => {
    const record = records.get(post.id)
    return {
      uri: post.id,
      cid: record?.cid as string,
      author: { did: account.did, handle: account.handle, displayName: account.displayName },
      record: record?.value ?? {
        $type: 'app.bsky.feed.post',
        text: post.text,
        createdAt: new Date(post.createdAt).toISOString(),
      },
      indexedAt: new Date(post.createdAt).toISOString(),
      likeCount: post.metrics.likes,
      // One of the reposts is a quote post, so reposts + quotes is the core's `reposts`.
      repostCount: Math.max(0, post.metrics.reposts - 1),
      quoteCount: Math.min(1, post.metrics.reposts),
      replyCount: post.metrics.replies,
    }
  }

  core.mount('bluesky', '/xrpc', async (ctx) => {
    const { req, path, url } = ctx
    const method = req.method ?? 'GET'
    const nsid = path.replace(/^\//, '')

    if (method === 'POST' && nsid === 'com.atproto.server.createSession') {
      ctx.kind('auth')
      const body = (ctx.body ?? {}) as { identifier?: string; password?: string }
      const who = body.identifier?.replace(/^@/, '').toLowerCase()
      if (
        (who !== account.handle && who !== account.email && who !== account.did) ||
        body.password !== account.appPassword
      ) {
        xrpcError(ctx, 401, 'AuthenticationRequired', 'Invalid identifier or password')
        return true
      }
      created += 1
      ctx.json(200, session())
      return true
    }

    if (method === 'POST' && nsid === 'com.atproto.server.refreshSession') {
      ctx.kind('auth')
      if (!ctx.token || !refresh.has(ctx.token)) {
        xrpcError(ctx, 400, 'ExpiredToken', 'Token has expired')
        return true
      }
      refresh.delete(ctx.token)
      refreshed += 1
      ctx.json(200, session())
      return true
    }

    // Everything else needs a live access token.
    if (!ctx.token || !(await core.acceptsToken(ctx.token))) {
      ctx.kind(method === 'GET' ? 'read' : 'other')
      xrpcError(ctx, 401, 'AuthenticationRequired', 'Invalid token')
      return true
    }
    if (!access.has(ctx.token)) {
      ctx.kind(method === 'GET' ? 'read' : 'other')
      xrpcError(ctx, 400, 'ExpiredToken', 'Token has expired')
      return true
    }

    if (method === 'GET' && nsid === 'com.atproto.server.getSession') {
      ctx.kind('auth')
      ctx.json(200, {
        did: account.did,
        handle: account.handle,
        email: account.email,
        emailConfirmed: true,
        emailAuthFactor: false,
        active: true,
      })
      return true
    }

    if (method === 'POST' && nsid === 'com.atproto.repo.uploadBlob') {
      ctx.kind('upload')
      const mimeType = String(req.headers['content-type'] ?? 'application/octet-stream')
      if (!/^image\/(jpeg|png|gif|webp)$/.test(mimeType)) {
        xrpcError(ctx, 400, 'InvalidMimeType', `Unsupported blob type ${mimeType}`)
        return true
      }
      if (ctx.rawBody.length > 1_000_000) {
        xrpcError(ctx, 400, 'BlobTooLarge', 'This file is too large. It is over the 1 MB limit.')
        return true
      }
      const cid = cidOf(ctx.rawBody, 0x55)
      blobs.set(cid, { cid, mimeType, size: ctx.rawBody.length })
      ctx.json(200, { blob: { $type: 'blob', ref: { $link: cid }, mimeType, size: ctx.rawBody.length } })
      return true
    }

    if (method === 'POST' && nsid === 'com.atproto.repo.createRecord') {
      ctx.kind('create')
      const body = (ctx.body ?? {}) as {
        repo?: string
        collection?: string
        rkey?: string
        record?: Record<string, unknown> & {
          text?: string
          reply?: { parent?: { uri?: string } }
          embed?: { images?: { image?: { ref?: { $link?: string } }; alt?: string }[] }
        }
      }
      const fail = (status: number, error: string, message: string) => {
        ctx.kind('other')
        xrpcError(ctx, status, error, message)
        return true
      }
      if (body.repo !== account.did && body.repo !== account.handle)
        return fail(400, 'InvalidRequest', `Repo ${body.repo} is not the session's account`)
      if (body.collection !== 'app.bsky.feed.post' || !body.record)
        return fail(400, 'InvalidRequest', 'Only app.bsky.feed.post records are accepted here')
      const text = String(body.record.text ?? '')
      if (countChars(text, 'bluesky') > 300)
        return fail(
          400,
          'InvalidRequest',
          'Invalid app.bsky.feed.post record: Record/text must not be longer than 300 graphemes',
        )
      const rkey = body.rkey ?? `${Date.now().toString(32)}${randomBytes(2).toString('hex')}`
      if (!/^[234567abcdefghij][234567abcdefghijklmnopqrstuvwxyz]{12}$/.test(rkey))
        return fail(400, 'InvalidRequest', `Invalid record key for app.bsky.feed.post (a TID is expected): ${rkey}`)
      const uri = `at://${account.did}/app.bsky.feed.post/${rkey}`
      if (records.has(uri)) return fail(409, 'InvalidRequest', `Record already exists: ${uri}`)
      const parent = body.record.reply?.parent?.uri
      if (parent && !records.has(parent)) return fail(400, 'InvalidRequest', `Reply parent not found: ${parent}`)
      for (const image of body.record.embed?.images ?? [])
        if (!blobs.has(image.image?.ref?.$link ?? ''))
          return fail(400, 'InvalidRequest', 'Could not find blob referenced in the record')
      const cid = cidOf(JSON.stringify(body.record), 0x71)
      records.set(uri, { uri, cid, rkey, value: body.record })
      core.addPost({
        platform: 'bluesky',
        id: uri,
        author: account.did,
        text,
        replyTo: parent,
        media: (body.record.embed?.images ?? []).map((i) => i.image?.ref?.$link ?? ''),
        idempotencyKey: rkey,
      })
      ctx.json(200, { uri, cid, commit: { cid: cidOf(`commit:${uri}`, 0x71), rev: rkey }, validationStatus: 'valid' })
      return true
    }

    if (method === 'GET' && nsid === 'com.atproto.repo.getRecord') {
      ctx.kind('read')
      const repo = url.searchParams.get('repo')
      const uri = `at://${repo === account.handle ? account.did : repo}/${url.searchParams.get('collection')}/${url.searchParams.get('rkey')}`
      const record = records.get(uri)
      if (!record) {
        xrpcError(ctx, 400, 'RecordNotFound', `Could not locate record: ${uri}`)
        return true
      }
      ctx.json(200, { uri: record.uri, cid: record.cid, value: record.value })
      return true
    }

    if (method === 'GET' && nsid === 'app.bsky.feed.getPosts') {
      ctx.kind('read')
      const uris = url.searchParams.getAll('uris')
      const posts = uris.map((uri) => core.findPost('bluesky', uri)).filter((p): p is MockPost => Boolean(p))
      ctx.json(200, { posts: posts.map(postView) })
      return true
    }

    if (method === 'GET' && nsid === 'app.bsky.actor.getProfile') {
      ctx.kind('read')
      const actor = url.searchParams.get('actor')
      if (actor !== account.did && actor !== account.handle) {
        xrpcError(ctx, 400, 'InvalidRequest', 'Profile not found')
        return true
      }
      const own = core.posts.filter((p) => p.platform === 'bluesky' && p.author === account.did).length
      ctx.json(200, {
        did: account.did,
        handle: account.handle,
        displayName: account.displayName,
        ...(account.avatar ? { avatar: account.avatar } : {}),
        followersCount: 120,
        followsCount: 80,
        postsCount: own,
      })
      return true
    }

    return false
  })
  return mock
}
