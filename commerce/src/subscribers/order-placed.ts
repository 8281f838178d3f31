/**
 * Placed orders → the CMS: `order.placed` becomes a job on the CMS's `medusa.order-placed` queue (order
 * id, sales channel, display id, total, currency, time, item count; no personal data), from which the
 * CMS sends the tenant's `order.placed` webhooks. Reading and sending are in `src/lib/order-placed.ts`.
 */
import type { SubscriberArgs, SubscriberConfig } from '@medusajs/framework'
import type { Logger } from '@medusajs/framework/types'
import { ContainerRegistrationKeys, OrderWorkflowEvents } from '@medusajs/framework/utils'
import { queueOrderPlaced } from '../lib/order-placed'

export default async function orderPlacedHandler({ event, container }: SubscriberArgs<{ id: string }>) {
  const orderId = event.data.id
  if (!orderId) return
  const logger: Logger = container.resolve(ContainerRegistrationKeys.LOGGER)
  await queueOrderPlaced(logger, container.resolve(ContainerRegistrationKeys.QUERY), orderId)
}

export const config: SubscriberConfig = {
  event: OrderWorkflowEvents.PLACED,
  context: { subscriberId: 'bizosaas-cms-order-placed' },
}
