/** Path of the storefront's endpoint (the route file lives at `storefront/app<path>/route.ts`). */
export declare const REVALIDATE_PATH: '/api/revalidate'

/** A cache tag: lower-case letters, digits, ":", "_" and "-" (e.g. `products`, `pages:coreldove`). */
export declare const REVALIDATE_TAG: RegExp

/** Most tags one call may carry. */
export declare const MAX_REVALIDATE_TAGS: 100

/** The body the storefront accepts. */
export interface RevalidateBody {
  tags: string[]
}

/**
 * The request that expires `tags` on the storefront at `storefrontUrl` (a trailing slash is fine),
 * as `fetch(url, init)` takes it; the caller adds its own `signal`.
 */
export declare function revalidateRequest(
  storefrontUrl: string,
  secret: string,
  tags: readonly string[],
): { url: string; init: { method: 'POST'; headers: Record<string, string>; body: string } }
