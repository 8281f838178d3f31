/**
 * The catalog audit's logic: which products of a tenant lack a description, images or SEO, and how
 * many product-description runs the tenant's budget still pays for.
 */

import type { DocumentData, Id } from '@bizosaas/plugin-agents'
import type { HttpTypes, MedusaClient } from '@bizosaas/plugin-medusa'
import { PRODUCT_CONTENT } from '@bizosaas/plugin-medusa'
import type { Payload } from 'payload'
import { type CatalogGap, DESCRIPTION_MIN_CHARS, FALLBACK_RUN_COST_USD } from './constants.ts'

/** Products per admin API page. */
const PAGE_SIZE = 100
const LIST_FIELDS = 'id,title,handle,description,thumbnail,*images'

export interface CatalogProduct {
  id: string
  title: string
  description?: string | null
  thumbnail?: string | null
  images?: readonly unknown[] | null
}

export interface ContentSeo {
  metaTitle?: string | null
  metaDescription?: string | null
}

export interface ProductGap {
  productId: string
  title: string
  missing: CatalogGap[]
  /** The product-content document agents write to; null until the sync has made one. */
  productContentId: Id | null
}

const blank = (value: string | null | undefined) => typeof value !== 'string' || value.trim() === ''

/** What one product lacks: a description of at least DESCRIPTION_MIN_CHARS, any image, and meta title and description. */
export function gapsOf(product: CatalogProduct, seo: ContentSeo | undefined): CatalogGap[] {
  const missing: CatalogGap[] = []
  if ((product.description ?? '').trim().length < DESCRIPTION_MIN_CHARS) missing.push('description')
  if (blank(product.thumbnail) && !(product.images ?? []).length) missing.push('images')
  if (blank(seo?.metaTitle) || blank(seo?.metaDescription)) missing.push('seo')
  return missing
}

/** Every product of a sales channel, page by page through the admin API. */
export async function listChannelProducts(
  client: MedusaClient,
  salesChannelId: string,
  call: <T>(what: string, request: (client: MedusaClient) => Promise<T>) => Promise<T> = (_, request) =>
    request(client),
): Promise<HttpTypes.AdminProduct[]> {
  const products: HttpTypes.AdminProduct[] = []
  for (let offset = 0; ; offset += PAGE_SIZE) {
    const page = await call('a product list', (c) =>
      c.admin.product.list({
        sales_channel_id: [salesChannelId],
        fields: LIST_FIELDS,
        limit: PAGE_SIZE,
        offset,
        order: 'created_at',
      }),
    )
    products.push(...page.products)
    if (page.products.length < PAGE_SIZE || products.length >= page.count) return products
  }
}

/** The tenant's product-content documents for these Medusa products, by Medusa product id. */
export async function contentByProduct(
  payload: Payload,
  tenant: Id,
  productIds?: readonly string[],
): Promise<Map<string, DocumentData>> {
  const found = await payload.find({
    collection: PRODUCT_CONTENT as never,
    where: {
      and: [{ tenant: { equals: tenant } }, ...(productIds ? [{ medusaProductId: { in: [...productIds] } }] : [])],
    },
    depth: 0,
    limit: 0,
    pagination: false,
    overrideAccess: true,
    select: { medusaProductId: true, seo: true, title: true } as never,
  })
  const docs = found.docs as unknown as DocumentData[]
  return new Map(docs.map((doc) => [String(doc.medusaProductId), doc]))
}

/** The products with gaps, in the channel's order. */
export function catalogGaps(products: readonly CatalogProduct[], content: Map<string, DocumentData>): ProductGap[] {
  return products.flatMap((product) => {
    const doc = content.get(product.id)
    const missing = gapsOf(product, doc?.seo as ContentSeo | undefined)
    return missing.length
      ? [{ productId: product.id, title: product.title, missing, productContentId: doc?.id ?? null }]
      : []
  })
}

export interface DescriptionBudget {
  /** The tenant's monthly budget for product-description; null: none set. */
  monthlyBudgetUsd: number | null
  /** Spent on product-description this month. */
  spentUsd: number
  /** Average cost of the tenant's past product-description runs; null: no history yet. */
  averageRunUsd: number | null
  /** Runs queued or running now, which will spend too. */
  inFlight: number
}

/**
 * How many more product-description runs fit: the budget left after this month's spend and the runs
 * in flight, divided by the average run cost (FALLBACK_RUN_COST_USD without history). No budget:
 * unlimited.
 */
export function runsWithinBudget(budget: DescriptionBudget): number {
  if (budget.monthlyBudgetUsd == null) return Number.POSITIVE_INFINITY
  const perRun = budget.averageRunUsd && budget.averageRunUsd > 0 ? budget.averageRunUsd : FALLBACK_RUN_COST_USD
  const left = budget.monthlyBudgetUsd - budget.spentUsd - budget.inFlight * perRun
  // A tiny epsilon: $0.03 left at $0.01 a run is three runs, not 2.9999….
  return Math.max(0, Math.floor(left / perRun + 1e-9))
}
