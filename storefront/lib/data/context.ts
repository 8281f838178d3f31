/**
 * The tenant a request is for. Pages get it from the route (`/[tenant]/…`, set by the proxy's rewrite);
 * server actions from the `x-storefront-tenant` header the proxy sets on every request it passes on
 * (never from form data, which a shopper controls).
 */
import { TENANT_HEADER } from '@lib/tenant-header'
import { headers } from 'next/headers'
import { notFound } from 'next/navigation'
import { getTenant, shopOf, type Tenant, type TenantShop } from './tenants'

export interface ShopContext {
  tenant: Tenant
  shop: TenantShop
}

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

/** In a server action: the tenant the proxy resolved for this request. */
export async function actionShopContext(): Promise<ShopContext> {
  const slug = (await headers()).get(TENANT_HEADER)
  if (!slug) throw new Error('No tenant on this request (the proxy did not run)')
  return shopContext(slug)
}
