/**
 * The Bluesky platform over real HTTP: @atproto/api's AtpAgent against the mock PDS, with the
 * connection's credentials. Publishing (single, thread, image with alt, link and hashtag facets), the
 * cached session and its refresh, record keys that make a re-send harmless, metrics, and each failure
 * as the publisher sees it.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import {
  MOCK_BLUESKY_ACCOUNT,
  type MockSocialApis,
  publishFailure,
  startMockSocialApis,
  TEST_PNG,
  testConnectorContext,
  testImage,
  testPublishInput,
} from '../testing/index.ts'
import {
  type BlueskyClient,
  blueskyConnector,
  clearBlueskySessions,
  createBlueskyPlatform,
  recordKeyOf,
} from './bluesky.ts'
import type { SocialTarget } from './define.ts'

const TIMEOUT_MS = 1_000
const platform = createBlueskyPlatform({ timeoutMs: TIMEOUT_MS })
const account = MOCK_BLUESKY_ACCOUNT

let apis: MockSocialApis
let target: SocialTarget

/** Builds the client of the one test connection, as the runtime does on every use. */
const connect = async (credentials: Record<string, string> = {}): Promise<BlueskyClient> => {
  const ctx = await testConnectorContext(blueskyConnector, {
    connection: 'bluesky-1',
    override: apis.connectorOverrides().bluesky,
    credentials: { identifier: account.handle, appPassword: account.appPassword, ...credentials },
  })
  return blueskyConnector.client(ctx)
}

beforeAll(async () => {
  apis = await startMockSocialApis()
  ;[target] = (await platform.targets(await connect())) as [SocialTarget]
})
beforeEach(() => clearBlueskySessions())
afterEach(() => apis.clearFaults())
afterAll(async () => {
  await apis?.close()
})

describe('Bluesky', () => {
  it('names the connected account as the one target, and the connection test says who it is', async () => {
    expect(target).toEqual({
      id: account.did,
      type: 'profile',
      name: account.displayName,
      handle: `@${account.handle}`,
      url: `https://bsky.app/profile/${account.handle}`,
      avatarUrl: account.avatar,
    })
    const ctx = await testConnectorContext(blueskyConnector, {
      override: apis.connectorOverrides().bluesky,
      credentials: { identifier: account.handle, appPassword: account.appPassword },
    })
    expect(await blueskyConnector.test(await blueskyConnector.client(ctx), ctx)).toEqual({
      ok: true,
      message: `Connected to Bluesky as @${account.handle}`,
      account: `@${account.handle}`,
    })
  })

  it('publishes a post with link and hashtag facets, linked on bsky.app', async () => {
    const client = await connect()
    const before = apis.creates('bluesky')
    const text = 'New in the shop: https://shop.example/p/1?utm_source=bluesky #spring'
    const input = testPublishInput(target, text)
    const ref = await platform.publish(client, input)
    expect(apis.creates('bluesky')).toBe(before + 1)
    const rkey = recordKeyOf(input.idempotencyKey)
    expect(ref).toEqual({
      postId: `at://${account.did}/app.bsky.feed.post/${rkey}`,
      url: `https://bsky.app/profile/${account.handle}/post/${rkey}`,
    })
    const record = apis.bluesky.records.get(ref.postId)?.value as {
      text: string
      facets: {
        index: { byteStart: number; byteEnd: number }
        features: { $type: string; uri?: string; tag?: string }[]
      }[]
    }
    expect(record.text).toBe(text)
    const bytes = Buffer.from(text)
    const spans = record.facets.map((f) => ({
      text: bytes.subarray(f.index.byteStart, f.index.byteEnd).toString(),
      feature: f.features[0],
    }))
    expect(spans).toEqual([
      {
        text: 'https://shop.example/p/1?utm_source=bluesky',
        feature: { $type: 'app.bsky.richtext.facet#link', uri: 'https://shop.example/p/1?utm_source=bluesky' },
      },
      { text: '#spring', feature: { $type: 'app.bsky.richtext.facet#tag', tag: 'spring' } },
    ])
  })

  it('publishes a thread as replies with root and parent', async () => {
    const client = await connect()
    const before = apis.creates('bluesky')
    const ref = await platform.publish(
      client,
      testPublishInput(target, 'Thread 1/3', { thread: ['Thread 2/3', 'Thread 3/3'] }),
    )
    expect(apis.creates('bluesky')).toBe(before + 3)
    const [second, third] = ref.threadIds as [string, string]
    const replyOf = (uri: string) => (apis.bluesky.records.get(uri)?.value as { reply?: unknown } | undefined)?.reply
    const root = { uri: ref.postId, cid: apis.bluesky.records.get(ref.postId)?.cid }
    expect(replyOf(second)).toEqual({ root, parent: root })
    expect(replyOf(third)).toEqual({ root, parent: { uri: second, cid: apis.bluesky.records.get(second)?.cid } })
  })

  it('uploads an image as a blob with its alt text', async () => {
    const client = await connect()
    const ref = await platform.publish(
      client,
      testPublishInput(target, 'Our new shop front', { media: [testImage('A blue shop front at dusk')] }),
    )
    const record = apis.bluesky.records.get(ref.postId)?.value as { embed?: { $type: string; images: unknown[] } }
    expect(record.embed?.$type).toBe('app.bsky.embed.images')
    expect(record.embed?.images).toEqual([
      {
        alt: 'A blue shop front at dusk',
        image: { $type: 'blob', ref: { $link: expect.any(String) }, mimeType: 'image/png', size: TEST_PNG.length },
      },
    ])
    expect(apis.bluesky.blobs.size).toBeGreaterThan(0)
  })

  it('does not post twice when a variant is sent again with the same key (a thread too)', async () => {
    const client = await connect()
    const input = testPublishInput(target, 'Only once', { thread: ['Only once, part 2'] })
    const first = await platform.publish(client, input)
    const before = apis.creates('bluesky')
    const again = await platform.publish(client, { ...input, claimedAt: new Date() })
    expect(again).toEqual(first)
    expect(apis.creates('bluesky')).toBe(before)
    expect(apis.posts.filter((p) => p.platform === 'bluesky' && p.text === 'Only once')).toHaveLength(1)
  })

  it('finds the post made for a variant by its record key, and nothing when there is none', async () => {
    const client = await connect()
    const input = testPublishInput(target, 'Find me', { thread: ['Find me too'] })
    const ref = await platform.publish(client, input)
    expect(await platform.lookup(client, input)).toEqual(ref)
    expect(await platform.lookup(client, testPublishInput(target, 'Find me'))).toBeNull()
  })

  it('reads likes, reposts (with quotes) and replies; Bluesky gives no impressions', async () => {
    const client = await connect()
    const ref = await platform.publish(client, testPublishInput(target, 'Metrics, please'))
    const stored = apis.findPost('bluesky', ref.postId)?.metrics
    expect(await platform.metrics(client, ref, target)).toEqual({
      likes: stored?.likes,
      reposts: stored?.reposts,
      replies: stored?.replies,
    })
  })

  it('logs in once per connection and refreshes the session when it expires', async () => {
    const logins = apis.bluesky.sessionsCreated()
    await platform.publish(await connect(), testPublishInput(target, 'Session one'))
    await platform.publish(await connect(), testPublishInput(target, 'Session two'))
    expect(apis.bluesky.sessionsCreated()).toBe(logins + 1)

    const refreshed = apis.bluesky.sessionsRefreshed()
    apis.bluesky.expireAccessTokens()
    const ref = await platform.publish(await connect(), testPublishInput(target, 'After expiry'))
    expect(apis.findPost('bluesky', ref.postId)).toBeDefined()
    expect(apis.bluesky.sessionsRefreshed()).toBe(refreshed + 1)
    expect(apis.bluesky.sessionsCreated()).toBe(logins + 1)

    // Both tokens expired: one new login, then the post.
    apis.bluesky.expireAccessTokens()
    apis.bluesky.expireRefreshTokens()
    const late = await platform.publish(await connect(), testPublishInput(target, 'After both expired'))
    expect(apis.findPost('bluesky', late.postId)).toBeDefined()
    expect(apis.bluesky.sessionsCreated()).toBe(logins + 2)
  })

  it('refreshes once on a 401 and posts once', async () => {
    const client = await connect()
    await platform.targets(client)
    const before = { creates: apis.creates('bluesky'), refreshed: apis.bluesky.sessionsRefreshed() }
    apis.fault('bluesky', { kind: 'create', expireToken: true })
    const ref = await platform.publish(client, testPublishInput(target, 'After a 401'))
    expect(apis.findPost('bluesky', ref.postId)).toBeDefined()
    expect(apis.creates('bluesky')).toBe(before.creates + 1)
    expect(apis.bluesky.sessionsRefreshed()).toBe(before.refreshed + 1)
  })

  it('needs a reconnect when the app password is refused', async () => {
    const error = await publishFailure(
      platform.publish(await connect({ appPassword: 'wrong-wrong-wrong' }), testPublishInput(target, 'Nope')),
    )
    expect(error.kind).toBe('needs-reconnect')
    expect(error.message).toMatch(/^Bluesky refused the handle or app password/)
  })

  it('is rate-limited on 429 with the wait Bluesky asked for, and refuses a post that is too long', async () => {
    const client = await connect()
    await platform.targets(client)
    apis.fault('bluesky', { kind: 'create', status: 429, retryAfterSeconds: 12 })
    const limited = await publishFailure(platform.publish(client, testPublishInput(target, 'Too fast')))
    expect(limited).toMatchObject({ kind: 'rate-limited', options: { retryAfterMs: 12_000, status: 429 } })

    const long = await publishFailure(platform.publish(client, testPublishInput(target, 'a'.repeat(301))))
    expect(long.kind).toBe('rejected')
    expect(long.message).toMatch(/^Bluesky refused the post: .*300 graphemes/)
  })

  it('calls an outcome unknown when Bluesky does not answer in time, and a re-send then posts once', async () => {
    const client = await connect()
    await platform.targets(client)
    const input = testPublishInput(target, 'Into the void')
    apis.fault('bluesky', { kind: 'create', hang: true, after: 'handle' })
    const started = Date.now()
    const hung = await publishFailure(platform.publish(client, input))
    expect(hung.kind).toBe('unknown')
    expect(Date.now() - started).toBeLessThan(TIMEOUT_MS + 1_000)
    // It did post (the mock handled it before hanging); settling by key re-sends and finds it.
    const before = apis.creates('bluesky')
    const ref = await platform.publish(client, input)
    expect(apis.creates('bluesky')).toBe(before)
    expect(apis.findPost('bluesky', ref.postId)?.text).toBe('Into the void')
  })
})
