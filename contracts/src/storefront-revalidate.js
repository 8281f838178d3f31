// The storefront's revalidate call: `POST <storefront>/api/revalidate` with a bearer secret and the
// cache tags to expire. Sent by the CMS (content hooks) and Medusa (product subscriber); answered by
// storefront/app/api/revalidate/route.ts. Types: storefront-revalidate.d.ts.
/** Path of the storefront's endpoint (the route file lives at `storefront/app<path>/route.ts`). */
export const REVALIDATE_PATH = '/api/revalidate'

/** A cache tag: lower-case letters, digits, ":", "_" and "-" (e.g. `products`, `pages:coreldove`). */
export const REVALIDATE_TAG = /^[a-z0-9][a-z0-9:_-]{0,119}$/

/** Most tags one call may carry. */
export const MAX_REVALIDATE_TAGS = 100

/**
 * The request that expires `tags` on the storefront at `storefrontUrl` (a trailing slash is fine),
 * as `fetch(url, init)` takes it; the caller adds its own `signal`.
 * @param {string} storefrontUrl
 * @param {string} secret
 * @param {readonly string[]} tags
 */
export function revalidateRequest(storefrontUrl, secret, tags) {
  return {
    url: `${storefrontUrl.replace(/\/+$/, '')}${REVALIDATE_PATH}`,
    init: {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${secret}` },
      body: JSON.stringify({ tags }),
    },
  }
}
