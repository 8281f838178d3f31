/**
 * Exactly once under kill -9: three worker processes publish 500 variants due at once across ten accounts
 * on two platforms (one settling by idempotency key, one by lookup), while workers are killed with
 * SIGKILL mid-burst — many of them between the platform making the post and the answer — and restarted.
 * Every variant ends published, and the platforms made exactly one post per variant.
 */
import { until } from '@bizosaas/scripts/test/until'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { PUBLISH_QUEUE } from '../constants.ts'
import { startWorkerFleet, type WorkerFleet } from './fixtures/fleet.ts'
import { type PublisherBed, startPublisherBed } from './fixtures/harness.ts'
import { schedulePublish, stopSocialBoss } from './index.ts'
import { poolOf } from './queue.ts'

const VARIANTS = 500
const ACCOUNTS = 10
let bed: PublisherBed
let fleet: WorkerFleet | undefined

beforeAll(async () => {
  // A call may take up to 5 s; a killed worker's jobs come back after 2 × 5 + 10 s.
  bed = await startPublisherBed('social_kill', { publishTimeoutMs: 5_000, superviseIntervalSeconds: 1 })
})

afterAll(async () => {
  await fleet?.stop()
  await stopSocialBoss(bed?.cms.payload)
  await bed?.close()
})

it('publishes 500 variants exactly once while workers are killed and restarted', async () => {
  const connection = await bed.connect()
  const accounts: number[] = []
  for (let i = 0; i < ACCOUNTS; i++) accounts.push(await bed.account(i % 2 ? 'bluesky' : 'mastodon', connection))
  const variants: number[] = []
  // Made for later, then all moved to now at once (creating 50 posts takes longer than a due time allows).
  for (let i = 0; i < VARIANTS / ACCOUNTS; i++)
    variants.push(...(await bed.schedule({ accounts, at: new Date(Date.now() + 3600_000) })).variants)
  expect(variants).toHaveLength(VARIANTS)
  fleet = await startWorkerFleet(3, bed.childEnv)
  const pool = poolOf(bed.cms.payload)
  await pool.query(`DELETE FROM pgboss.job WHERE name = $1`, [PUBLISH_QUEUE])
  await pool.query(`UPDATE social_variants SET scheduled_at = now() WHERE id = ANY($1::int[])`, [variants])
  // Each create answers 150 ms after the post is made: kills land between the two.
  bed.apis.answerDelay(150)
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
  // Kill a worker every 1.5 s while the burst lasts (up to 8 kills), each replaced at once.
  let kills = 0
  while (kills < 8 && ((await counts()).published ?? 0) < VARIANTS * 0.9) {
    await new Promise((r) => setTimeout(r, 1_500))
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
  expect(bed.apis.duplicates()).toEqual([])
  expect(variants.filter((v) => bed.apis.postsOf(v).length !== 1)).toEqual([])
  expect(bed.core.posts).toHaveLength(VARIANTS)
}, 600_000)
