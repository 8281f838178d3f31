/**
 * Placed orders → the CMS (its outgoing `order.placed` webhooks): reads the order's few non-personal
 * facts and queues them on the CMS's `medusa.order-placed` queue. A failed send is logged and dropped,
 * never thrown: the order is placed either way.
 */
import type { Logger, RemoteQueryFunction } from '@medusajs/framework/types'

/** What `container.resolve(ContainerRegistrationKeys.QUERY)` gives: only `graph` is used. */
type Query = Pick<Omit<RemoteQueryFunction, symbol>, 'graph'>

import { readCommerceEnv } from '../env'
import { type OrderPlacedJob, sendOrderPlaced } from './cms-queue'

const { cmsQueueUrl, cmsQueueSchema } = readCommerceEnv()

let warned = false

/** The fields read from the order: no email, address, name or phone. */
export const ORDER_FIELDS = [
  'id',
  'display_id',
  'sales_channel_id',
  'total',
  'currency_code',
  'created_at',
  'items.quantity',
]

interface OrderRow {
  id: string
  display_id?: number | null
  sales_channel_id?: string | null
  total?: unknown
  currency_code?: string | null
  created_at?: string | Date | null
  items?: ({ quantity?: unknown } | null)[] | null
}

/** The job for an order as `query.graph` returns it; null when it has no sales channel (no tenant to tell). */
export function orderPlacedJob(order: OrderRow): OrderPlacedJob | null {
  if (!order.sales_channel_id) return null
  return {
    orderId: order.id,
    salesChannelId: order.sales_channel_id,
    displayId: order.display_id ?? null,
    // Medusa 2 totals may be BigNumber objects; Number() reads their numeric value.
    total: Number(order.total ?? 0),
    currencyCode: order.currency_code ?? '',
    createdAt: new Date(order.created_at ?? Date.now()).toISOString(),
    itemCount: (order.items ?? []).reduce((sum, item) => sum + Number(item?.quantity ?? 0), 0),
  }
}

/**
 * Reads order `orderId` and queues it for the CMS. Never rejects: without CMS_QUEUE_URL it warns once per
 * process; an order without a sales channel is logged and skipped; a failed read or send logs one error.
 */
export async function queueOrderPlaced(logger: Logger, query: Query, orderId: string): Promise<void> {
  if (!cmsQueueUrl) {
    if (!warned)
      logger.warn(
        '[cms-queue] CMS_QUEUE_URL is not set: placed orders will not reach the CMS (set it to the CMS database URL)',
      )
    warned = true
    return
  }
  try {
    const { data } = await query.graph({ entity: 'order', fields: ORDER_FIELDS, filters: { id: orderId } })
    const order = data[0] as OrderRow | undefined
    if (!order) throw new Error('the order was not found')
    const job = orderPlacedJob(order)
    if (!job) {
      logger.info(`[cms-queue] order ${orderId} has no sales channel: not sent to the CMS`)
      return
    }
    await sendOrderPlaced({ url: cmsQueueUrl, schema: cmsQueueSchema }, job)
  } catch (error) {
    logger.error(
      `[cms-queue] order ${orderId} (order.placed) was not queued for the CMS: ${error instanceof Error ? error.message : String(error)}`,
    )
  }
}
