/**
 * `@bizosaas/plugin-medusa`: the bridge between Payload and Medusa. Adds the tenant-scoped
 * `product-content` collection (always, so the schema never depends on a flag) and — when enabled —
 * the product sync (Medusa's subscriber sends pg-boss jobs; a worker here upserts the content), placed
 * orders handed on to the host's `onOrderPlaced` (outgoing webhooks), the
 * tenant commerce link (on enabling a tenant's shop), the re-sync and health endpoints and the admin's
 * sync widget.
 */
import type { CollectionAfterChangeHook, Config } from 'payload'
import { medusaApiKey, medusaConfigOf } from './client.ts'
import { productContentCollection } from './collections/product-content.ts'
import { COMPONENTS, CONFIG_KEY } from './constants.ts'
import { resolveConfig } from './defaults.ts'
import { healthEndpoint, resyncEndpoint } from './endpoints.ts'
import { LINK_CONTEXT, linkTenantCommerce, markLinkFailed } from './sync/tenants.ts'
import { startMedusaSync } from './sync/worker.ts'
import type { MedusaPluginConfig } from './types.ts'

export function medusaPlugin(options: MedusaPluginConfig) {
  const resolved = resolveConfig(options)
  return (incoming: Config): Config => {
    const config: Config = {
      ...incoming,
      collections: [...(incoming.collections ?? []), productContentCollection(options.access)],
      custom: { ...incoming.custom, [CONFIG_KEY]: resolved },
    }
    if (!resolved.enabled) return config

    config.endpoints = [...(config.endpoints ?? []), healthEndpoint, resyncEndpoint]
    config.collections = config.collections!.map((collection) =>
      collection.slug === 'tenants'
        ? {
            ...collection,
            hooks: { ...collection.hooks, afterChange: [...(collection.hooks?.afterChange ?? []), linkOnEnable] },
          }
        : collection,
    )
    config.admin = {
      ...config.admin,
      components: {
        ...config.admin?.components,
        beforeDashboard: [...(config.admin?.components?.beforeDashboard ?? []), COMPONENTS.commerceSync],
      },
    }
    if (resolved.worker.inProcess) {
      const previous = config.onInit
      config.onInit = async (payload) => {
        await previous?.(payload)
        const worker = await startMedusaSync(payload)
        payload.logger.info('medusa: product sync and order worker running in this process')
        const stop = () => void worker.stop({ graceMs: 5_000 })
        process.once('SIGTERM', stop)
        process.once('SIGINT', stop)
      }
    }
    return config
  }
}

/**
 * A tenant switched to "sells through Medusa" is linked right away (Medusa's workflow makes or finds its
 * sales channel, key and stock location; the ids land on the tenant). The tenant is saved either way: if
 * Medusa cannot be reached the reason is recorded on it, and `POST /api/medusa/resync` links it later.
 */
const linkOnEnable: CollectionAfterChangeHook = async ({ doc, previousDoc, req, context }) => {
  if (context?.[LINK_CONTEXT]) return doc
  const commerce = (doc as { commerce?: { enabled?: boolean; salesChannelId?: string | null } }).commerce
  const before = (previousDoc as { commerce?: { enabled?: boolean } } | undefined)?.commerce
  if (!commerce?.enabled || (before?.enabled && commerce.salesChannelId)) return doc
  // Not configured (tests, a CMS without a shop): nothing to link to.
  if (!medusaApiKey(medusaConfigOf(req.payload))) return doc
  try {
    const link = await linkTenantCommerce(req.payload, doc.id, { req })
    req.payload.logger.info(`medusa: tenant ${link.tenant} linked to sales channel ${link.storefront.salesChannelId}`)
    return { ...doc, commerce: { ...commerce, ...link.storefront, linkError: null } }
  } catch (error) {
    const reason = (error as Error).message
    req.payload.logger.warn(`medusa: linking tenant ${doc.id} failed: ${reason}`)
    await markLinkFailed(req.payload, doc.id, reason, { req })
    return { ...doc, commerce: { ...commerce, linkError: reason } }
  }
}

export {
  createMedusaClient,
  FetchError,
  type HttpTypes,
  type MedusaClient,
  MedusaNotConfiguredError,
  medusaApiKey,
  medusaClientOf,
  medusaConfigOf,
  medusaStatus,
  withDeadline,
} from './client.ts'
export type { ProductContentAccess } from './collections/product-content.ts'
export {
  ORDER_PLACED_DLQ,
  ORDER_PLACED_QUEUE,
  PRODUCT_CONTENT,
  PRODUCT_SYNC_DLQ,
  PRODUCT_SYNC_QUEUE,
} from './constants.ts'
export { type BridgeFailure, type BridgeHealth, bridgeHealth } from './health.ts'
export { type LexicalState, lexicalFromText, lexicalToText } from './lexical.ts'
export {
  handleOrderPlaced,
  type OrderPlacedResult,
  orderPlacedEventId,
  orderPlacedJobSchema,
} from './sync/orders.ts'
export {
  fetchProduct,
  type LinkedTenant,
  linkedTenants,
  listChannelProductIds,
  PRODUCT_FIELDS,
  type ProductSyncResult,
  type ResyncReport,
  resyncProducts,
  syncProduct,
} from './sync/products.ts'
export {
  bridgeBossOf,
  enqueueProductSync,
  type ProductSyncJob,
  stopBridgeBoss,
} from './sync/queue.ts'
export { type RepairReport, repairCommerce } from './sync/repair.ts'
export { linkTenantCommerce, type TenantLinkResult, type TenantStorefront } from './sync/tenants.ts'
export { type MedusaSyncWorker, startMedusaSync } from './sync/worker.ts'
export type {
  MedusaPluginConfig,
  OrderPlacedEvent,
  OrderPlacedHook,
  ResolvedMedusaConfig,
} from './types.ts'
