/**
 * Enqueueing publish jobs (MINIMAL version written by the social-core lane; the publisher lane owns
 * worker/ and replaces this file): one `social.publish-variant` job per scheduled variant, singleton key
 * = variant id, started at the variant's `scheduledAt`. Rescheduling replaces the queued job (pg-boss
 * keeps a queued job's start time), unscheduling deletes it.
 */
import type { Payload } from 'payload'
import { PgBoss } from 'pg-boss'
import { PUBLISH_QUEUE, SOCIAL_VARIANTS } from '../constants.ts'
import { socialConfigOf } from '../defaults.ts'

type Id = number | string
const bosses = new WeakMap<Payload, Promise<PgBoss>>()

/** The job's data: which variant to publish. */
export interface PublishVariantJob {
  variant: string
}

function connectionString(payload: Payload): string {
  const url =
    (payload.db as unknown as { poolOptions?: { connectionString?: string } }).poolOptions?.connectionString ??
    process.env.DATABASE_URL
  if (!url) throw new Error('@bizosaas/plugin-social: no database URL for the publish queue (set DATABASE_URL)')
  return url
}

/** This Payload's pg-boss for the publish queue, started (queue created) on first use. */
export function socialBossOf(payload: Payload): Promise<PgBoss> {
  let boss = bosses.get(payload)
  if (!boss) {
    boss = (async () => {
      const instance = new PgBoss({
        connectionString: connectionString(payload),
        schema: socialConfigOf(payload).queueSchema,
        application_name: 'bizosaas-social',
        max: 2,
      } as ConstructorParameters<typeof PgBoss>[0])
      instance.on('error', (error: Error) => payload.logger.error({ err: error }, 'social queue error'))
      await instance.start()
      if (!(await instance.getQueue(PUBLISH_QUEUE)))
        await instance.createQueue(PUBLISH_QUEUE, { policy: 'standard' } as never).catch(async (error: Error) => {
          if (!(await instance.getQueue(PUBLISH_QUEUE))) throw error
        })
      return instance
    })()
    bosses.set(payload, boss)
    boss.catch(() => bosses.delete(payload))
  }
  return boss
}

/** Stops this Payload's social pg-boss (tests, shutdown). */
export async function stopSocialBoss(payload: Payload, graceMs = 5_000): Promise<void> {
  const started = bosses.get(payload)
  if (!started) return
  bosses.delete(payload)
  await (await started).stop({ graceful: true, timeout: graceMs } as never).catch(() => {})
}

async function dropQueued(boss: PgBoss, variant: string): Promise<void> {
  const queued = await boss.findJobs(PUBLISH_QUEUE, { key: variant, queued: true } as never)
  if (queued.length)
    await boss.deleteJob(
      PUBLISH_QUEUE,
      queued.map((job) => job.id),
    )
}

/** Queues (or re-queues at its new time) the publish job of each scheduled variant in `variantIds`. */
export async function schedulePublish(payload: Payload, variantIds: readonly Id[]): Promise<void> {
  if (!variantIds.length) return
  const boss = await socialBossOf(payload)
  const { docs } = await payload.find({
    collection: SOCIAL_VARIANTS as never,
    where: { id: { in: [...variantIds] } },
    depth: 0,
    limit: variantIds.length,
    pagination: false,
    overrideAccess: true,
  })
  for (const variant of docs as unknown as { id: Id; status: string; scheduledAt?: string | null }[]) {
    if (variant.status !== 'scheduled' || !variant.scheduledAt) continue
    const key = String(variant.id)
    await dropQueued(boss, key)
    await boss.send(PUBLISH_QUEUE, { variant: key } satisfies PublishVariantJob, {
      singletonKey: key,
      startAfter: new Date(variant.scheduledAt),
    })
  }
}

/** Removes the queued publish jobs of `variantIds` (a job already running is left to finish). */
export async function unschedulePublish(payload: Payload, variantIds: readonly Id[]): Promise<void> {
  if (!variantIds.length) return
  const boss = await socialBossOf(payload)
  for (const id of variantIds) await dropQueued(boss, String(id))
}
