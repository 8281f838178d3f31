/**
 * `@bizosaas/plugin-medusa`: the bridge between Payload and Medusa. Adds the tenant-scoped
 * `product-content` collection (always, so the schema never depends on a flag) and — when enabled —
 * the product sync (Medusa's subscriber sends pg-boss jobs; a worker here upserts the content), the
 * tenant commerce link, their endpoints and the admin's sync-health widget.
 */
import type { Config } from 'payload'
import { productContentCollection } from './collections/product-content.ts'
import { CONFIG_KEY } from './constants.ts'
import { resolveConfig } from './defaults.ts'
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
    return config
  }
}

export {
  createMedusaClient,
  FetchError,
  type HttpTypes,
  type MedusaClient,
  MedusaNotConfiguredError,
  medusaClientOf,
  medusaConfigOf,
  medusaStatus,
  withDeadline,
} from './client.ts'
export type { ProductContentAccess } from './collections/product-content.ts'
export { PRODUCT_CONTENT, PRODUCT_SYNC_DLQ, PRODUCT_SYNC_QUEUE, TENANT_LINK_QUEUE } from './constants.ts'
export type { MedusaPluginConfig, ResolvedMedusaConfig } from './types.ts'
