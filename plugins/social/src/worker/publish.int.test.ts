/**
 * The publisher in a real CMS (Payload on its own migrated PostgreSQL, real pg-boss, the connectors'
 * runtime against the mock OAuth provider, the test platforms over the mock social core): at the
 * scheduled time and not before, threads and media, a token expiring mid-publish refreshed once, a hang
 * left unconfirmed and never re-sent, rate limits waited out, one failure not stopping the others, a
 * worker's crash settled by key and by lookup, metrics, and the check/confirm/republish endpoints.
 */
import { DEMO_PASSWORD } from '@bizosaas/cms/seed'
import { until } from '@bizosaas/scripts/test/until'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { PUBLISH_QUEUE } from '../constants.ts'
import { claimVariant, selectVariant } from '../sql.ts'
import { type PublisherBed, startPublisherBed } from './fixtures/harness.ts'
import { idempotencyKeyOf, type SocialWorker, startSocialWorker, unschedulePublish } from './index.ts'
import { poolOf, socialBossOf, stopSocialBoss } from './queue.ts'

let bed: PublisherBed
let worker: SocialWorker
let connection: number
const accounts: Record<string, number> = {}
const tokens: Record<string, string> = {}

interface VariantDoc {
  id: number
  status: string
  error?: string | null
  errorCode?: string | null
  platformPostId?: string | null
  platformUrl?: string | null
  threadIds?: string[] | null
  publishedAt?: string | null
  attempt?: number | null
  metrics?: Record<string, number | null> | null
  metricsHistory?: { window: string }[] | null
}

const variant = async (id: number) =>
  (await bed.cms.payload.findByID({
    collection: 'social-variants' as never,
    id,
    depth: 0,
    overrideAccess: true,
  })) as unknown as VariantDoc
const post = async (id: number) =>
  (await bed.cms.payload.findByID({
    collection: 'social-posts' as never,
    id,
    depth: 0,
    overrideAccess: true,
  })) as unknown as {
    status: string
    metrics?: Record<string, number | null>
  }
const settled = (id: number, statuses = ['published', 'failed', 'unconfirmed'], ms = 30_000) =>
  until(
    `variant ${id} to settle`,
    async () => {
      const doc = await variant(id)
      return statuses.includes(doc.status) && doc
    },
    ms,
  )
/** The post's status once the worker has rolled it up (it follows the variant's own update). */
const postStatus = (id: number, expected: string) =>
  until(`post ${id} to be ${expected}`, async () => (await post(id)).status === expected && expected, 10_000)
const soon = (ms = 1_500) => new Date(Date.now() + ms)
/** The posts the platform made for a variant (every thread part counts; a repeated key makes none). */
const createsFor = (variantId: string) => bed.apis.postsOf(variantId)

beforeAll(async () => {
  bed = await startPublisherBed('social_publish', { metricsWindows: { '1d': 2, '7d': 4 }, metricsRetryDelaySeconds: 1 })
  connection = await bed.connect()
  for (const platform of ['mastodon', 'bluesky'] as const) accounts[platform] = await bed.account(platform, connection)
  accounts.mastodon2 = await bed.account('mastodon', connection)
  worker = await startSocialWorker(bed.cms.payload)
  for (const email of ['manager@bizoholic.dev', 'client@bizoholic.dev', 'manager@coreldove.dev'])
    tokens[email] = await bed.cms.login(email, DEMO_PASSWORD)
})

afterAll(async () => {
  await worker?.stop({ graceMs: 1_000 })
  await stopSocialBoss(bed?.cms.payload)
  await bed?.close()
})

describe('publishing', () => {
  it('posts at the scheduled time, not before, with its thread and attachment, exactly once', async () => {
    const media = (
      await bed.cms.payload.find({ collection: 'media', where: { tenant: { equals: bed.tenant } }, limit: 1 })
    ).docs[0]!
    const at = soon(2_000)
    const { post: postId, variants } = await bed.schedule({
      accounts: [accounts.mastodon!],
      at,
      thread: ['Part two', 'Part three'],
      media: [media.id as number],
    })
    // Still scheduled just before its minute.
    await new Promise((r) => setTimeout(r, 1_000))
    expect((await variant(variants[0]!)).status).toBe('scheduled')
    const doc = await settled(variants[0]!)
    expect(doc.status).toBe('published')
    const creates = createsFor(String(variants[0]))
    expect(creates).toHaveLength(3) // the post and two replies
    expect(Math.min(...creates.map((c) => c.createdAt))).toBeGreaterThanOrEqual(at.getTime())
    expect(doc.threadIds).toHaveLength(2)
    expect(doc.platformUrl).toMatch(/^https:\/\/mastodon\.test\/p\//)
    expect(bed.core.requests.filter((r) => r.kind === 'upload' && r.platform === 'mastodon')).toHaveLength(1)
    const stored = bed.core.findPost('mastodon', doc.platformPostId!)!
    expect(stored.media).toHaveLength(1)
    expect(await postStatus(postId, 'published')).toBe('published')
  })

  it('refreshes a token that expired before the call once, and publishes', async () => {
    const refreshes = bed.oauth.count('token', 'refresh_token')
    const { variants } = await bed.schedule({ accounts: [accounts.bluesky!], at: soon() })
    bed.oauth.expireAccessTokens()
    const doc = await settled(variants[0]!)
    expect(doc.status).toBe('published')
    expect(bed.oauth.count('token', 'refresh_token')).toBe(refreshes + 1)
    expect(createsFor(String(variants[0]))).toHaveLength(1)
  })

  it('a hang after the platform made the post: unconfirmed, never re-sent; check finds it', async () => {
    bed.core.fault('bluesky', { kind: 'create', hang: true, after: 'handle' })
    const { post: postId, variants } = await bed.schedule({ accounts: [accounts.bluesky!], at: soon() })
    const doc = await settled(variants[0]!)
    expect(doc.status).toBe('unconfirmed')
    expect(doc.error).toMatch(/Bluesky did not answer within 2 s.*may or may not be on Bluesky/)
    expect(await postStatus(postId, 'unconfirmed')).toBe('unconfirmed')
    // Well past the expiry and a sweep: nothing sent again.
    await new Promise((r) => setTimeout(r, 6_000))
    expect(createsFor(String(variants[0]))).toHaveLength(1)
    expect((await variant(variants[0]!)).status).toBe('unconfirmed')

    const manager = tokens['manager@bizoholic.dev']
    // Republishing an unconfirmed variant needs the person's word that it is not there.
    const refused = await bed.cms.rest.post(
      `/social/variants/${variants[0]}/republish`,
      { tenant: bed.tenant },
      manager,
    )
    expect(refused.status).toBe(409)
    expect(String(refused.body.error)).toMatch(/Check Bluesky first/)
    // Other tenants' managers and clients cannot act on it.
    const stranger = await bed.cms.rest.post(
      `/social/variants/${variants[0]}/check`,
      { tenant: bed.otherTenant },
      tokens['manager@coreldove.dev'],
    )
    expect(stranger.status).toBe(404)
    const client = await bed.cms.rest.post(
      `/social/variants/${variants[0]}/check`,
      { tenant: bed.tenant },
      tokens['client@bizoholic.dev'],
    )
    expect(client.status).toBe(403)

    const checked = await bed.cms.rest.post(`/social/variants/${variants[0]}/check`, { tenant: bed.tenant }, manager)
    expect(checked.status).toBe(200)
    expect(checked.body.found).toBe(true)
    const after = await variant(variants[0]!)
    expect(after.status).toBe('published')
    expect(bed.core.findPost('bluesky', after.platformPostId!)).toBeDefined()
    expect(await postStatus(postId, 'published')).toBe('published')
    expect(createsFor(String(variants[0]))).toHaveLength(1)
  })

  it('a 5xx: unconfirmed; the person confirms it with its address, or republishes when it is not there', async () => {
    bed.core.fault('mastodon', { kind: 'create', status: 503 })
    bed.core.fault('mastodon', { kind: 'create', status: 502 })
    const { variants } = await bed.schedule({ accounts: [accounts.mastodon!, accounts.mastodon2!], at: soon() })
    const [a, b] = await Promise.all(variants.map((v) => settled(v)))
    expect([a!.status, b!.status]).toEqual(['unconfirmed', 'unconfirmed'])
    const manager = tokens['manager@bizoholic.dev']
    const confirmed = await bed.cms.rest.post(
      `/social/variants/${a!.id}/confirm`,
      { tenant: bed.tenant, url: 'https://mastodon.test/p/by-hand' },
      manager,
    )
    expect(confirmed.status).toBe(200)
    expect((await variant(a!.id)).platformUrl).toBe('https://mastodon.test/p/by-hand')
    expect((await variant(a!.id)).status).toBe('published')
    const republished = await bed.cms.rest.post(
      `/social/variants/${b!.id}/republish`,
      { tenant: bed.tenant, confirmNotPosted: true },
      manager,
    )
    expect(republished.status).toBe(200)
    const doc = await settled(b!.id)
    expect(doc.status).toBe('published')
    expect(createsFor(String(b!.id))).toHaveLength(1)
    // A published variant is not republished.
    const again = await bed.cms.rest.post(`/social/variants/${b!.id}/republish`, { tenant: bed.tenant }, manager)
    expect(again.status).toBe(409)
  })

  it('a rate-limited variant waits and then publishes (never fails for it)', async () => {
    bed.core.fault('mastodon', { kind: 'create', status: 429, retryAfterSeconds: 2 })
    const { variants } = await bed.schedule({ accounts: [accounts.mastodon!], at: soon() })
    const started = Date.now()
    const doc = await settled(variants[0]!)
    expect(doc.status).toBe('published')
    expect(Date.now() - started).toBeGreaterThanOrEqual(2_000)
    expect(createsFor(String(variants[0]))).toHaveLength(1)
  })

  it('one refused variant fails with the platform’s words; the others publish', async () => {
    bed.core.fault('bluesky', { kind: 'create', status: 400 })
    const { post: postId, variants } = await bed.schedule({
      accounts: [accounts.bluesky!, accounts.mastodon!, accounts.mastodon2!],
      at: soon(),
    })
    const docs = await Promise.all(variants.map((v) => settled(v)))
    expect(docs.map((d) => d!.status)).toEqual(['failed', 'published', 'published'])
    expect(docs[0]!.error).toMatch(/^Bluesky refused the post/)
    expect(await postStatus(postId, 'failed')).toBe('failed')
  })

  it('a connection that needs reconnecting fails the variant with what to do', async () => {
    const other = await bed.connect()
    const account = await bed.account('mastodon', other)
    const { variants } = await bed.schedule({ accounts: [account], at: soon(2_500) })
    await poolOf(bed.cms.payload).query(`UPDATE connections SET status = 'needs-reconnect' WHERE id = $1`, [other])
    const doc = await settled(variants[0]!)
    expect(doc.status).toBe('failed')
    expect(doc.error).toMatch(/reconnect Mastodon under Integrations/)
  })

  it('collects metrics after each window into the variant, its history and the post’s totals', async () => {
    const { post: postId, variants } = await bed.schedule({ accounts: [accounts.bluesky!], at: soon() })
    await settled(variants[0]!)
    const doc = await until(
      'both metrics readings',
      async () => {
        const v = await variant(variants[0]!)
        return (v.metricsHistory?.length ?? 0) >= 2 && v
      },
      30_000,
    )
    const stored = bed.core.findPost('bluesky', doc.platformPostId!)!
    expect(doc.metrics?.impressions).toBe(stored.metrics.impressions)
    expect(doc.metricsHistory!.map((h) => h.window).sort()).toEqual(['1d', '7d'])
    expect((await post(postId)).metrics?.likes).toBe(stored.metrics.likes)
  })
  it('a connection gone before the metrics are read leaves a note saying what to do; the post stays published', async () => {
    const other = await bed.connect()
    const account = await bed.account('bluesky', other)
    const { variants } = await bed.schedule({ accounts: [account], at: soon() })
    expect((await settled(variants[0]!)).status).toBe('published')
    await poolOf(bed.cms.payload).query(`UPDATE connections SET status = 'needs-reconnect' WHERE id = $1`, [other])
    const doc = await until(
      'the metrics note',
      async () => {
        const v = await variant(variants[0]!)
        return v.errorCode === 'metrics' && v
      },
      30_000,
    )
    expect(doc.status).toBe('published')
    expect(doc.error).toMatch(
      /Metrics \((?:1d|7d)\) could not be read: Bluesky is not connected any more — reconnect Bluesky under Integrations/,
    )
  })
})

describe('a worker killed mid-call', () => {
  /** Leaves the variant as a dead worker would: claimed (publishing) long enough ago, maybe with the post made. */
  async function interrupted(platform: 'mastodon' | 'bluesky', postedBeforeDeath: boolean) {
    const account = accounts[platform]!
    const { variants } = await bed.schedule({ accounts: [account], at: soon(60_000) })
    const id = variants[0]!
    const pool = poolOf(bed.cms.payload)
    await pool.query(`UPDATE social_variants SET scheduled_at = now() - interval '1 minute' WHERE id = $1`, [id])
    // Claimed by "the dead worker"; its job expired and is retried now (what pg-boss does after a kill -9).
    const claimed = (await claimVariant(pool, id))!
    if (postedBeforeDeath) {
      const doc = (await bed.cms.payload.findByID({
        collection: 'social-variants' as never,
        id,
        depth: 0,
        overrideAccess: true,
      })) as unknown as { text: string }
      const target = (await bed.cms.payload.findByID({
        collection: 'social-accounts' as never,
        id: account,
        depth: 0,
        overrideAccess: true,
      })) as unknown as { targetId: string }
      bed.core.addPost({
        platform,
        author: target.targetId,
        text: doc.text,
        media: [],
        idempotencyKey: platform === 'mastodon' ? `${idempotencyKeyOf(id)}:0` : undefined,
      })
    }
    await pool.query(`UPDATE social_variants SET claimed_at = now() - interval '10 seconds' WHERE id = $1`, [id])
    await unschedulePublish(bed.cms.payload, [id])
    await (await socialBossOf(bed.cms.payload)).send(PUBLISH_QUEUE, { variant: id }, { singletonKey: String(id) })
    return { id, attempt: claimed.attempt }
  }

  it('lookup platform: finds the post the dead worker made, and sends nothing', async () => {
    const { id } = await interrupted('bluesky', true)
    const before = bed.core.creates('bluesky')
    const doc = await settled(id, ['published', 'failed', 'unconfirmed'], 40_000)
    expect(doc.status).toBe('published')
    expect(bed.core.creates('bluesky')).toBe(before)
    expect((await selectVariant(poolOf(bed.cms.payload), id))!.attempt).toBe(2)
  })

  it('lookup platform: the platform has none, so it is sent once', async () => {
    const { id } = await interrupted('bluesky', false)
    const doc = await settled(id, ['published', 'failed', 'unconfirmed'], 40_000)
    expect(doc.status).toBe('published')
    expect(createsFor(String(id))).toHaveLength(1)
  })

  it('key platform: re-sent under the same key, which answers the first post', async () => {
    const { id } = await interrupted('mastodon', true)
    const before = bed.core.creates('mastodon')
    const doc = await settled(id, ['published', 'failed', 'unconfirmed'], 40_000)
    expect(doc.status).toBe('published')
    expect(bed.core.creates('mastodon')).toBe(before)
  })
})
