/**
 * `@bizosaas/plugin-commerce-agents`: the commerce agent pack. Adds the `product-reviews` collection
 * and registers `product-description`, `review-reply` and `catalog-audit` with `@bizosaas/plugin-agents`
 * (install it and `@bizosaas/plugin-medusa` first).
 */
import { type PayloadAgent, registerAgents } from '@bizosaas/plugin-agents'
import type { Config } from 'payload'
import { catalogAuditPayloadAgent } from './agents/catalog-audit.ts'
import { productDescriptionPayloadAgent } from './agents/product-description.ts'
import { reviewReplyPayloadAgent } from './agents/review-reply.ts'
import { productReviewsCollection } from './collections/product-reviews.ts'
import { type ResolvedCommerceAgentsConfig, resolveConfig } from './defaults.ts'
import type { CommerceAgentOptions, CommerceAgentsPluginConfig } from './types.ts'

/** The pack's agents, with model chains from the options. */
export function commerceAgents(
  resolved: ResolvedCommerceAgentsConfig,
  options: Omit<CommerceAgentOptions, 'models'> = {},
): PayloadAgent[] {
  return [
    productDescriptionPayloadAgent({ ...options, models: resolved.modelsFor('product-description') }),
    reviewReplyPayloadAgent({ ...options, models: resolved.modelsFor('review-reply') }),
    catalogAuditPayloadAgent({ ...options, models: resolved.modelsFor('catalog-audit') }),
  ] as PayloadAgent[]
}

export function commerceAgentsPlugin(options: CommerceAgentsPluginConfig) {
  const resolved = resolveConfig(options)
  return (incoming: Config): Config => {
    // The collection is added even when disabled, so the schema never depends on the flag.
    const config: Config = {
      ...incoming,
      collections: [...(incoming.collections ?? []), productReviewsCollection(options.access)],
    }
    if (!resolved.enabled) return config
    return registerAgents(config, commerceAgents(resolved))
  }
}

export {
  type CatalogAuditReport,
  catalogAuditAgent,
  createCatalogAuditAgent,
  reportMismatch,
} from './agents/catalog-audit.ts'
export {
  createProductDescriptionAgent,
  type ProductDescriptionProposal,
  productDescriptionAgent,
} from './agents/product-description.ts'
export { createReviewReplyAgent, reviewReplyAgent } from './agents/review-reply.ts'
export { gapsOf, runsWithinBudget } from './catalog.ts'
export { PRODUCT_REVIEWS, type ProductReviewsAccess } from './collections/product-reviews.ts'
export {
  CATALOG_AUDIT_CRON,
  COMMERCE_AGENT_SLUGS,
  type CommerceAgentSlug,
  DESCRIPTION_MIN_CHARS,
  META_DESCRIPTION_MAX,
  META_TITLE_MAX,
} from './constants.ts'
export { DEFAULT_MODELS } from './defaults.ts'
export { descriptionLexical, descriptionPlainText, lexicalPlainText } from './description.ts'
export { createFindCatalogGapsTool } from './tools/find-catalog-gaps.ts'
export { createGetProductTool, getProductTool } from './tools/get-product.ts'
export { getReviewTool } from './tools/get-review.ts'
export { queueProductDescriptionsTool } from './tools/queue-product-descriptions.ts'
export type { CommerceAgentOptions, CommerceAgentsPluginConfig } from './types.ts'
