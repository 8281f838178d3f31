/**
 * Product changes → the CMS: each product event becomes a job on the CMS's `medusa.product-sync`
 * queue (pg-boss in the CMS database), from which the CMS updates its product content. A failed send
 * is logged and dropped, never thrown: Medusa's write has happened, and the CMS's full re-sync
 * repairs the drift.
 */
import type { SubscriberArgs, SubscriberConfig } from '@medusajs/framework'
import type { Logger } from '@medusajs/framework/types'
import { ContainerRegistrationKeys, ProductWorkflowEvents } from '@medusajs/framework/utils'
import { readCommerceEnv } from '../env'
import { type ProductEvent, sendProductEvent } from '../lib/cms-queue'

const { cmsQueueUrl, cmsQueueSchema } = readCommerceEnv()

const EVENTS: Record<string, ProductEvent> = {
  [ProductWorkflowEvents.CREATED]: 'created',
  [ProductWorkflowEvents.UPDATED]: 'updated',
  [ProductWorkflowEvents.DELETED]: 'deleted',
}

let warned = false

export default async function productSyncHandler({ event, container }: SubscriberArgs<{ id: string }>) {
  const logger: Logger = container.resolve(ContainerRegistrationKeys.LOGGER)
  if (!cmsQueueUrl) {
    if (!warned)
      logger.warn(
        '[cms-queue] CMS_QUEUE_URL is not set: product changes will not reach the CMS (set it to the CMS database URL)',
      )
    warned = true
    return
  }
  const productId = event.data.id
  const kind = EVENTS[event.name]
  if (!kind || !productId) return
  const occurredAt = event.metadata?.created_at ? new Date(event.metadata.created_at) : new Date()
  try {
    await sendProductEvent({ url: cmsQueueUrl, schema: cmsQueueSchema }, productId, kind, occurredAt)
  } catch (error) {
    logger.error(
      `[cms-queue] product ${productId} (${event.name}) was not queued for the CMS: ${(error as Error).message}. ` +
        'Run the CMS product re-sync once its database is reachable.',
    )
  }
}

export const config: SubscriberConfig = {
  event: Object.keys(EVENTS),
  context: { subscriberId: 'bizosaas-cms-product-sync' },
}
