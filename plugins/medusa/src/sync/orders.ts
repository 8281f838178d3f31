/**
 * Placed orders from Medusa → the tenant's `order.placed` event: the job (zod-checked) names a sales
 * channel, the bridge finds the tenant linked to it and hands the order on through the host's
 * `onOrderPlaced` (outgoing webhooks), with event id `order.placed:<order id>` so a retried or repeated
 * job sends once per endpoint. Unknown sales channels are logged and dropped, never guessed.
 */
import type { Payload } from 'payload'
import { z } from 'zod'
import { medusaConfigOf } from '../client.ts'
import { linkedTenants } from './products.ts'

/** The job as Medusa's subscriber sends it (@bizosaas/contracts/order-placed). */
export const orderPlacedJobSchema = z.object({
  orderId: z.string().min(1),
  salesChannelId: z.string().min(1),
  displayId: z.number().int().nullable(),
  total: z.number().finite(),
  currencyCode: z.string(),
  createdAt: z.string().min(1),
  itemCount: z.number().int().nonnegative(),
})

export interface OrderPlacedResult {
  orderId: string
  /** Tenants told of the order (none: an unknown channel, an invalid job or no hook). */
  tenants: (number | string)[]
  skipped?: 'invalid-job' | 'unknown-sales-channel' | 'no-hook'
}

/** The event id of an order's `order.placed`: the same on every attempt and every repeat of the job. */
export const orderPlacedEventId = (orderId: string) => `order.placed:${orderId}`

/** Hands one placed order on to its tenant(s); rejects (the job retries) when the hook fails. */
export async function handleOrderPlaced(payload: Payload, data: unknown): Promise<OrderPlacedResult> {
  const parsed = orderPlacedJobSchema.safeParse(data)
  const orderId = String((data as { orderId?: unknown } | null)?.orderId ?? '?')
  if (!parsed.success) {
    // Retrying cannot fix a malformed job: logged and completed.
    payload.logger.error(`medusa orders: order ${orderId}: job refused, ${z.prettifyError(parsed.error)}`)
    return { orderId, tenants: [], skipped: 'invalid-job' }
  }
  const job = parsed.data
  const tenants = await linkedTenants(payload, [job.salesChannelId])
  if (!tenants.length) {
    payload.logger.warn(
      `medusa orders: order ${job.orderId} was placed in sales channel ${job.salesChannelId}, which no tenant is linked to: no order.placed event`,
    )
    return { orderId: job.orderId, tenants: [], skipped: 'unknown-sales-channel' }
  }
  const { onOrderPlaced } = medusaConfigOf(payload)
  if (!onOrderPlaced) {
    payload.logger.info(`medusa orders: order ${job.orderId}: no onOrderPlaced hook configured, nothing sent`)
    return { orderId: job.orderId, tenants: [], skipped: 'no-hook' }
  }
  for (const tenant of tenants)
    await onOrderPlaced(payload, {
      id: orderPlacedEventId(job.orderId),
      tenant: tenant.id,
      data: {
        orderId: job.orderId,
        displayId: job.displayId,
        salesChannelId: job.salesChannelId,
        total: job.total,
        currencyCode: job.currencyCode,
        itemCount: job.itemCount,
        createdAt: job.createdAt,
      },
    })
  payload.logger.info(
    `medusa orders: order ${job.orderId} → order.placed for tenant ${tenants.map((t) => t.slug).join(', ')}`,
  )
  return { orderId: job.orderId, tenants: tenants.map((t) => t.id) }
}
