/**
 * `@bizosaas/plugin-commerce-agents`: the commerce agent pack. Adds the `product-reviews` collection
 * and registers `product-description`, `review-reply` and `catalog-audit` with `@bizosaas/plugin-agents`
 * (install it and `@bizosaas/plugin-medusa` first).
 */
import type { Config } from 'payload'
import { type ProductReviewsAccess, productReviewsCollection } from './collections/product-reviews.ts'

export interface CommerceAgentsPluginConfig {
  /** `false` keeps the collection but registers no agents. @default true */
  enabled?: boolean
  /** Model chain for every agent, or per agent slug. */
  models?: readonly string[] | Partial<Record<string, readonly string[]>>
  /** Access to product reviews; the multi-tenant plugin adds tenant scoping. */
  access: ProductReviewsAccess
}

export function commerceAgentsPlugin(options: CommerceAgentsPluginConfig) {
  return (incoming: Config): Config => {
    const config: Config = {
      ...incoming,
      collections: [...(incoming.collections ?? []), productReviewsCollection(options.access)],
    }
    if (options.enabled === false) return config
    return config
  }
}

export { PRODUCT_REVIEWS } from './collections/product-reviews.ts'
