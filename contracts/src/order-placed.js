// The order-placed job, Medusa → CMS: Medusa's order subscriber (commerce/) sends it to pg-boss in the
// CMS database; the CMS's Medusa bridge (plugins/medusa) works it (outgoing `order.placed` webhooks).
// Types: order-placed.d.ts.
/** Queue of placed orders for the CMS. */
export const ORDER_PLACED_QUEUE = 'medusa.order-placed'

/** Where order-placed jobs go after their last retry. */
export const ORDER_PLACED_DLQ = 'medusa.order-placed.dead'
