/** The shop's regions (currency and countries) and the shopper's choice, kept in a cookie. */
import { cookies } from 'next/headers'
import type { ShopContext } from './context'
import { storeGet } from './medusa'

export interface Region {
  id: string
  name: string
  currency_code: string
  countries: { iso_2: string; display_name: string }[]
}

export const REGION_COOKIE = 'region'

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

/** The shopper's region (cookie), else the first. */
export async function currentRegion(context: ShopContext): Promise<Region> {
  const regions = await listRegions(context)
  const chosen = (await cookies()).get(REGION_COOKIE)?.value
  const region = regions.find((r) => r.id === chosen) ?? regions[0]
  if (!region) throw new Error(`The shop of ${context.tenant.name} has no regions`)
  return region
}
