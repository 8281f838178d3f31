/**
 * The tenant a request is for. Pages get it from the route (`/[tenant]/…`, set by the proxy's rewrite);
 * server actions from the `x-storefront-tenant` header the proxy sets on every request it passes on
 * (never from form data, which a shopper controls).
 */
import { requestIdOf } from '@bizosaas/observability/request-id'
import { TENANT_HEADER } from '@lib/tenant-header'
import { headers } from 'next/headers'
import { notFound } from 'next/navigation'
import { type Region, regionByKey } from './regions'
import { getTenant, type ShopContext, shopOf, type Tenant } from './tenants'

export type { ShopContext }

/** The tenant by slug (404 when unknown). */
export async function tenantBySlug(slug: string): Promise<Tenant> {
  const tenant = await getTenant(slug)
  if (!tenant) notFound()
  return tenant
}

/** The tenant and its Medusa shop (404 when the tenant sells nothing). */
export async function shopContext(slug: string): Promise<ShopContext> {
  const tenant = await tenantBySlug(slug)
  const shop = shopOf(tenant)
  if (!shop) notFound()
  return { tenant, shop }
}

export interface RouteParams {
  tenant: string
  /** A region id or `default` (set by the proxy from the shopper's region cookie). */
  region: string
}

/** A shop page's tenant, shop and region, from its route (never from cookies, so the page can be cached). */
export async function shopPageContext(params: Promise<RouteParams>): Promise<ShopContext & { region: Region }> {
  const { tenant, region } = await params
  const context = await shopContext(tenant)
  return { ...context, region: await regionByKey(context, region) }
}

/** Like `shopPageContext`, but null for a tenant without a shop (content pages show no product blocks). */
export async function optionalShopPageContext(
  params: Promise<RouteParams>,
): Promise<(ShopContext & { region: Region }) | null> {
  const { tenant: slug, region } = await params
  const tenant = await tenantBySlug(slug)
  const shop = shopOf(tenant)
  if (!shop) return null
  return { tenant, shop, region: await regionByKey({ tenant, shop }, region) }
}

/**
 * In a server action: the tenant the proxy resolved for this request, and its shop carrying the request's
 * `x-request-id` (set by the proxy), so Medusa's logs of the action's calls name it.
 */
export async function actionShopContext(): Promise<ShopContext> {
  const requestHeaders = await headers()
  const slug = requestHeaders.get(TENANT_HEADER)
  if (!slug) throw new Error('No tenant on this request (the proxy did not run)')
  const context = await shopContext(slug)
  const requestId = requestIdOf(requestHeaders)
  return requestId ? { ...context, shop: { ...context.shop, requestId } } : context
}
