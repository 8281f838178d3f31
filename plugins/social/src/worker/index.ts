/**
 * The social worker: works `social.publish-variant` and `social.collect-metrics` in whichever process
 * calls it — `pnpm worker` (cms/src/worker.ts) in production, the CMS itself under `pnpm dev`
 * (`worker.inProcess`) — and sweeps for scheduled variants whose job went missing. Polls every 0.5 s:
 * publish jobs are deferred to their minute, and deferred jobs are found by polling, not NOTIFY.
 */
import type { Payload } from 'payload'
import type { JobWithMetadata } from 'pg-boss'
import { METRICS_QUEUE, PUBLISH_QUEUE } from '../constants.ts'
import type { AnySocialPlatform } from '../platforms/define.ts'
import { socialPlatformsOf, socialQueueConfigOf } from './config.ts'
import { collectMetrics } from './metrics.ts'
import { createPacer } from './pacing.ts'
import { publishVariant } from './publish.ts'
import { type MetricsJob, type PublishJob, socialBossOf, stopSocialBoss } from './queue.ts'
import { sweepScheduled } from './schedule.ts'

export interface SocialWorker {
  stop(options?: { graceMs?: number }): Promise<void>
}

export interface SocialWorkerOptions {
  /** Publish jobs in flight at once in this process (each platform's `pacing.concurrency` still applies). @default 20 */
  concurrency?: number
  /** How often to look for due jobs. @default 0.5 */
  pollingIntervalSeconds?: number
  /** The platforms to publish with. @default the social plugin's */
  platforms?: readonly AnySocialPlatform[]
  /** Longest wait for an account's rate limit inside a job before the job is deferred. @default 2000 */
  maxInlineWaitMs?: number
  /** Sweep for scheduled variants without a job. @default true */
  sweep?: boolean
}

/** Starts the publish and metrics workers; `stop` lets in-flight publishes finish (up to `graceMs`). */
export async function startSocialWorker(payload: Payload, options: SocialWorkerOptions = {}): Promise<SocialWorker> {
  const config = socialQueueConfigOf(payload)
  const boss = await socialBossOf(payload)
  const platforms = new Map((options.platforms ?? socialPlatformsOf(payload)).map((p) => [p.id as string, p]))
  const pacer = createPacer(payload)
  const poll = options.pollingIntervalSeconds ?? 0.5
  const polling = { pollingIntervalSeconds: poll, notifyPollingIntervalSeconds: poll }
  await boss.work<PublishJob>(
    PUBLISH_QUEUE,
    { batchSize: 1, localConcurrency: options.concurrency ?? 20, includeMetadata: true as const, ...polling },
    async (jobs) => {
      const job = jobs[0] as JobWithMetadata<PublishJob> | undefined
      if (!job) return
      try {
        const outcome = await publishVariant(payload, job, {
          boss,
          platforms,
          pacer,
          config,
          maxInlineWaitMs: options.maxInlineWaitMs,
        })
        return { outcome }
      } catch (error) {
        // An outage or a bug, not a platform's answer: pg-boss retries the job (the variant's state says where it got).
        payload.logger.error(
          { err: error, variant: job.data.variant },
          'social: publish job failed; it will be retried',
        )
        throw error
      }
    },
  )
  await boss.work<MetricsJob>(
    METRICS_QUEUE,
    { batchSize: 1, localConcurrency: 2, includeMetadata: true as const, ...polling },
    async (jobs) => {
      const job = jobs[0] as JobWithMetadata<MetricsJob> | undefined
      if (!job) return
      try {
        return { outcome: await collectMetrics(payload, job, platforms) }
      } catch (error) {
        payload.logger.warn(
          { err: error, variant: job.data.variant },
          'social: metrics reading failed; it will be retried',
        )
        throw error
      }
    },
  )
  let sweeping: Promise<unknown> | undefined
  const timer =
    options.sweep === false
      ? undefined
      : setInterval(() => {
          sweeping ??= sweepScheduled(payload)
            .catch((error) => payload.logger.warn({ err: error }, 'social: sweep for scheduled variants failed'))
            .finally(() => {
              sweeping = undefined
            })
        }, config.sweepIntervalSeconds * 1000)
  timer?.unref()
  return {
    async stop({ graceMs = 10_000 } = {}) {
      if (timer) clearInterval(timer)
      await sweeping
      await stopSocialBoss(payload, graceMs)
    },
  }
}

export { type SocialQueueConfig, socialQueueConfigOf, withSocialWorkerConfig } from './config.ts'
export { scheduleMetrics } from './metrics.ts'
export { idempotencyKeyOf, type PublishOutcome, publishVariant } from './publish.ts'
export { type PublishVariantJob, socialBossOf, stopSocialBoss } from './queue.ts'
export { rollupPost } from './rollup.ts'
export { schedulePublish, sweepScheduled, unschedulePublish } from './schedule.ts'
