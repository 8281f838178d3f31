/**
 * The shop's regions (currency and countries) and the shopper's choice. The choice is kept in a cookie;
 * the proxy turns it into the `[region]` route segment (a known region id, or `default`), so pages are
 * cached per tenant and region and never read the cookie themselves. Server actions read the cookie.
 */
import { DEFAULT_REGION_KEY, REGION_COOKIE } from '@lib/region-key'
import { cookies } from 'next/headers'
import { storeGet } from './medusa'
import type { ShopContext } from './tenants'

export interface Region {
  id: string
  name: string
  currency_code: string
  countries: { iso_2: string; display_name: string }[]
}

export { REGION_COOKIE }

/** Every region of the store (cached). */
export async function listRegions({ tenant, shop }: ShopContext): Promise<Region[]> {
  const res = await storeGet<{ regions: Region[] }>(
    shop,
    '/store/regions',
    { fields: 'id,name,currency_code,*countries', limit: 50 },
    { tags: ['regions', `regions:${tenant.slug}`], revalidate: 3600 },
  )
  return (res?.regions ?? []).sort((a, b) => a.name.localeCompare(b.name))
}

/** The region a key names (`default` or an unknown id: the first region by name). */
export async function regionByKey(context: ShopContext, key: string | undefined): Promise<Region> {
  const regions = await listRegions(context)
  const region = (key && key !== DEFAULT_REGION_KEY && regions.find((r) => r.id === key)) || regions[0]
  if (!region) throw new Error(`The shop of ${context.tenant.name} has no regions`)
  return region
}

/** In a server action: the shopper's region from the cookie, else the default. */
export async function currentRegion(context: ShopContext): Promise<Region> {
  return regionByKey(context, (await cookies()).get(REGION_COOKIE)?.value)
}
