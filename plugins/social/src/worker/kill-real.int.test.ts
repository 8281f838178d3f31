/**
 * Exactly once under kill -9 with the REAL platforms: three worker processes publish 200 variants due at
 * once — X (`twitter-api-v2`, settles by looking the post up) and Mastodon (`masto`, settles by
 * Idempotency-Key) through their real connectors and SDKs against the mock social APIs — while workers
 * are killed with SIGKILL mid-burst and restarted. Every answer of the mocks comes a while after the post
 * was made, so kills land between "made at the platform" and "answer received". Every variant ends
 * published, and each platform made exactly one post per variant.
 *
 * Smaller than `kill.int.test.ts` (200, not 500): the real platforms pace each account (Mastodon 30
 * posts per 30 min, X 100 per 15 min) and the mocks have one X and one Mastodon user, so the variants
 * are spread over five tenants (20 per account, under Mastodon's 30 with room for points a killed job
 * took); X's lookup reads the newest 100 posts of the user, so X gets 100 variants at most.
 */
import { randomBytes } from 'node:crypto'
import { until } from '@bizosaas/scripts/test/until'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { PUBLISH_QUEUE } from '../constants.ts'
import { startWorkerFleet, type WorkerFleet } from './fixtures/fleet.ts'
import { type RealPublisherBed, startRealPublisherBed } from './fixtures/real-bed.ts'
import { schedulePublish, stopSocialBoss } from './index.ts'
import { poolOf } from './queue.ts'

const TENANTS = 5
const POSTS_PER_TENANT = 20 // each with an X and a Mastodon variant
const VARIANTS = TENANTS * POSTS_PER_TENANT * 2
let bed: RealPublisherBed
let fleet: WorkerFleet | undefined

beforeAll(async () => {
  // A call may take up to 5 s; a killed worker's jobs come back after 2 × 5 + 10 s.
  bed = await startRealPublisherBed(
    'social_kill_real',
    { publishTimeoutMs: 5_000, superviseIntervalSeconds: 1 },
    { tenants: TENANTS },
  )
}, 300_000)

afterAll(async () => {
  await fleet?.stop()
  await stopSocialBoss(bed?.cms.payload)
  await bed?.close()
})

it('publishes 200 variants on X and Mastodon exactly once while workers are killed and restarted', async () => {
  const text = new Map<number, string>()
  const platformOf = new Map<number, 'x' | 'mastodon'>()
  const run = randomBytes(3).toString('hex')
  for (const tenant of bed.tenants)
    for (let i = 0; i < POSTS_PER_TENANT; i++) {
      const accounts = [tenant.accounts.x, tenant.accounts.mastodon]
      // A text per variant: X refuses a repeated text, and the posts are told apart by it.
      const texts = [`Kill run ${run}: X post ${tenant.id}-${i}`, `Kill run ${run}: Mastodon post ${tenant.id}-${i}`]
      // Made for later, then all moved to now at once (creating the posts takes longer than a due time allows).
      const { variants } = await bed.schedule({
        tenant: tenant.id,
        accounts,
        at: new Date(Date.now() + 3600_000),
        text: (_account, index) => texts[index]!,
      })
      variants.forEach((v, index) => {
        text.set(v, texts[index]!)
        platformOf.set(v, index === 0 ? 'x' : 'mastodon')
      })
    }
  const variants = [...text.keys()]
  expect(variants).toHaveLength(VARIANTS)
  fleet = await startWorkerFleet(3, bed.childEnv)
  const pool = poolOf(bed.cms.payload)
  await pool.query(`DELETE FROM pgboss.job WHERE name = $1`, [PUBLISH_QUEUE])
  await pool.query(`UPDATE social_variants SET scheduled_at = now() WHERE id = ANY($1::int[])`, [variants])
  // Every answer comes 300 ms after the route made the post: kills land between the two.
  bed.apis.answerDelay(300)
  await schedulePublish(bed.cms.payload, variants)

  const counts = async () =>
    Object.fromEntries(
      (
        await pool.query<{ status: string; n: number }>(
          `SELECT status::text AS status, count(*)::int AS n FROM social_variants WHERE id = ANY($1::int[]) GROUP BY 1`,
          [variants],
        )
      ).rows.map((r) => [r.status, r.n]),
    ) as Record<string, number>
  // Kill a worker every second while the burst lasts (up to 6 kills), each replaced at once.
  let kills = 0
  while (kills < 6 && ((await counts()).published ?? 0) < VARIANTS * 0.9) {
    await new Promise((r) => setTimeout(r, 1_000))
    await fleet.killAndRestart(kills % 3)
    kills += 1
  }
  await fleet.ready()
  const final = await until(
    'every variant to settle',
    async () => {
      const c = await counts()
      return (c.published ?? 0) + (c.failed ?? 0) + (c.unconfirmed ?? 0) === VARIANTS && c
    },
    240_000,
  )
  expect(kills).toBeGreaterThanOrEqual(3)
  expect(final).toEqual({ published: VARIANTS })

  // Exactly one post per variant at the platform it was meant for, and nothing else made.
  const postsOf = (variant: number) =>
    bed.apis.posts.filter((p) => p.platform === platformOf.get(variant) && p.text === text.get(variant))
  expect(variants.filter((v) => postsOf(v).length !== 1)).toEqual([])
  const perPlatform = VARIANTS / 2
  expect(bed.apis.creates('x')).toBe(perPlatform)
  expect(bed.apis.creates('mastodon')).toBe(perPlatform)
  expect(bed.apis.posts.filter((p) => p.platform === 'x')).toHaveLength(perPlatform)
  const keys = bed.apis.posts.filter((p) => p.platform === 'mastodon').map((p) => p.idempotencyKey)
  expect(new Set(keys).size).toBe(perPlatform)
  expect(keys.every(Boolean)).toBe(true)

  // The kills did interrupt calls: some variants were taken over (a later attempt settled them).
  const { rows } = await pool.query<{ platform: string; n: number }>(
    `SELECT platform::text AS platform, count(*)::int AS n FROM social_variants
      WHERE id = ANY($1::int[]) AND attempt > 1 GROUP BY 1`,
    [variants],
  )
  console.log(`kill-real: ${kills} kills; variants taken over: ${JSON.stringify(rows)}`)
  expect(rows.reduce((n, r) => n + r.n, 0)).toBeGreaterThan(0)
}, 600_000)
