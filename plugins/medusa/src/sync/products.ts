/**
 * Keeping `product-content` in step with Medusa. A sync reads the product's current state from Medusa's
 * admin API (events only say which product changed), finds the tenants whose sales channels sell it,
 * and creates, updates or deletes one document per tenant. Each document is written whole in one
 * operation; a failure before the write leaves Payload as it was.
 */
import type { HttpTypes } from '@medusajs/types'
import type { Payload, Where } from 'payload'
import { medusaClientOf, medusaConfigOf, medusaStatus, withDeadline } from '../client.ts'
import { PRODUCT_CONTENT } from '../constants.ts'
import { lexicalFromText, lexicalToText } from '../lexical.ts'

type Id = number | string

/** Product fields the sync reads. */
export const PRODUCT_FIELDS =
  'id,title,handle,status,description,thumbnail,updated_at,*images,*categories,*sales_channels'

export interface ProductContentDoc {
  id: Id
  tenant: Id | { id: Id }
  medusaProductId: string
  description?: unknown
  medusaDescription?: string | null
  gallery?: { medusaImageId: string; url: string; caption?: string | null }[] | null
  sync?: { state?: string | null; medusaUpdatedAt?: string | null } | null
}

export interface LinkedTenant {
  id: Id
  slug: string
  salesChannelId: string
}

export interface ProductSyncResult {
  productId: string
  created: Id[]
  updated: Id[]
  unchanged: Id[]
  deleted: Id[]
  /** Sales channels of the product that belong to no tenant (logged, never attached to one). */
  unknownSalesChannels: string[]
}

const tenantIdOf = (tenant: ProductContentDoc['tenant']): Id =>
  typeof tenant === 'object' && tenant !== null ? tenant.id : tenant

/** Tenants linked to a Medusa sales channel (`commerce.salesChannelId`), optionally only some channels. */
export async function linkedTenants(payload: Payload, salesChannelIds?: string[]): Promise<LinkedTenant[]> {
  const where: Where = salesChannelIds
    ? { 'commerce.salesChannelId': { in: salesChannelIds } }
    : { 'commerce.salesChannelId': { exists: true } }
  const { docs } = await payload.find({
    collection: 'tenants' as never,
    where,
    limit: 0,
    pagination: false,
    depth: 0,
    overrideAccess: true,
  })
  return (docs as unknown as { id: Id; slug: string; commerce?: { salesChannelId?: string | null } }[])
    .filter((t) => t.commerce?.salesChannelId)
    .map((t) => ({ id: t.id, slug: t.slug, salesChannelId: t.commerce!.salesChannelId! }))
}

/** The product from Medusa, or null when Medusa says it does not exist (deleted). */
export async function fetchProduct(payload: Payload, productId: string): Promise<HttpTypes.AdminProduct | null> {
  const config = medusaConfigOf(payload)
  try {
    const { product } = await withDeadline(
      medusaClientOf(payload).admin.product.retrieve(productId, { fields: PRODUCT_FIELDS }),
      config.timeoutMs,
      `GET /admin/products/${productId}`,
    )
    return product
  } catch (error) {
    if (medusaStatus(error) === 404) return null
    throw error
  }
}

async function contentDocs(payload: Payload, where: Where): Promise<ProductContentDoc[]> {
  const { docs } = await payload.find({
    collection: PRODUCT_CONTENT as never,
    where,
    limit: 0,
    pagination: false,
    depth: 0,
    overrideAccess: true,
  })
  return docs as unknown as ProductContentDoc[]
}

/** The mirrored part of a product-content document, from the Medusa product. */
function mirrorOf(product: HttpTypes.AdminProduct, previous?: ProductContentDoc) {
  const captions = new Map((previous?.gallery ?? []).map((image) => [image.medusaImageId, image.caption]))
  return {
    title: product.title,
    medusaProductId: product.id,
    handle: product.handle ?? null,
    status: product.status,
    thumbnail: product.thumbnail ?? null,
    medusaDescription: product.description ?? null,
    categories: (product.categories ?? []).map((category) => category.name),
    gallery: (product.images ?? []).map((image) => ({
      medusaImageId: image.id,
      url: image.url,
      caption: captions.get(image.id) ?? null,
    })),
    sync: {
      state: 'synced',
      syncedAt: new Date().toISOString(),
      medusaUpdatedAt: String(product.updated_at),
      error: null,
    },
  }
}

/**
 * The rich description to store: Medusa's text on creation; afterwards it follows Medusa's text only
 * while nobody changed it in Payload (its plain form still equals the Medusa text it was made from).
 */
function descriptionFor(product: HttpTypes.AdminProduct, previous?: ProductContentDoc): { description?: unknown } {
  if (!previous) return { description: lexicalFromText(product.description) }
  const medusaText = product.description ?? ''
  if (medusaText === (previous.medusaDescription ?? '')) return {}
  const untouched = lexicalToText(previous.description) === lexicalToText(lexicalFromText(previous.medusaDescription))
  return untouched ? { description: lexicalFromText(medusaText) } : {}
}

/** Creates, updates or deletes the product-content documents of one Medusa product. */
export async function syncProduct(payload: Payload, productId: string): Promise<ProductSyncResult> {
  const result: ProductSyncResult = {
    productId,
    created: [],
    updated: [],
    unchanged: [],
    deleted: [],
    unknownSalesChannels: [],
  }
  const product = await fetchProduct(payload, productId)
  const existing = await contentDocs(payload, { medusaProductId: { equals: productId } })
  const channelIds = (product?.sales_channels ?? []).map((channel) => channel.id)
  const tenants = channelIds.length ? await linkedTenants(payload, channelIds) : []
  result.unknownSalesChannels = channelIds.filter((id) => !tenants.some((t) => t.salesChannelId === id))
  if (result.unknownSalesChannels.length)
    payload.logger.warn(
      `medusa sync: product ${productId} is in sales channel(s) ${result.unknownSalesChannels.join(', ')} that belong to no tenant; skipped there`,
    )

  const wanted = new Set(tenants.map((tenant) => String(tenant.id)))
  for (const doc of existing) {
    if (wanted.has(String(tenantIdOf(doc.tenant)))) continue
    // The product is gone, or no longer sold by this tenant.
    await payload.delete({ collection: PRODUCT_CONTENT as never, id: doc.id, overrideAccess: true })
    result.deleted.push(doc.id)
  }
  if (!product) return result

  for (const tenant of tenants) {
    const previous = existing.find((doc) => String(tenantIdOf(doc.tenant)) === String(tenant.id))
    if (
      previous &&
      previous.sync?.state === 'synced' &&
      previous.sync.medusaUpdatedAt &&
      new Date(previous.sync.medusaUpdatedAt).getTime() >= new Date(product.updated_at as string).getTime()
    ) {
      result.unchanged.push(previous.id)
      continue
    }
    const data = { ...mirrorOf(product, previous), ...descriptionFor(product, previous) }
    if (previous) {
      await payload.update({
        collection: PRODUCT_CONTENT as never,
        id: previous.id,
        data: data as never,
        overrideAccess: true,
        context: { medusaSync: true },
      })
      result.updated.push(previous.id)
    } else {
      const doc = await payload.create({
        collection: PRODUCT_CONTENT as never,
        data: { ...data, tenant: tenant.id } as never,
        overrideAccess: true,
        context: { medusaSync: true },
      })
      result.created.push((doc as { id: Id }).id)
    }
  }
  return result
}

/** Marks a product's documents as failing to sync, with the reason (after the last retry). */
export async function markSyncFailed(payload: Payload, productId: string, reason: string): Promise<void> {
  for (const doc of await contentDocs(payload, { medusaProductId: { equals: productId } }))
    await payload.update({
      collection: PRODUCT_CONTENT as never,
      id: doc.id,
      data: { sync: { state: 'failed', error: reason.slice(0, 2000) } } as never,
      overrideAccess: true,
      context: { medusaSync: true },
    })
}

export interface ResyncReport {
  tenant: string
  products: number
  created: number
  updated: number
  unchanged: number
  deleted: number
  failed: { productId: string; error: string }[]
}

/** Every product id in a sales channel, page by page. */
export async function listChannelProductIds(payload: Payload, salesChannelId: string): Promise<string[]> {
  const config = medusaConfigOf(payload)
  const client = medusaClientOf(payload)
  const ids: string[] = []
  const limit = 100
  for (let offset = 0; ; offset += limit) {
    const page = await withDeadline(
      client.admin.product.list({ sales_channel_id: [salesChannelId], fields: 'id', limit, offset }),
      config.timeoutMs,
      'GET /admin/products',
    )
    ids.push(...page.products.map((product) => product.id))
    if (page.products.length < limit || ids.length >= page.count) return ids
  }
}

/**
 * Repairs drift between Medusa and Payload for linked tenants (all, or the ones given by slug): syncs
 * every product of their sales channels and deletes content whose product they no longer sell.
 */
export async function resyncProducts(payload: Payload, options: { tenants?: string[] } = {}): Promise<ResyncReport[]> {
  const reports: ResyncReport[] = []
  const tenants = (await linkedTenants(payload)).filter((t) => !options.tenants || options.tenants.includes(t.slug))
  for (const tenant of tenants) {
    const report: ResyncReport = {
      tenant: tenant.slug,
      products: 0,
      created: 0,
      updated: 0,
      unchanged: 0,
      deleted: 0,
      failed: [],
    }
    const productIds = await listChannelProductIds(payload, tenant.salesChannelId)
    report.products = productIds.length
    for (const productId of productIds) {
      try {
        const result = await syncProduct(payload, productId)
        report.created += result.created.length
        report.updated += result.updated.length
        report.unchanged += result.unchanged.length
        report.deleted += result.deleted.length
      } catch (error) {
        report.failed.push({ productId, error: (error as Error).message })
      }
    }
    const listed = new Set(productIds)
    for (const doc of await contentDocs(payload, { tenant: { equals: tenant.id } })) {
      if (listed.has(doc.medusaProductId)) continue
      // Deleted in Medusa or taken out of the tenant's channel while no event reached us.
      const result = await syncProduct(payload, doc.medusaProductId)
      report.deleted += result.deleted.length
    }
    reports.push(report)
  }
  return reports
}
