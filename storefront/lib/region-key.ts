/**
 * The `[region]` route segment: the proxy turns the shopper's region cookie into it, so every page is
 * cached per tenant and region and never reads the cookie. Only ids of the shop's current regions pass;
 * anything else is `default` (the first region), so a forged cookie cannot make new cache entries.
 */
export const REGION_COOKIE = 'region'
export const DEFAULT_REGION_KEY = 'default'

export function regionKeyFor(shopRegionIds: ReadonlySet<string> | undefined, cookie: string | undefined): string {
  return cookie && shopRegionIds?.has(cookie) ? cookie : DEFAULT_REGION_KEY
}
