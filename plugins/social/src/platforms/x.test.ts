/**
 * The X platform over real HTTP: twitter-api-v2 (its requests through the connection's fetch) against
 * the mock X API, with tokens from the mock OAuth provider's real consent and refresh. Publishing
 * (single, thread, image with alt), the connected account, finding a post after an unknown outcome,
 * metrics, and each failure as the publisher sees it.
 */
import { type MockOAuthProvider, startMockOAuthProvider } from '@bizosaas/plugin-connectors/testing'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import {
  MOCK_X_ACCOUNT,
  type MockSocialApis,
  publishFailure,
  startMockSocialApis,
  testConnectorContext,
  testImage,
  testPublishInput,
} from '../testing/index.ts'
import type { SocialTarget } from './define.ts'
import { createXPlatform, type XClient, xConnector } from './x.ts'

const TIMEOUT_MS = 1_000
const platform = createXPlatform({ timeoutMs: TIMEOUT_MS })

let oauth: MockOAuthProvider
let apis: MockSocialApis
let client: XClient
let refreshes: () => number
let target: SocialTarget

const connect = async () => {
  const ctx = await testConnectorContext(xConnector, { override: apis.connectorOverrides().x, oauth })
  return { ctx, client: await xConnector.client(ctx) }
}

beforeAll(async () => {
  oauth = await startMockOAuthProvider()
  apis = await startMockSocialApis({ oauth })
  const connected = await connect()
  client = connected.client
  refreshes = connected.ctx.refreshes
  ;[target] = (await platform.targets(client)) as [SocialTarget]
})
afterEach(() => apis.clearFaults())
afterAll(async () => {
  await apis?.close()
  await oauth?.close()
})

describe('X', () => {
  it('names the connected account as the one target, and the connection test says who it is', async () => {
    expect(target).toEqual({
      id: MOCK_X_ACCOUNT.id,
      type: 'profile',
      name: MOCK_X_ACCOUNT.name,
      handle: `@${MOCK_X_ACCOUNT.username}`,
      url: `https://x.com/${MOCK_X_ACCOUNT.username}`,
      avatarUrl: MOCK_X_ACCOUNT.profileImageUrl,
    })
    const { ctx } = await connect()
    expect(await xConnector.test(await xConnector.client(ctx), ctx)).toMatchObject({
      ok: true,
      message: `Connected to X as @${MOCK_X_ACCOUNT.username}`,
    })
  })

  it('publishes a post and links to it on x.com', async () => {
    const before = apis.creates('x')
    const ref = await platform.publish(client, testPublishInput(target, 'Spring sale starts today 🌷'))
    expect(apis.creates('x')).toBe(before + 1)
    expect(ref.url).toBe(`https://x.com/${MOCK_X_ACCOUNT.username}/status/${ref.postId}`)
    expect(apis.findPost('x', ref.postId)).toMatchObject({ text: 'Spring sale starts today 🌷', author: target.id })
    expect(ref.threadIds).toBeUndefined()
  })

  it('publishes a thread as a chain of replies', async () => {
    const before = apis.creates('x')
    const ref = await platform.publish(
      client,
      testPublishInput(target, 'How we ship 1/3', { thread: ['Plan small 2/3', 'Ship daily 3/3'] }),
    )
    expect(apis.creates('x')).toBe(before + 3)
    expect(ref.threadIds).toHaveLength(2)
    const [second, third] = ref.threadIds as [string, string]
    expect(apis.findPost('x', second)).toMatchObject({ text: 'Plan small 2/3', replyTo: ref.postId })
    expect(apis.findPost('x', third)).toMatchObject({ text: 'Ship daily 3/3', replyTo: second })
  })

  it('uploads an image with its alt text and attaches it', async () => {
    const ref = await platform.publish(
      client,
      testPublishInput(target, 'Our new shop front', { media: [testImage('A blue shop front at dusk')] }),
    )
    const post = apis.findPost('x', ref.postId)
    expect(post?.media).toHaveLength(1)
    const media = apis.x.media.get(post?.media[0] as string)
    expect(media).toMatchObject({ mimeType: 'image/png', finalized: true, alt: 'A blue shop front at dusk' })
    expect(media?.received).toBe(media?.totalBytes)
  })

  it('finds a post made for the variant after an unknown outcome, and nothing when there is none', async () => {
    // X shortens links to t.co and escapes & in what it returns: the lookup compares what was written.
    const text = 'Read the story & more: https://shop.example/blog/story?utm_source=x&utm_medium=social'
    const input = testPublishInput(target, text, { thread: ['And a second part'] })
    const ref = await platform.publish(client, input)
    expect(await platform.lookup(client, input)).toEqual(ref)
    expect(await platform.lookup(client, testPublishInput(target, 'Never posted'))).toBeNull()
    // Only posts made since the attempt was claimed count.
    expect(await platform.lookup(client, { ...input, claimedAt: new Date(Date.now() + 3_600_000) })).toBeNull()
  })

  it('reads impressions, likes, reposts (retweets + quotes), replies and link clicks', async () => {
    const ref = await platform.publish(client, testPublishInput(target, 'Metrics, please'))
    const stored = apis.findPost('x', ref.postId)?.metrics
    expect(await platform.metrics(client, ref, target)).toEqual({
      impressions: stored?.impressions,
      likes: stored?.likes,
      reposts: stored?.reposts,
      replies: stored?.replies,
      clicks: stored?.clicks,
    })
  })

  it('refreshes an expired token once and posts once', async () => {
    const before = { creates: apis.creates('x'), refreshes: refreshes(), tokenCalls: oauth.count('token') }
    oauth.expireAccessTokens()
    const ref = await platform.publish(client, testPublishInput(target, 'After the token expired'))
    expect(apis.findPost('x', ref.postId)).toBeDefined()
    expect(apis.creates('x')).toBe(before.creates + 1)
    expect(refreshes()).toBe(before.refreshes + 1)
    expect(oauth.count('token', 'refresh_token')).toBe(1)
  })

  it('needs a reconnect when X refuses even the renewed token, after exactly one refresh', async () => {
    const { ctx, client: refused } = await connect()
    const before = apis.creates('x')
    apis.fault('x', { kind: 'create', expireToken: true, times: 2 })
    const error = await publishFailure(platform.publish(refused, testPublishInput(target, 'Refused twice')))
    expect(error.kind).toBe('needs-reconnect')
    expect(error.message).toMatch(/^X refused the account's sign-in even after renewing it/)
    expect(ctx.refreshes()).toBe(1)
    expect(apis.creates('x')).toBe(before)
  })

  it('needs a reconnect when X refuses the grant', async () => {
    const { ctx, client: revoked } = await connect()
    oauth.revokeGrants({ clientId: ctx.clientId })
    const error = await publishFailure(platform.publish(revoked, testPublishInput(target, 'Nobody will see this')))
    expect(error.kind).toBe('needs-reconnect')
    expect(error.message).toMatch(/^X needs the account connected again/)
  })

  it('is rate-limited on 429, with the wait X asked for, and nothing posted', async () => {
    const before = apis.creates('x')
    apis.fault('x', { kind: 'create', status: 429, retryAfterSeconds: 30 })
    const error = await publishFailure(platform.publish(client, testPublishInput(target, 'Too fast')))
    expect(error).toMatchObject({ kind: 'rate-limited', options: { retryAfterMs: 30_000, status: 429 } })
    expect(error.message).toMatch(/^X is limiting how fast this account may post/)
    expect(apis.creates('x')).toBe(before)
  })

  it('refuses a duplicate post in X’s own words', async () => {
    await platform.publish(client, testPublishInput(target, 'Said once'))
    const error = await publishFailure(platform.publish(client, testPublishInput(target, 'Said once')))
    expect(error.kind).toBe('rejected')
    expect(error.message).toBe('X refused the post: You are not allowed to create a Tweet with duplicate content.')
  })

  it('calls an outcome unknown when X does not answer in time, or fails with a 5xx', async () => {
    apis.fault('x', { kind: 'create', hang: true })
    const started = Date.now()
    const hung = await publishFailure(platform.publish(client, testPublishInput(target, 'Into the void')))
    expect(hung.kind).toBe('unknown')
    expect(Date.now() - started).toBeLessThan(TIMEOUT_MS + 1_000)
    expect(hung.message).toMatch(/^X did not answer in time/)

    apis.fault('x', { kind: 'create', status: 503 })
    expect((await publishFailure(platform.publish(client, testPublishInput(target, 'Down')))).kind).toBe('unknown')
  })

  it('settles an unknown outcome that did post by finding the post', async () => {
    const input = testPublishInput(target, 'Posted, but X never said so')
    apis.fault('x', { kind: 'create', hang: true, after: 'handle' })
    expect((await publishFailure(platform.publish(client, input))).kind).toBe('unknown')
    const found = await platform.lookup(client, input)
    expect(found?.postId).toBeDefined()
    expect(apis.findPost('x', found?.postId as string)?.text).toBe('Posted, but X never said so')
  })

  it('reports a thread that stopped part-way as unknown (its first parts are up)', async () => {
    const before = apis.creates('x')
    const input = testPublishInput(target, 'Part one of two', { thread: ['Part two of two'] })
    // The second part's request is refused: the fault is set just before it is sent.
    let calls = 0
    const original = client.api
    const flaky: XClient = {
      ...client,
      api: (signal) => {
        calls += 1
        if (calls === 2) apis.fault('x', { kind: 'create', status: 400 })
        return original(signal)
      },
    }
    const error = await publishFailure(platform.publish(flaky, input))
    expect(error.kind).toBe('unknown')
    expect(error.message).toMatch(/^X published 1 part of the thread, then: X refused the post/)
    expect(apis.creates('x')).toBe(before + 1)
  })
})
