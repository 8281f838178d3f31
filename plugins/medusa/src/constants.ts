/** The product-content collection's slug. */
export const PRODUCT_CONTENT = 'product-content'

/** Medusa's order subscriber sends each placed order here (the tenant's `order.placed` webhooks). */
export { ORDER_PLACED_DLQ, ORDER_PLACED_QUEUE } from '@bizosaas/contracts/order-placed'
/**
 * pg-boss queues of the bridge, in the CMS database's pg-boss schema (the agents' schema). Medusa's
 * product subscriber sends to PRODUCT_SYNC_QUEUE: both sides take the names from @bizosaas/contracts.
 */
export { PRODUCT_SYNC_DLQ, PRODUCT_SYNC_QUEUE } from '@bizosaas/contracts/product-sync'

/** Key in `config.custom` under which the resolved plugin options are kept. */
export const CONFIG_KEY = 'bizosaasMedusa'

/** Admin components, as the import map names them. */
export const COMPONENTS = Object.freeze({
  commerceSync: '@bizosaas/plugin-medusa/rsc#CommerceSyncWidget',
})
