/**
 * Product changes → the CMS, as Medusa reports them: the product-sync subscriber (product events) and
 * the sales-channel middleware (`src/api/middlewares.ts`, product membership changed from the
 * channel's side) both queue through here, with the same settings and the same log lines. A failed
 * send is logged and dropped, never thrown: Medusa's write has happened, and the CMS's full re-sync
 * repairs the drift.
 */
import type { Logger } from '@medusajs/framework/types'
import { readCommerceEnv } from '../env'
import { type ProductEvent, sendProductEvent } from './cms-queue'

const { cmsQueueUrl, cmsQueueSchema } = readCommerceEnv()

let warned = false

/**
 * Queues a sync of each product in `productIds` (duplicates and empty ids skipped) for the CMS. Never
 * rejects: without CMS_QUEUE_URL it warns once per process; when the CMS database cannot be reached
 * it logs one error naming the products, `cause` and the reason.
 *
 * @param cause what changed the products, for the log: an event name or a route
 * @param requestId the `x-request-id` of the request that changed them, if any (kept in the job)
 */
export async function queueProductSync(
  logger: Logger,
  productIds: Iterable<string>,
  event: ProductEvent,
  cause: string,
  occurredAt: Date = new Date(),
  requestId?: string,
): Promise<void> {
  if (!cmsQueueUrl) {
    if (!warned)
      logger.warn(
        '[cms-queue] CMS_QUEUE_URL is not set: product changes will not reach the CMS (set it to the CMS database URL)',
      )
    warned = true
    return
  }
  const ids = [...new Set(productIds)].filter(Boolean)
  const connection = { url: cmsQueueUrl, schema: cmsQueueSchema }
  const failed: string[] = []
  let reason = ''
  // Together, so that they share one start of the queue (and one failure when it is down).
  await Promise.all(
    ids.map((id) =>
      sendProductEvent(connection, id, event, occurredAt, requestId).catch((error: unknown) => {
        failed.push(id)
        reason = error instanceof Error ? error.message : String(error)
      }),
    ),
  )
  if (failed.length)
    logger.error(
      `[cms-queue] ${failed.length === 1 ? 'product' : 'products'} ${failed.join(', ')} (${cause}) ` +
        `${failed.length === 1 ? 'was' : 'were'} not queued for the CMS: ${reason}. ` +
        'Run the CMS product re-sync once its database is reachable.',
    )
}
