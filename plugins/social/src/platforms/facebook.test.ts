/**
 * The Facebook Pages platform over real HTTP against the Graph mock: the Pages a connection manages,
 * posts with the Page's own token (text with a link, one photo, several photos), finding a post after an
 * unknown outcome, metrics, and the failures the publisher acts on (refresh, reconnect, Graph throttling
 * codes, hang, a Graph validation error).
 */
import { type MockOAuthProvider, startMockOAuthProvider } from '@bizosaas/plugin-connectors/testing'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { type FacebookClient, facebookConnector } from '../connectors/facebook.ts'
import { jpeg, publishInput } from '../test/publish-fixtures.ts'
import {
  type MockSocialApis,
  publishFailure,
  startMockSocialApis,
  type TestConnectorContext,
  testConnectorContext,
} from '../testing/index.ts'
import type { MockGraph } from '../testing/mock-graph.ts'
import type { SocialTarget } from './define.ts'
import { createFacebookPlatform, facebookPlatform } from './facebook.ts'

const TIMEOUT_MS = 800
const platform = createFacebookPlatform({ publishTimeoutMs: TIMEOUT_MS })
const page: SocialTarget = { id: '5001', type: 'page', name: 'Bizoholic' }

let oauth: MockOAuthProvider
let core: MockSocialApis
let graph: MockGraph
let ctx: TestConnectorContext<unknown>
let client: FacebookClient

beforeAll(async () => {
  oauth = await startMockOAuthProvider()
  core = await startMockSocialApis({ oauth })
  graph = core.graph
})
afterAll(async () => {
  await core?.close()
  await oauth?.close()
})
beforeEach(async () => {
  core.reset()
  ctx = await testConnectorContext(facebookConnector, { override: core.connectorOverrides().facebook, oauth })
  client = await facebookConnector.client(ctx)
})

/** Tokens that reached the Page edges: every one must be a Page token the mock issued, never the person's. */
const pageEdgeTokens = () =>
  core.requests.filter((r) => /^\/5001\/(feed|photos|published_posts)/.test(r.path)).map((r) => r.token)

describe('Facebook', () => {
  it('is declared for the facebook connector, settles by lookup, paces publishing', () => {
    expect(facebookPlatform).toMatchObject({ id: 'facebook', connector: 'facebook', settle: 'lookup' })
    expect(facebookConnector.scopes).toEqual(
      expect.arrayContaining(['pages_show_list', 'pages_manage_posts', 'instagram_content_publish']),
    )
  })

  it('tests a connection by naming the person', async () => {
    expect(await facebookConnector.test(client, ctx)).toMatchObject({ ok: true, account: 'Ana Lopez' })
  })

  it('revokes the grant on disconnect: the Page tokens handed out stop working', async () => {
    await platform.targets(client)
    const [pageTokenBefore] = [...graph.pageTokens.keys()].slice(-1)
    await facebookConnector.revoke?.(ctx)
    expect(core.requests.at(-1)).toMatchObject({ method: 'DELETE', path: '/me/permissions', kind: 'auth', status: 200 })
    const res = await client.request('/5001/published_posts', { accessToken: pageTokenBefore })
    expect(res.status).toBe(401)
  })

  it('offers the Pages the person manages', async () => {
    expect(await platform.targets(client)).toEqual([
      {
        id: '5001',
        type: 'page',
        name: 'Bizoholic',
        url: 'https://www.facebook.com/5001',
        avatarUrl: 'https://scontent.example/5001.jpg',
      },
      expect.objectContaining({ id: '5002', type: 'page', name: 'Bizoholic Labs' }),
    ])
  })

  it("posts text with a link to the Page's feed with the Page's own token", async () => {
    const text = 'Our autumn guide is out: https://bizoholic.dev/guide?utm_source=facebook'
    const ref = await platform.publish(client, publishInput(page, { text }))
    expect(ref.postId).toMatch(/^5001_\d+$/)
    expect(ref.url).toBe(`https://www.facebook.com/${ref.postId}`)
    expect(core.findPost('facebook', ref.postId)).toMatchObject({
      author: '5001',
      text,
      media: ['https://bizoholic.dev/guide?utm_source=facebook'],
    })
    expect(core.creates('facebook')).toBe(1)
    const tokens = pageEdgeTokens()
    expect(tokens.length).toBeGreaterThan(0)
    for (const token of tokens) expect(graph.pageTokens.has(token as string)).toBe(true)
    expect(tokens).not.toContain(await ctx.accessToken())
  })

  it('posts one photo with its caption', async () => {
    const ref = await platform.publish(
      client,
      publishInput(page, { text: 'Fresh stock', media: [jpeg('stock.jpg', 'Shelves of new shoes')] }),
    )
    expect(core.findPost('facebook', ref.postId)).toMatchObject({
      text: 'Fresh stock',
      media: ['https://cdn.bizoholic.dev/media/stock.jpg'],
    })
    expect(core.creates('facebook')).toBe(1)
    expect(core.requests.find((r) => r.kind === 'create')?.body).toMatchObject({
      alt_text_custom: 'Shelves of new shoes',
    })
  })

  it('posts several photos as one post (unpublished photos attached to the feed post)', async () => {
    const ref = await platform.publish(
      client,
      publishInput(page, {
        text: 'Three looks',
        media: [jpeg('a.jpg', 'Look A'), jpeg('b.jpg', 'Look B'), jpeg('c.jpg')],
      }),
    )
    expect(core.findPost('facebook', ref.postId)?.media).toEqual([
      'https://cdn.bizoholic.dev/media/a.jpg',
      'https://cdn.bizoholic.dev/media/b.jpg',
      'https://cdn.bizoholic.dev/media/c.jpg',
    ])
    expect(core.requests.filter((r) => r.kind === 'upload')).toHaveLength(3)
    expect(core.creates('facebook')).toBe(1)
    expect(core.posts).toHaveLength(1)
  })

  it('finds a post made during an unknown outcome, and reports none when there is none', async () => {
    const input = publishInput(page, { text: 'Posted while the answer was lost' })
    core.fault('facebook', { kind: 'create', hang: true, after: 'handle' })
    expect((await publishFailure(platform.publish(client, input))).kind).toBe('unknown')
    expect(core.posts).toHaveLength(1)
    expect(await platform.lookup(client, input)).toEqual({
      postId: core.posts[0]?.id,
      url: `https://www.facebook.com/${core.posts[0]?.id}`,
    })
    expect(await platform.lookup(client, publishInput(page, { text: 'Never posted' }))).toBeNull()
  })

  it('reads impressions and clicks from insights, reactions, shares and comments from the post', async () => {
    const ref = await platform.publish(client, publishInput(page))
    const post = core.findPost('facebook', ref.postId)
    expect(await platform.metrics(client, ref, page)).toEqual({
      impressions: post?.metrics.impressions,
      clicks: post?.metrics.clicks,
      likes: post?.metrics.likes,
      reposts: post?.metrics.reposts,
      replies: post?.metrics.replies,
    })
  })

  it('renews an expired token once and posts once', async () => {
    core.fault('facebook', { expireToken: true })
    const ref = await platform.publish(client, publishInput(page))
    expect(ref.postId).toMatch(/^5001_/)
    expect(ctx.refreshes()).toBe(1)
    expect(core.creates('facebook')).toBe(1)
  })

  it('asks for a reconnect when Facebook refuses the login (OAuthException 190) even after a refresh', async () => {
    core.revokeTokens()
    const error = await publishFailure(platform.publish(client, publishInput(page)))
    expect(error.kind).toBe('needs-reconnect')
    expect(error.message).toMatch(/connect Facebook again/)
    expect(error.options.platformCode).toBe('190')
    expect(ctx.refreshes()).toBe(1)
  })

  it('reads Graph throttling codes as a rate limit, with the wait Graph gives', async () => {
    graph.failNext('facebook', {
      kind: 'create',
      code: 32,
      message: '(#32) Page request limit reached',
      regainAccessMinutes: 7,
    })
    const throttled = await publishFailure(platform.publish(client, publishInput(page)))
    expect(throttled).toMatchObject({ kind: 'rate-limited', options: { retryAfterMs: 7 * 60_000, platformCode: '32' } })

    for (const code of [4, 17, 613]) {
      graph.failNext('facebook', { kind: 'create', code, message: `(#${code}) Calls limit reached` })
      const error = await publishFailure(platform.publish(client, publishInput(page)))
      expect(error.kind).toBe('rate-limited')
      expect(error.options.retryAfterMs).toBeGreaterThan(0)
    }

    core.fault('facebook', { kind: 'create', status: 429, retryAfterSeconds: 30 })
    expect(await publishFailure(platform.publish(client, publishInput(page)))).toMatchObject({
      kind: 'rate-limited',
      options: { retryAfterMs: 30_000 },
    })
    expect(core.creates('facebook')).toBe(0)
  })

  it('gives up on a hung call within the timeout as an unknown outcome', async () => {
    core.fault('facebook', { kind: 'create', hang: true })
    const started = Date.now()
    const error = await publishFailure(platform.publish(client, publishInput(page)))
    expect(error.kind).toBe('unknown')
    expect(Date.now() - started).toBeLessThan(TIMEOUT_MS + 1500)
  })

  it('treats a server error or a transient Graph error as an unknown outcome', async () => {
    core.fault('facebook', { kind: 'create', status: 500 })
    expect(await publishFailure(platform.publish(client, publishInput(page)))).toMatchObject({
      kind: 'unknown',
      options: { status: 500 },
    })
    graph.failNext('facebook', {
      kind: 'create',
      code: 2,
      message: 'An unexpected error has occurred. Please retry your request later.',
    })
    expect((await publishFailure(platform.publish(client, publishInput(page)))).kind).toBe('unknown')
  })

  it("passes a Graph validation error on in Facebook's words for people", async () => {
    const error = await publishFailure(platform.publish(client, publishInput(page, { text: '' })))
    expect(error.kind).toBe('rejected')
    expect(error.message).toBe('Facebook refused the post: The post is empty: add text, a link or a photo.')
    expect(error.options.platformCode).toBe('100')
  })

  it('refuses to post to a Page the person no longer manages', async () => {
    const gone: SocialTarget = { id: '5999', type: 'page', name: 'Sold shop' }
    const error = await publishFailure(platform.publish(client, publishInput(gone)))
    expect(error.kind).toBe('rejected')
    expect(error.message).toMatch(/no longer manages the Page 5999/)
  })
})
