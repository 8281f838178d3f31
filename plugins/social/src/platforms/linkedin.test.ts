/**
 * The LinkedIn platform over real HTTP against the LinkedIn mock: who a connection can post as, posts as
 * the member and as an organisation (text, link, images with alt text), finding a post after an unknown
 * outcome, metrics, and every failure the publisher acts on (refresh, reconnect, rate limit, hang, refusal).
 */
import { type MockOAuthProvider, startMockOAuthProvider } from '@bizosaas/plugin-connectors/testing'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { type LinkedInClient, linkedinConnector } from '../connectors/linkedin.ts'
import { jpeg, publishInput } from '../test/publish-fixtures.ts'
import {
  type MockSocialApis,
  publishFailure,
  startMockSocialApis,
  type TestConnectorContext,
  testConnectorContext,
} from '../testing/index.ts'
import type { MockLinkedIn } from '../testing/mock-linkedin.ts'
import type { SocialTarget } from './define.ts'
import { createLinkedInPlatform, linkedinPlatform, toLittleText } from './linkedin.ts'

const TIMEOUT_MS = 800
const platform = createLinkedInPlatform({ publishTimeoutMs: TIMEOUT_MS })

let oauth: MockOAuthProvider
let core: MockSocialApis
let mock: MockLinkedIn
let ctx: TestConnectorContext<unknown>
let client: LinkedInClient
let member: SocialTarget
const organization: SocialTarget = { id: 'urn:li:organization:1001', type: 'organization', name: 'Bizoholic' }

beforeAll(async () => {
  oauth = await startMockOAuthProvider()
  core = await startMockSocialApis({ oauth })
  mock = core.linkedin
  member = { id: `urn:li:person:${mock.member.sub}`, type: 'profile', name: mock.member.name }
})
afterAll(async () => {
  await core?.close()
  await oauth?.close()
})
beforeEach(async () => {
  core.reset()
  ctx = await testConnectorContext(linkedinConnector, { override: core.connectorOverrides().linkedin, oauth })
  client = await linkedinConnector.client(ctx)
})

describe('LinkedIn', () => {
  it('is declared for the linkedin connector, settles by lookup, paces publishing', () => {
    expect(linkedinPlatform).toMatchObject({ id: 'linkedin', connector: 'linkedin', settle: 'lookup' })
    expect(linkedinPlatform.pacing.perAccount.points).toBeGreaterThan(0)
    expect(linkedinConnector.scopes).toEqual(
      expect.arrayContaining([
        'openid',
        'profile',
        'w_member_social',
        'w_organization_social',
        'rw_organization_admin',
      ]),
    )
  })

  it('tests a connection by naming the member', async () => {
    expect(await linkedinConnector.test(client, ctx)).toEqual({
      ok: true,
      message: 'Connected to LinkedIn as Ana Lopez',
      account: 'Ana Lopez',
    })
  })

  it('asks for a reconnect when LinkedIn refuses the connection in its test', async () => {
    core.revokeTokens()
    expect(await linkedinConnector.test(client, ctx)).toEqual({
      ok: false,
      reconnect: true,
      message: 'LinkedIn refused the connection even after a refresh; connect LinkedIn again',
    })
  })

  it('offers the member and the organisations they administer (not those they only analyse)', async () => {
    const targets = await platform.targets(client)
    expect(targets).toEqual([
      expect.objectContaining({ id: 'urn:li:person:m0ck-Member1', type: 'profile', name: 'Ana Lopez' }),
      expect.objectContaining({
        id: 'urn:li:organization:1001',
        type: 'organization',
        name: 'Bizoholic',
        url: 'https://www.linkedin.com/company/bizoholic',
      }),
      expect.objectContaining({ id: 'urn:li:organization:1002', type: 'organization', name: 'Bizoholic Labs' }),
    ])
  })

  it('posts text with a link as the member, escaping LinkedIn markup (not in links or hashtags) so nothing is cut off', async () => {
    const text =
      'New guide (free) for_you: https://bizoholic.dev/guide?utm_source=linkedin&utm_medium=social #smallbusiness'
    const ref = await platform.publish(client, publishInput(member, { text }))
    expect(ref.postId).toMatch(/^urn:li:share:\d+$/)
    expect(ref.url).toBe(`https://www.linkedin.com/feed/update/${ref.postId}`)
    expect(core.creates('linkedin')).toBe(1)
    const stored = core.findPost('linkedin', ref.postId)
    expect(stored).toMatchObject({ author: member.id, text: toLittleText(text) })
    expect(stored?.text).toContain('\\(free\\)')
    expect(stored?.text).toBe(
      'New guide \\(free\\) for\\_you: https://bizoholic.dev/guide?utm_source=linkedin&utm_medium=social #smallbusiness',
    )
  })

  it('ends a link before the punctuation after it', () => {
    expect(toLittleText('Read it (https://bizoholic.dev/a_b).')).toBe('Read it \\(https://bizoholic.dev/a_b\\).')
  })

  it('posts as an organisation with one image and its alt text', async () => {
    const ref = await platform.publish(
      client,
      publishInput(organization, {
        text: 'Our new office',
        media: [jpeg('office.jpg', 'A bright office with plants')],
      }),
    )
    expect(core.findPost('linkedin', ref.postId)).toMatchObject({
      author: organization.id,
      media: [expect.stringMatching(/^urn:li:image:.+\|alt:A bright office with plants$/)],
    })
    expect(core.requests.filter((r) => r.kind === 'upload')).toHaveLength(2) // initialise + PUT bytes
    expect(mock.images.size).toBe(1)
    expect(core.creates('linkedin')).toBe(1)
  })

  it('posts several images as a multi-image post', async () => {
    const ref = await platform.publish(
      client,
      publishInput(organization, {
        text: 'Three looks',
        media: [jpeg('a.jpg', 'Look A'), jpeg('b.jpg', 'Look B'), jpeg('c.jpg')],
      }),
    )
    const stored = core.findPost('linkedin', ref.postId)
    expect(stored?.media).toHaveLength(3)
    expect(stored?.media[1]).toMatch(/\|alt:Look B$/)
    expect(core.creates('linkedin')).toBe(1)
  })

  it('finds a post made during an unknown outcome, and reports none when there is none', async () => {
    const input = publishInput(member, { text: 'Posted while the answer was lost' })
    core.fault('linkedin', { kind: 'create', hang: true, after: 'handle' })
    const error = await publishFailure(platform.publish(client, input))
    expect(error.kind).toBe('unknown')
    expect(core.posts).toHaveLength(1)

    const found = await platform.lookup(client, input)
    expect(found).toEqual({
      postId: core.posts[0]?.id,
      url: `https://www.linkedin.com/feed/update/${core.posts[0]?.id}`,
    })
    expect(await platform.lookup(client, publishInput(member, { text: 'Never posted' }))).toBeNull()
    // A post with the same text made before this attempt was claimed is not this attempt's.
    expect(await platform.lookup(client, { ...input, claimedAt: new Date(Date.now() + 5 * 60_000) })).toBeNull()
  })

  it('reads organisation statistics and member social actions', async () => {
    const orgRef = await platform.publish(client, publishInput(organization))
    const orgPost = core.findPost('linkedin', orgRef.postId)
    expect(await platform.metrics(client, orgRef, organization)).toEqual({
      impressions: orgPost?.metrics.impressions,
      likes: orgPost?.metrics.likes,
      reposts: orgPost?.metrics.reposts,
      replies: orgPost?.metrics.replies,
      clicks: orgPost?.metrics.clicks,
    })
    const memberRef = await platform.publish(client, publishInput(member))
    const memberPost = core.findPost('linkedin', memberRef.postId)
    expect(await platform.metrics(client, memberRef, member)).toEqual({
      likes: memberPost?.metrics.likes,
      replies: memberPost?.metrics.replies,
    })
  })

  it('renews an expired token once and posts once', async () => {
    core.fault('linkedin', { kind: 'create', expireToken: true })
    const ref = await platform.publish(client, publishInput(member))
    expect(ref.postId).toMatch(/^urn:li:share:/)
    expect(ctx.refreshes()).toBe(1)
    expect(core.creates('linkedin')).toBe(1)
  })

  it('asks for a reconnect when the token is refused even after a refresh', async () => {
    core.revokeTokens()
    const error = await publishFailure(platform.publish(client, publishInput(member)))
    expect(error.kind).toBe('needs-reconnect')
    expect(error.message).toMatch(/connect LinkedIn again/)
    expect(ctx.refreshes()).toBe(1)
    expect(core.creates('linkedin')).toBe(0)
  })

  it('reports a rate limit with when to retry', async () => {
    core.fault('linkedin', { kind: 'create', status: 429, retryAfterSeconds: 120 })
    const error = await publishFailure(platform.publish(client, publishInput(member)))
    expect(error).toMatchObject({ kind: 'rate-limited', options: { retryAfterMs: 120_000, status: 429 } })
    expect(core.creates('linkedin')).toBe(0)
  })

  it('gives up on a hung call within the timeout as an unknown outcome', async () => {
    core.fault('linkedin', { kind: 'create', hang: true })
    const started = Date.now()
    const error = await publishFailure(platform.publish(client, publishInput(member)))
    expect(error.kind).toBe('unknown')
    expect(error.message).toMatch(/LinkedIn did not answer within 1 s/)
    expect(Date.now() - started).toBeLessThan(TIMEOUT_MS + 1500)
  })

  it('treats a server error as an unknown outcome', async () => {
    core.fault('linkedin', { kind: 'create', status: 503 })
    const error = await publishFailure(platform.publish(client, publishInput(member)))
    expect(error).toMatchObject({ kind: 'unknown', options: { status: 503 } })
  })

  it("passes LinkedIn's refusal on in plain words", async () => {
    const error = await publishFailure(platform.publish(client, publishInput(member, { text: 'x'.repeat(3001) })))
    expect(error.kind).toBe('rejected')
    expect(error.message).toBe('LinkedIn refused the post: Commentary is too long: 3001 characters, at most 3000')
  })

  it('refuses to post as an organisation the member does not administer', async () => {
    const other: SocialTarget = { id: 'urn:li:organization:1003', type: 'organization', name: 'Other Co' }
    const error = await publishFailure(platform.publish(client, publishInput(other)))
    expect(error.kind).toBe('rejected')
    expect(error.message).toBe('LinkedIn refused the post: Not enough permissions to post as urn:li:organization:1003')
  })

  it('refuses a thread (LinkedIn has none) without calling LinkedIn', async () => {
    const error = await publishFailure(platform.publish(client, publishInput(member, { thread: ['part 2'] })))
    expect(error).toMatchObject({
      kind: 'rejected',
      message: 'LinkedIn refused the post: LinkedIn has no threads; put it in one post',
    })
    expect(core.requests).toHaveLength(0)
  })

  it('refuses video at validation (images only for now)', () => {
    expect(
      platform.validate?.({ text: 'clip', media: [{ mimeType: 'video/mp4', filesize: 1000 }] }).map((i) => i.rule),
    ).toEqual(['media-type'])
  })
})
