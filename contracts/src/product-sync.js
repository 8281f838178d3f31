// The product-sync job, Medusa → CMS: Medusa's product subscriber (commerce/) sends it to pg-boss in
// the CMS database; the CMS's Medusa bridge (plugins/medusa) works it. Types: product-sync.d.ts.
/** Queue of product changes for the CMS. */
export const PRODUCT_SYNC_QUEUE = 'medusa.product-sync'

/** Where product-sync jobs go after their last retry. */
export const PRODUCT_SYNC_DLQ = 'medusa.product-sync.dead'
