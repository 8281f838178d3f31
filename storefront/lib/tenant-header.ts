/** Request header the proxy sets to the resolved tenant's slug (always overwritten). */
export const TENANT_HEADER = 'x-storefront-tenant'
