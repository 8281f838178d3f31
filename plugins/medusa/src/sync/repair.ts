import type { Payload, Where } from 'payload'
import { type ResyncReport, resyncProducts } from './products.ts'
import { linkTenantCommerce, type TenantLinkResult } from './tenants.ts'

export interface RepairReport {
  links: (Omit<TenantLinkResult, 'storefront'> & { salesChannelId: string })[]
  linkFailures: { tenant: string; error: string }[]
  products: ResyncReport[]
}

/**
 * The full re-sync: links every commerce-enabled tenant (idempotent), then syncs every product of the
 * linked tenants and removes content of products they no longer sell. Repairs any drift between
 * Medusa and Payload (missed events, a CMS that was down, a restored backup).
 */
export async function repairCommerce(payload: Payload, options: { tenants?: string[] } = {}): Promise<RepairReport> {
  const where: Where = { 'commerce.enabled': { equals: true } }
  if (options.tenants) where.slug = { in: options.tenants }
  const { docs } = await payload.find({
    collection: 'tenants' as never,
    where,
    limit: 0,
    pagination: false,
    depth: 0,
    overrideAccess: true,
  })
  const report: RepairReport = { links: [], linkFailures: [], products: [] }
  for (const tenant of docs as unknown as { id: number | string; slug: string }[]) {
    try {
      const { storefront, ...link } = await linkTenantCommerce(payload, tenant.id)
      report.links.push({ ...link, salesChannelId: storefront.salesChannelId })
    } catch (error) {
      report.linkFailures.push({ tenant: tenant.slug, error: (error as Error).message })
    }
  }
  report.products = await resyncProducts(payload, options)
  return report
}
