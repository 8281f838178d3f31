/** Queue of product changes for the CMS. */
export declare const PRODUCT_SYNC_QUEUE: 'medusa.product-sync'

/** Where product-sync jobs go after their last retry. */
export declare const PRODUCT_SYNC_DLQ: 'medusa.product-sync.dead'

/** A product-sync job's data. The CMS reads the product from Medusa; `event` says what happened last. */
export interface ProductSyncJob {
  /** Medusa product id (also the job's singleton key). */
  productId: string
  /** What caused the job: Medusa sends `created` / `updated` / `deleted`, the CMS's repair `resync`. Informational. */
  event: string
  /** ISO 8601 time of the event. */
  occurredAt?: string
  /** The `x-request-id` of the request that caused it, when there was one: the bridge's log lines carry it. */
  requestId?: string
}
