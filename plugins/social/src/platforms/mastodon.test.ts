/**
 * The Mastodon platform over real HTTP: masto's REST client against the mock Mastodon server, with the
 * connection's instance URL and access token. Publishing (single, thread, image with alt), the
 * Idempotency-Key that makes a re-send harmless, lookup, metrics, and each failure as the publisher
 * sees it.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import {
  MOCK_MASTODON_ACCOUNT,
  type MockSocialApis,
  publishFailure,
  startMockSocialApis,
  testConnectorContext,
  testImage,
  testPublishInput,
} from '../testing/index.ts'
import type { SocialTarget } from './define.ts'
import { createMastodonPlatform, type MastodonClient, mastodonConnector } from './mastodon.ts'

const TIMEOUT_MS = 1_000
const platform = createMastodonPlatform({ timeoutMs: TIMEOUT_MS })
const account = MOCK_MASTODON_ACCOUNT

let apis: MockSocialApis
let token: string
let client: MastodonClient
let target: SocialTarget

const connect = async (accessToken = token) => {
  const ctx = await testConnectorContext(mastodonConnector, {
    override: apis.connectorOverrides().mastodon,
    // What a tenant types: their server's address (the override points it at the mock).
    credentials: { instanceUrl: 'https://mastodon.example/', accessToken },
  })
  return { ctx, client: await mastodonConnector.client(ctx) }
}

beforeAll(async () => {
  apis = await startMockSocialApis()
  token = apis.issueToken()
  client = (await connect()).client
  ;[target] = (await platform.targets(client)) as [SocialTarget]
})
afterEach(() => apis.clearFaults())
afterAll(async () => {
  await apis?.close()
})

describe('Mastodon', () => {
  it('names the connected account as the one target, and the connection test says who it is', async () => {
    const host = new URL(apis.url).host
    expect(target).toEqual({
      id: account.id,
      type: 'profile',
      name: account.displayName,
      handle: `@${account.username}@${host}`,
      url: `${apis.url}/@${account.username}`,
      avatarUrl: account.avatar,
    })
    const { ctx, client: fresh } = await connect()
    expect(await mastodonConnector.test(fresh, ctx)).toEqual({
      ok: true,
      message: `Connected to Mastodon as @${account.username}@${host}`,
      account: `@${account.username}@${host}`,
    })
  })

  it('publishes a status and links to it', async () => {
    const before = apis.creates('mastodon')
    const ref = await platform.publish(client, testPublishInput(target, 'Spring sale starts today 🌷'))
    expect(apis.creates('mastodon')).toBe(before + 1)
    expect(ref).toEqual({ postId: expect.any(String), url: `${apis.url}/@${account.username}/${ref.postId}` })
    expect(apis.findPost('mastodon', ref.postId)).toMatchObject({ text: 'Spring sale starts today 🌷' })
  })

  it('publishes a thread as replies', async () => {
    const before = apis.creates('mastodon')
    const ref = await platform.publish(
      client,
      testPublishInput(target, 'Toot 1/3', { thread: ['Toot 2/3', 'Toot 3/3'] }),
    )
    expect(apis.creates('mastodon')).toBe(before + 3)
    const [second, third] = ref.threadIds as [string, string]
    expect(apis.findPost('mastodon', second)).toMatchObject({ text: 'Toot 2/3', replyTo: ref.postId })
    expect(apis.findPost('mastodon', third)).toMatchObject({ text: 'Toot 3/3', replyTo: second })
  })

  it('uploads an image with its description (alt text) and attaches it', async () => {
    const ref = await platform.publish(
      client,
      testPublishInput(target, 'Our new shop front', { media: [testImage('A blue shop front at dusk')] }),
    )
    const [mediaId] = apis.findPost('mastodon', ref.postId)?.media ?? []
    expect(apis.mastodon.media.get(mediaId as string)).toMatchObject({
      mimeType: 'image/png',
      description: 'A blue shop front at dusk',
    })
  })

  it('retries later when an upload fails before anything was posted', async () => {
    const before = apis.creates('mastodon')
    apis.fault('mastodon', { kind: 'upload', status: 503 })
    const error = await publishFailure(
      platform.publish(client, testPublishInput(target, 'With a picture', { media: [testImage('A picture')] })),
    )
    expect(error.kind).toBe('rate-limited')
    expect(error.message).toMatch(/^Mastodon did not take the attachments .*nothing was posted/)
    expect(apis.creates('mastodon')).toBe(before)
  })

  it('sends an Idempotency-Key, so a re-send of the variant does not post twice (a thread too)', async () => {
    const input = testPublishInput(target, 'Only once', { thread: ['Only once, part 2'] })
    const first = await platform.publish(client, input)
    expect(apis.mastodon.idempotencyKeys.get(input.idempotencyKey)).toBe(first.postId)
    const before = apis.creates('mastodon')
    const again = await platform.publish(client, { ...input, claimedAt: new Date() })
    expect(again).toEqual(first)
    expect(apis.creates('mastodon')).toBe(before)
    expect(apis.posts.filter((p) => p.platform === 'mastodon' && p.text === 'Only once')).toHaveLength(1)
  })

  it('finds the status made for a variant, and nothing when there is none', async () => {
    // Mastodon answers with HTML: the lookup compares the text it stands for.
    const text = 'Read the story & more:\nhttps://shop.example/blog/story?utm_source=mastodon'
    const input = testPublishInput(target, text, { thread: ['The second part'] })
    const ref = await platform.publish(client, input)
    expect(await platform.lookup(client, input)).toEqual(ref)
    expect(await platform.lookup(client, testPublishInput(target, 'Never posted'))).toBeNull()
  })

  it('reads favourites, boosts and replies; Mastodon gives no impressions', async () => {
    const ref = await platform.publish(client, testPublishInput(target, 'Metrics, please'))
    const stored = apis.findPost('mastodon', ref.postId)?.metrics
    expect(await platform.metrics(client, ref, target)).toEqual({
      likes: stored?.likes,
      reposts: stored?.reposts,
      replies: stored?.replies,
    })
  })

  it('needs a reconnect when the access token is refused', async () => {
    const { client: refused } = await connect('not-a-token-the-server-knows')
    const error = await publishFailure(platform.publish(refused, testPublishInput(target, 'Nope')))
    expect(error.kind).toBe('needs-reconnect')
    expect(error.message).toMatch(/^Mastodon refused the access token/)
  })

  it('is rate-limited on 429 with the wait Mastodon asked for, and refuses a status that is too long', async () => {
    const before = apis.creates('mastodon')
    apis.fault('mastodon', { kind: 'create', status: 429, retryAfterSeconds: 20 })
    const limited = await publishFailure(platform.publish(client, testPublishInput(target, 'Too fast')))
    expect(limited).toMatchObject({ kind: 'rate-limited', options: { retryAfterMs: 20_000, status: 429 } })
    expect(apis.creates('mastodon')).toBe(before)

    const long = await publishFailure(platform.publish(client, testPublishInput(target, 'a'.repeat(501))))
    expect(long.kind).toBe('rejected')
    expect(long.message).toBe('Mastodon refused the post: Validation failed: Text character limit of 500 exceeded')
  })

  it('calls an outcome unknown when Mastodon does not answer in time, and a re-send then posts once', async () => {
    const input = testPublishInput(target, 'Into the void')
    apis.fault('mastodon', { kind: 'create', hang: true, after: 'handle' })
    const started = Date.now()
    const hung = await publishFailure(platform.publish(client, input))
    expect(hung.kind).toBe('unknown')
    expect(Date.now() - started).toBeLessThan(TIMEOUT_MS + 1_000)
    const before = apis.creates('mastodon')
    const ref = await platform.publish(client, input)
    expect(apis.creates('mastodon')).toBe(before)
    expect(apis.findPost('mastodon', ref.postId)?.text).toBe('Into the void')

    apis.fault('mastodon', { kind: 'create', status: 502 })
    expect((await publishFailure(platform.publish(client, testPublishInput(target, 'Down')))).kind).toBe('unknown')
  })
})
