/**
 * The bridge's worker: product sync jobs, with the Payload Local API. `pnpm worker`
 * runs them (beside the agent workers); `pnpm dev` runs them inside the CMS.
 */
import type { Payload } from 'payload'
import type { JobWithMetadata } from 'pg-boss'
import { PRODUCT_SYNC_QUEUE } from '../constants.ts'
import { markSyncFailed, syncProduct } from './products.ts'
import { bridgeBossOf, type ProductSyncJob, stopBridgeBoss } from './queue.ts'

export interface MedusaSyncWorker {
  stop(options?: { graceMs?: number }): Promise<void>
}

const isLastAttempt = (job: JobWithMetadata<unknown>) => job.retryCount >= job.retryLimit

/** Runs one job; on its last failed attempt records the reason where the admin shows it, then rethrows. */
async function attempt<T>(
  payload: Payload,
  job: JobWithMetadata<T>,
  what: string,
  run: () => Promise<unknown>,
  onLastFailure: (reason: string) => Promise<void>,
) {
  try {
    return await run()
  } catch (error) {
    const reason = (error as Error).message || String(error)
    const last = isLastAttempt(job as JobWithMetadata<unknown>)
    payload.logger.warn(
      `medusa sync: ${what} failed (attempt ${job.retryCount + 1} of ${job.retryLimit + 1}${last ? ', giving up: dead-lettered' : ', will retry'}): ${reason}`,
    )
    if (last)
      await onLastFailure(reason).catch((e: Error) =>
        payload.logger.error({ err: e }, 'medusa sync: recording a failure failed'),
      )
    throw error
  }
}

/** Starts the bridge workers of this Payload process. */
export async function startMedusaSync(
  payload: Payload,
  options: { concurrency?: number } = {},
): Promise<MedusaSyncWorker> {
  const boss = await bridgeBossOf(payload)
  const concurrency = options.concurrency ?? 2
  await boss.work(
    PRODUCT_SYNC_QUEUE,
    {
      batchSize: 1,
      localConcurrency: concurrency,
      includeMetadata: true,
      // The queue NOTIFYs on send, which wakes a waiting worker at once; a worker that was busy when
      // the NOTIFY came polls again after 2 s (pg-boss's default backstop is 30 s, which would leave a
      // burst of events to drain at two jobs per 30 s), and with a backlog it fetches without pausing.
      pollingIntervalSeconds: 2,
      notifyPollingIntervalSeconds: 2,
      burstWhenReadyExceeds: 1,
    } as const,
    async ([job]: JobWithMetadata<ProductSyncJob>[]) => {
      if (!job) return
      const { productId } = job.data
      return attempt(
        payload,
        job,
        `syncing product ${productId}`,
        async () => {
          const result = await syncProduct(payload, productId)
          payload.logger.info(
            `medusa sync: product ${productId}: created ${result.created.length}, updated ${result.updated.length}, unchanged ${result.unchanged.length}, deleted ${result.deleted.length}`,
          )
          return result
        },
        (reason) => markSyncFailed(payload, productId, reason),
      )
    },
  )
  return {
    async stop({ graceMs = 10_000 } = {}) {
      await stopBridgeBoss(payload, graceMs)
    },
  }
}
