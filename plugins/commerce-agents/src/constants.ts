/** Limits of product-content's SEO fields (repeated here: the pack does not import the CMS). */
export const META_TITLE_MAX = 70
export const META_DESCRIPTION_MAX = 170

/** A Medusa description shorter than this counts as missing in the catalog audit. */
export const DESCRIPTION_MIN_CHARS = 80

/** What one product-description run is assumed to cost before a tenant has any history. */
export const FALLBACK_RUN_COST_USD = 0.01

/** Slugs of the pack's agents. */
export const COMMERCE_AGENT_SLUGS = ['product-description', 'review-reply', 'catalog-audit'] as const
export type CommerceAgentSlug = (typeof COMMERCE_AGENT_SLUGS)[number]

/** What the catalog audit reports a product as lacking. */
export const CATALOG_GAPS = ['description', 'images', 'seo'] as const
export type CatalogGap = (typeof CATALOG_GAPS)[number]

/** Product-description runs one audit queues at most, unless its input says otherwise. */
export const AUDIT_LIMIT_DEFAULT = 10

/** The monday-morning audit, unless a tenant's agent settings name another schedule. */
export const CATALOG_AUDIT_CRON = '0 5 * * 1'
