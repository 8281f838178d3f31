/**
 * The `social.collect-metrics` jobs: a day and a week after a variant is published (singleton
 * `<variant>:<window>`), read its numbers from the platform into `metrics` and `metricsHistory`, and the
 * post's totals. A failed reading is retried with backoff by pg-boss; a connection that is gone leaves a
 * note on the variant (the post stays published) instead of failing forever.
 */
import { PLATFORM_RULES, type SocialPlatformId } from '@bizosaas/contracts/social'
import { connectionClient } from '@bizosaas/plugin-connectors'
import type { Payload } from 'payload'
import type { JobWithMetadata } from 'pg-boss'
import { METRICS_QUEUE, type MetricsWindow, SOCIAL_ACCOUNTS } from '../constants.ts'
import type { AnySocialPlatform } from '../platforms/define.ts'
import { noteMetricsProblem, selectVariant, storeVariantMetrics } from '../sql.ts'
import { socialQueueConfigOf } from './config.ts'
import { type MetricsJob, metricsQueueOptions, poolOf, socialBossOf } from './queue.ts'
import { rollupPost } from './rollup.ts'

/** Enqueues the readings of a just-published variant (one job per window; enqueueing twice is a no-op). */
export async function scheduleMetrics(payload: Payload, variant: number | string, publishedAt: Date): Promise<void> {
  const config = socialQueueConfigOf(payload)
  const boss = await socialBossOf(payload)
  const options = metricsQueueOptions(config)
  await boss.insert(
    METRICS_QUEUE,
    (Object.entries(config.metricsWindows) as [MetricsWindow, number][]).map(([window, seconds]) => ({
      data: { variant, window } satisfies MetricsJob,
      singletonKey: `${variant}:${window}`,
      startAfter: new Date(publishedAt.getTime() + seconds * 1000),
      ...options,
    })),
  )
}

const idOf = (value: unknown) =>
  value && typeof value === 'object' ? (value as { id: number | string }).id : (value as number | string | null)

/** Works one metrics job. Throws (so pg-boss retries) when the platform could not be read. */
export async function collectMetrics(
  payload: Payload,
  job: JobWithMetadata<MetricsJob>,
  platforms: ReadonlyMap<string, AnySocialPlatform>,
): Promise<'collected' | 'skipped' | 'noted'> {
  const pool = poolOf(payload)
  const variant = await selectVariant(pool, job.data.variant)
  if (variant?.status !== 'published' || !variant.platformPostId) return 'skipped'
  const name = PLATFORM_RULES[variant.platform as SocialPlatformId]?.name ?? variant.platform
  const platform = platforms.get(variant.platform)
  if (!platform) return 'skipped'
  const account = (await payload
    .findByID({ collection: SOCIAL_ACCOUNTS as never, id: variant.account, depth: 0, overrideAccess: true })
    .catch(() => null)) as unknown as {
    connection?: unknown
    targetId: string
    targetType: 'profile'
    name: string
    handle?: string
  } | null
  const last = job.retryCount >= job.retryLimit
  let client: unknown
  try {
    if (!account) throw Object.assign(new Error('the account was removed'), { code: 'not-connected' })
    const connection = idOf(account.connection)
    client = await connectionClient(payload, {
      tenant: variant.tenant,
      connector: platform.connector,
      ...(connection != null ? { connection } : {}),
    })
  } catch (error) {
    const code = (error as { code?: string }).code
    if (code === 'needs-reconnect' || code === 'not-connected') {
      await noteMetricsProblem(
        pool,
        variant.id,
        `Metrics (${job.data.window}) could not be read: ${name} is not connected any more — reconnect ${name} under Integrations to see them.`,
      )
      return 'noted'
    }
    throw error
  }
  try {
    const metrics = await platform.metrics(
      client,
      { postId: variant.platformPostId, url: variant.platformUrl ?? '', threadIds: variant.threadIds ?? undefined },
      { id: account.targetId, type: account.targetType, name: account.name, handle: account.handle },
      AbortSignal.timeout(socialQueueConfigOf(payload).publishTimeoutMs),
    )
    await storeVariantMetrics(pool, variant.id, metrics, {
      window: job.data.window,
      at: new Date().toISOString(),
      ...metrics,
    })
    await rollupPost(payload, variant.post)
    return 'collected'
  } catch (error) {
    if (last)
      await noteMetricsProblem(
        pool,
        variant.id,
        `Metrics (${job.data.window}) could not be read from ${name}: ${(error as Error).message}`,
      )
    throw error
  }
}

export { METRICS_QUEUE }
