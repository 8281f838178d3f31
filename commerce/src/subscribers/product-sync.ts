/**
 * Product changes → the CMS: each product event becomes a job on the CMS's `medusa.product-sync`
 * queue (pg-boss in the CMS database), from which the CMS updates its product content. Sending,
 * logging and the missing-settings warning are in `src/lib/product-sync.ts`, shared with the
 * sales-channel middleware (`src/api/middlewares.ts`).
 */
import type { SubscriberArgs, SubscriberConfig } from '@medusajs/framework'
import type { Logger } from '@medusajs/framework/types'
import { ContainerRegistrationKeys, ProductWorkflowEvents } from '@medusajs/framework/utils'
import type { ProductEvent } from '../lib/cms-queue'
import { queueProductSync } from '../lib/product-sync'

const EVENTS: Record<string, ProductEvent> = {
  [ProductWorkflowEvents.CREATED]: 'created',
  [ProductWorkflowEvents.UPDATED]: 'updated',
  [ProductWorkflowEvents.DELETED]: 'deleted',
}

export default async function productSyncHandler({ event, container }: SubscriberArgs<{ id: string }>) {
  const logger: Logger = container.resolve(ContainerRegistrationKeys.LOGGER)
  const productId = event.data.id
  const kind = EVENTS[event.name]
  if (!kind || !productId) return
  const occurredAt = event.metadata?.created_at ? new Date(event.metadata.created_at) : new Date()
  await queueProductSync(logger, [productId], kind, event.name, occurredAt)
}

export const config: SubscriberConfig = {
  event: Object.keys(EVENTS),
  context: { subscriberId: 'bizosaas-cms-product-sync' },
}
