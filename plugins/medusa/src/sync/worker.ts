/**
 * The bridge's worker: product sync jobs and placed orders, with the Payload Local API. `pnpm worker`
 * runs them (beside the agent workers); `pnpm dev` runs them inside the CMS.
 */
import { withLogContext } from '@bizosaas/observability/logger'
import type { Payload } from 'payload'
import type { JobResult, JobWithMetadata } from 'pg-boss'
import { ORDER_PLACED_QUEUE, PRODUCT_SYNC_QUEUE } from '../constants.ts'
import { handleOrderPlaced } from './orders.ts'
import { markSyncFailed, syncProduct } from './products.ts'
import { bridgeBossOf, type ProductSyncJob, stopBridgeBoss } from './queue.ts'

export interface MedusaSyncWorker {
  stop(options?: { graceMs?: number }): Promise<void>
}

/** Products one worker syncs at once (per fetch). */
const BATCH_SIZE = 5

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
      // Up to BATCH_SIZE products per fetch, synced side by side and settled one by one (a failing
      // product retries alone). A full batch means a backlog (a bulk import): fetch again at once.
      batchSize: BATCH_SIZE,
      perJobResults: true,
      burstWhenBatchFull: true,
      localConcurrency: concurrency,
      includeMetadata: true,
      // The queue NOTIFYs on send, which wakes a waiting worker at once; a worker that was busy when the
      // NOTIFY came looks again after 2 s (pg-boss's default backstop is 30 s: a burst of events would
      // drain at a few jobs per 30 s).
      pollingIntervalSeconds: 2,
      notifyPollingIntervalSeconds: 2,
    } as const,
    (jobs: JobWithMetadata<ProductSyncJob>[]): Promise<JobResult[]> =>
      Promise.all(
        jobs.map(async (job): Promise<JobResult> => {
          const { productId, requestId } = job.data
          // Every line of this job names it, its product and the request that caused it.
          return withLogContext({ reqId: requestId, jobId: job.id, productId }, () => syncJob(job, productId))
        }),
      ),
  )
  async function syncJob(job: JobWithMetadata<ProductSyncJob>, productId: string): Promise<JobResult> {
    try {
      const output = await attempt(
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
      return { id: job.id, status: 'completed', output }
    } catch (error) {
      // pg-boss retries it with backoff, and dead-letters it after the last attempt.
      return { id: job.id, status: 'failed', output: error }
    }
  }
  // Placed orders → the tenant's `order.placed` (onOrderPlaced). One at a time per order (stately queue);
  // a failing hook retries with backoff, and the event id keeps a retry from sending twice.
  await boss.work(
    ORDER_PLACED_QUEUE,
    { localConcurrency: concurrency, includeMetadata: true, pollingIntervalSeconds: 2 } as const,
    async ([job]: JobWithMetadata<unknown>[]) => {
      if (!job) return
      const orderId = String((job.data as { orderId?: unknown } | null)?.orderId ?? '?')
      return withLogContext({ jobId: job.id, orderId }, () =>
        attempt(
          payload,
          job,
          `handing on order ${orderId}`,
          () => handleOrderPlaced(payload, job.data),
          async () => {},
        ),
      )
    },
  )
  return {
    async stop({ graceMs = 10_000 } = {}) {
      await stopBridgeBoss(payload, graceMs)
    },
  }
}
