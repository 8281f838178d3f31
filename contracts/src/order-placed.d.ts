/** Queue of placed orders for the CMS. */
export declare const ORDER_PLACED_QUEUE: 'medusa.order-placed'

/** Where order-placed jobs go after their last retry. */
export declare const ORDER_PLACED_DLQ: 'medusa.order-placed.dead'

/**
 * An order-placed job's data: what the tenant's webhook receivers may learn about the order. No
 * personal data (no email, name, address or phone): receivers that need them ask Medusa.
 */
export interface OrderPlacedJob {
  /** Medusa order id (also the job's singleton key). */
  orderId: string
  /** The order's sales channel: the bridge finds the tenant by it. */
  salesChannelId: string
  /** Medusa's human-facing order number. */
  displayId: number | null
  /** The order's total, in `currencyCode`'s main unit (Medusa 2 amounts, e.g. 49.9). */
  total: number
  /** ISO 4217, lower case as Medusa keeps it (e.g. `eur`). */
  currencyCode: string
  /** ISO 8601 time the order was created. */
  createdAt: string
  /** Sum of the line items' quantities. */
  itemCount: number
}
