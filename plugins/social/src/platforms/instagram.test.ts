/**
 * The Instagram platform over real HTTP against the Graph mock (logged as `instagram` under `/graph-ig`):
 * the business accounts linked to the person's Pages, a single image and a carousel (containers, then one
 * `media_publish`), finding a post after an unknown outcome, metrics, and the failures the publisher acts
 * on (refresh, throttling, hang, a media Instagram cannot take).
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
import { createInstagramPlatform, instagramPlatform } from './instagram.ts'

const TIMEOUT_MS = 800
const platform = createInstagramPlatform({ publishTimeoutMs: TIMEOUT_MS })
const account: SocialTarget = {
  id: '17841400000000001',
  type: 'business',
  name: 'bizoholic',
  handle: 'bizoholic',
  url: 'https://www.instagram.com/bizoholic/',
}

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

describe('Instagram', () => {
  it('posts with the facebook connector, settles by lookup, requires media', () => {
    expect(instagramPlatform).toMatchObject({ id: 'instagram', connector: 'facebook', settle: 'lookup' })
    expect(instagramPlatform.rules.media.required).toBe(true)
  })

  it('offers the business accounts linked to the Pages (Pages without one are left out)', async () => {
    expect(await platform.targets(client)).toEqual([
      {
        id: '17841400000000001',
        type: 'business',
        name: 'bizoholic',
        handle: 'bizoholic',
        url: 'https://www.instagram.com/bizoholic/',
        avatarUrl: 'https://scontent.example/ig-17841400000000001.jpg',
      },
    ])
    expect(core.requests.every((r) => r.platform === 'instagram')).toBe(true)
  })

  it('posts one image with its caption and alt text; only media_publish counts as a create', async () => {
    const ref = await platform.publish(
      client,
      publishInput(account, {
        text: 'New in: linen shirts #summer',
        media: [jpeg('shirt.jpg', 'A white linen shirt')],
      }),
    )
    expect(ref.url).toBe(`https://www.instagram.com/p/${ref.postId}/`)
    expect(core.findPost('instagram', ref.postId)).toMatchObject({
      author: account.id,
      text: 'New in: linen shirts #summer',
      media: ['https://cdn.bizoholic.dev/media/shirt.jpg|alt:A white linen shirt'],
    })
    expect(core.creates('instagram')).toBe(1)
    expect(core.creates('facebook')).toBe(0)
    expect(core.requests.filter((r) => r.method === 'POST' && r.kind === 'other')).toHaveLength(1) // the container
  })

  it('posts several images as one carousel', async () => {
    const ref = await platform.publish(
      client,
      publishInput(account, {
        text: 'Three looks',
        media: [jpeg('a.jpg', 'Look A'), jpeg('b.jpg', 'Look B'), jpeg('c.jpg', 'Look C')],
      }),
    )
    expect(core.findPost('instagram', ref.postId)?.media).toEqual([
      'https://cdn.bizoholic.dev/media/a.jpg|alt:Look A',
      'https://cdn.bizoholic.dev/media/b.jpg|alt:Look B',
      'https://cdn.bizoholic.dev/media/c.jpg|alt:Look C',
    ])
    expect(core.creates('instagram')).toBe(1)
    expect(core.posts).toHaveLength(1)
  })

  it('waits while Instagram processes the image, then publishes', async () => {
    graph.processContainers(2)
    try {
      const waiting = createInstagramPlatform({
        publishTimeoutMs: 5_000,
        containerPoll: { intervalMs: 20, attempts: 5 },
      })
      const ref = await waiting.publish(client, publishInput(account, { media: [jpeg('slow.jpg')] }))
      expect(core.findPost('instagram', ref.postId)).toBeDefined()
      expect(core.requests.filter((r) => r.path.includes('fields=status_code'))).toHaveLength(3)
    } finally {
      graph.processContainers(0)
    }
  })

  it('refuses the post, making nothing, when Instagram cannot process the image', async () => {
    graph.processContainers('error')
    try {
      const error = await publishFailure(
        platform.publish(client, publishInput(account, { media: [jpeg('broken.jpg')] })),
      )
      expect(error.kind).toBe('rejected')
      expect(error.message).toBe('Instagram refused the post: it could not process the post (ERROR)')
      expect(core.creates('instagram')).toBe(0)
    } finally {
      graph.processContainers(0)
    }
  })

  it('finds a post made during an unknown outcome, and reports none when there is none', async () => {
    const input = publishInput(account, { text: 'Posted while the answer was lost', media: [jpeg('x.jpg')] })
    core.fault('instagram', { kind: 'create', hang: true, after: 'handle' })
    expect((await publishFailure(platform.publish(client, input))).kind).toBe('unknown')
    expect(core.posts).toHaveLength(1)
    expect(await platform.lookup(client, input)).toEqual({
      postId: core.posts[0]?.id,
      url: `https://www.instagram.com/p/${core.posts[0]?.id}/`,
    })
    expect(await platform.lookup(client, publishInput(account, { text: 'Never posted' }))).toBeNull()
  })

  it('reads impressions, likes, comments and shares from insights', async () => {
    const ref = await platform.publish(client, publishInput(account, { media: [jpeg('m.jpg')] }))
    const post = core.findPost('instagram', ref.postId)
    expect(await platform.metrics(client, ref, account)).toEqual({
      impressions: post?.metrics.impressions,
      likes: post?.metrics.likes,
      replies: post?.metrics.replies,
      reposts: post?.metrics.reposts,
    })
  })

  it('renews an expired token once and posts once', async () => {
    core.fault('instagram', { kind: 'create', expireToken: true })
    await platform.publish(client, publishInput(account, { media: [jpeg('r.jpg')] }))
    expect(ctx.refreshes()).toBe(1)
    expect(core.creates('instagram')).toBe(1)
  })

  it('reads a throttled publish as a rate limit; nothing is posted', async () => {
    graph.failNext('instagram', {
      kind: 'create',
      code: 4,
      message: '(#4) Application request limit reached',
      status: 403,
    })
    const error = await publishFailure(platform.publish(client, publishInput(account, { media: [jpeg('t.jpg')] })))
    expect(error).toMatchObject({ kind: 'rate-limited', options: { platformCode: '4' } })
    expect(error.options.retryAfterMs).toBeGreaterThan(0)
    expect(core.creates('instagram')).toBe(0)
  })

  it('gives up on a hung media_publish within the timeout as an unknown outcome', async () => {
    core.fault('instagram', { kind: 'create', hang: true })
    const started = Date.now()
    const error = await publishFailure(platform.publish(client, publishInput(account, { media: [jpeg('h.jpg')] })))
    expect(error.kind).toBe('unknown')
    expect(Date.now() - started).toBeLessThan(TIMEOUT_MS + 1500)
  })

  it('passes on, in plain words, why Instagram could not take an image', async () => {
    const png = { ...jpeg('logo.png'), url: 'https://cdn.bizoholic.dev/media/logo.png', mimeType: 'image/png' }
    const error = await publishFailure(platform.publish(client, publishInput(account, { media: [png] })))
    expect(error.kind).toBe('rejected')
    expect(error.message).toBe(
      'Instagram refused the post: The media could not be fetched from this uri: https://cdn.bizoholic.dev/media/logo.png. Instagram takes JPEG images at a public address.',
    )
    expect(core.creates('instagram')).toBe(0)
  })

  it('refuses a post without media before calling Instagram', async () => {
    const error = await publishFailure(platform.publish(client, publishInput(account)))
    expect(error).toMatchObject({ kind: 'rejected', message: 'Instagram refused the post: it needs an image' })
    expect(core.requests).toHaveLength(0)
  })
})
