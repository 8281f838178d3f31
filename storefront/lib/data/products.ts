/**
 * Catalogue reads (products, categories, collections), cached per tenant and region under
 * `products:<tenant>`; only the fields a page shows are asked for (Medusa's default field set is slow).
 */
import { isPathSlug } from '@lib/path-slug'
import { z } from 'zod'
import type { ShopContext } from './context'
import { storeGet } from './medusa'

export interface Price {
  calculated_amount: number
  original_amount?: number | null
  currency_code: string
}

export interface ProductCard {
  id: string
  title: string
  handle: string
  thumbnail: string | null
  variants: { id: string; calculated_price?: Price | null }[]
}

export interface ProductOption {
  id: string
  title: string
  values: { id: string; value: string }[]
}

export interface ProductVariant {
  id: string
  title: string
  sku: string | null
  manage_inventory: boolean
  allow_backorder: boolean
  inventory_quantity?: number | null
  calculated_price?: Price | null
  options: { option_id: string; value: string }[]
}

export interface ProductDetail {
  id: string
  title: string
  subtitle: string | null
  handle: string
  description: string | null
  thumbnail: string | null
  material: string | null
  images: { id: string; url: string }[]
  options: ProductOption[]
  variants: ProductVariant[]
  categories?: { id: string; name: string; handle: string }[]
  collection?: { id: string; title: string; handle: string } | null
}

export const SORTS = {
  newest: { label: 'Newest', order: '-created_at' },
  'title-asc': { label: 'Name A–Z', order: 'title' },
  'title-desc': { label: 'Name Z–A', order: '-title' },
} as const

export type SortKey = keyof typeof SORTS

export interface ListQuery {
  page: number
  sort: SortKey
  q?: string
  categoryId?: string
  collectionId?: string
}

export const PAGE_SIZE = 12

const CARD_FIELDS = 'id,title,handle,thumbnail,variants.id,*variants.calculated_price'

const tagsOf = (context: ShopContext) => ['products', `products:${context.tenant.slug}`]

export async function listProducts(context: ShopContext, regionId: string, query: ListQuery) {
  const res = await storeGet<{ products: ProductCard[]; count: number }>(
    context.shop,
    '/store/products',
    {
      fields: CARD_FIELDS,
      region_id: regionId,
      limit: PAGE_SIZE,
      offset: (query.page - 1) * PAGE_SIZE,
      order: SORTS[query.sort].order,
      q: query.q || undefined,
      category_id: query.categoryId ? [query.categoryId] : undefined,
      collection_id: query.collectionId ? [query.collectionId] : undefined,
    },
    { tags: tagsOf(context) },
  )
  const count = res?.count ?? 0
  return { products: res?.products ?? [], count, pages: Math.max(1, Math.ceil(count / PAGE_SIZE)) }
}

export async function getProduct(context: ShopContext, handle: string, regionId: string) {
  if (!isPathSlug(handle)) return null
  const res = await storeGet<{ products: ProductDetail[] }>(
    context.shop,
    '/store/products',
    {
      handle,
      region_id: regionId,
      fields:
        'id,title,subtitle,handle,description,thumbnail,material,*images,*options,*options.values,*variants,*variants.options,*variants.calculated_price,+variants.inventory_quantity,*categories,*collection',
      limit: 1,
    },
    // Stock changes without a product event (orders), so the page refreshes itself every minute too.
    { tags: [...tagsOf(context), `product:${context.tenant.slug}:${handle}`], revalidate: 60 },
  )
  return res?.products[0] ?? null
}

/** A Payload `featuredProducts` block, as the storefront needs it. */
export const featuredBlockSchema = z.object({
  heading: z.string().nullish(),
  source: z.enum(['newest', 'picked', 'collection', 'category']).catch('newest'),
  handle: z.string().nullish(),
  limit: z.number().int().min(1).max(12).catch(4).nullish(),
  products: z
    .array(z.union([z.object({ medusaProductId: z.string() }).passthrough(), z.number(), z.string()]))
    .nullish(),
})

export type FeaturedBlock = z.output<typeof featuredBlockSchema>

/** The products a featured-products block shows, in the region's prices (picked ones in the editor's order). */
export async function listFeatured(
  context: ShopContext,
  regionId: string,
  block: FeaturedBlock,
): Promise<ProductCard[]> {
  const limit = block.limit ?? 4
  if (block.source === 'picked') {
    const ids = (block.products ?? []).flatMap((p) => (typeof p === 'object' ? [p.medusaProductId] : []))
    if (ids.length === 0) return []
    const res = await storeGet<{ products: ProductCard[] }>(
      context.shop,
      '/store/products',
      { id: ids, fields: CARD_FIELDS, region_id: regionId, limit: ids.length },
      { tags: tagsOf(context) },
    )
    // Products no longer in the shop's sales channel are simply not returned.
    const byId = new Map((res?.products ?? []).map((p) => [p.id, p]))
    return ids.flatMap((id) => byId.get(id) ?? [])
  }
  const query: ListQuery = { page: 1, sort: 'newest' }
  if (block.source === 'collection' || block.source === 'category') {
    const groups = await (block.source === 'collection' ? listCollections : listCategories)(context)
    const group = groups.find((g) => g.handle === block.handle)
    if (!group) return []
    if (block.source === 'collection') query.collectionId = group.id
    else query.categoryId = group.id
  }
  return (await listProducts(context, regionId, query)).products.slice(0, limit)
}

export interface ProductGroup {
  id: string
  handle: string
  name: string
  description?: string | null
}

export async function listCategories(context: ShopContext): Promise<ProductGroup[]> {
  const res = await storeGet<{ product_categories: ProductGroup[] }>(
    context.shop,
    '/store/product-categories',
    { fields: 'id,handle,name,description', limit: 100 },
    { tags: tagsOf(context) },
  )
  return res?.product_categories ?? []
}

export async function listCollections(context: ShopContext): Promise<ProductGroup[]> {
  const res = await storeGet<{ collections: { id: string; handle: string; title: string }[] }>(
    context.shop,
    '/store/collections',
    { fields: 'id,handle,title', limit: 100 },
    { tags: tagsOf(context) },
  )
  return (res?.collections ?? []).map((c) => ({ id: c.id, handle: c.handle, name: c.title }))
}

/** Cheapest variant price of a product card. */
export function fromPrice(product: Pick<ProductCard, 'variants'>): Price | null {
  const prices = product.variants.map((v) => v.calculated_price).filter((p): p is Price => Boolean(p))
  return prices.sort((a, b) => a.calculated_amount - b.calculated_amount)[0] ?? null
}

/** What the product page says about a variant's stock. */
export function stockState(variant: ProductVariant): { available: number | null; label: string; inStock: boolean } {
  if (!variant.manage_inventory || variant.allow_backorder) return { available: null, label: 'In stock', inStock: true }
  const qty = variant.inventory_quantity ?? 0
  if (qty <= 0) return { available: 0, label: 'Out of stock', inStock: false }
  if (qty <= 5) return { available: qty, label: `Only ${qty} left`, inStock: true }
  return { available: qty, label: 'In stock', inStock: true }
}
