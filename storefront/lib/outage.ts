/**
 * Fail closed, degrade clearly: while Payload is down or refuses the storefront's key (lib/cms-health),
 * the proxy fetches each page from this same server first. A page in Next's cache comes back as it is;
 * a page that needs Payload fails, and the shopper gets the shop's branded 503 page with Retry-After
 * instead of a 500. A path that failed is answered with the 503 at once (not rendered again) for a
 * minute, so an outage costs one failed render per path per minute, not one per request.
 */
import { securityHeaders, storefrontHeaderOptions } from '@lib/security-headers'
import type { TenantBrand } from './host-table'

/** Seconds a shopper (or crawler) is asked to wait. */
export const RETRY_AFTER_SECONDS = 30
const FAILED_PATH_MS = 60_000
const INTERNAL_HEADER = 'x-storefront-internal'

interface OutageState {
  /** Proves a request came from this process's proxy (never from a shopper). */
  token: string
  /** rewritten path → when its render failed */
  failed: Map<string, number>
}
const store = globalThis as typeof globalThis & { __storefrontOutage?: OutageState }
const state = (): OutageState => (store.__storefrontOutage ??= { token: crypto.randomUUID(), failed: new Map() })

/** The proxy's own request for a page during an outage: pass it to the page as it is. */
export const isInternalRequest = (headers: Headers): boolean => headers.get(INTERNAL_HEADER) === state().token

/** Forget failed paths (the CMS answers again). */
export const clearFailedPaths = (): void => state().failed.clear()

// Hop-by-hop or re-encoded by fetch: never copied onto the answer.
const DROPPED = new Set(['content-encoding', 'content-length', 'transfer-encoding', 'connection', 'keep-alive'])

/**
 * The answer for `request` (a GET or HEAD the proxy rewrote to `rewritten`) while Payload is failing:
 * the cached page, or the branded 503.
 */
export async function answerDuringOutage(
  request: Request,
  rewritten: URL,
  brand: TenantBrand | undefined,
  now = Date.now(),
): Promise<Response> {
  const { failed, token } = state()
  const key = `${rewritten.pathname}${rewritten.search}`
  const failedAt = failed.get(key)
  if (failedAt !== undefined && now - failedAt < FAILED_PATH_MS) return unavailablePage(brand)
  const headers = new Headers(request.headers)
  headers.set(INTERNAL_HEADER, token)
  headers.delete('host')
  let res: Response
  try {
    res = await fetch(`http://127.0.0.1:${process.env.PORT || 3000}${key}`, {
      method: request.method,
      headers,
      redirect: 'manual',
      cache: 'no-store',
      signal: AbortSignal.timeout(15_000),
    })
  } catch {
    return unavailablePage(brand)
  }
  if (res.status >= 500) {
    await res.body?.cancel()
    failed.set(key, now)
    return unavailablePage(brand)
  }
  const out = new Headers()
  res.headers.forEach((value, name) => {
    if (!DROPPED.has(name) && name !== 'set-cookie') out.set(name, value)
  })
  for (const cookie of res.headers.getSetCookie()) out.append('set-cookie', cookie)
  return new Response(res.body, { status: res.status, headers: out })
}

const HEX_COLOUR = /^#(?:[0-9a-fA-F]{3}){1,2}$/

export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`)
}

/** A small self-contained HTML page with the storefront's security headers (the proxy's own answers). */
export function proxyPage(
  status: number,
  title: string,
  body: string,
  extra: Record<string, string> = {},
  colour?: string,
) {
  const accent = colour && HEX_COLOUR.test(colour) ? colour : '#1d4ed8'
  const html = `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><meta name="robots" content="noindex"><title>${title}</title><style>body{font-family:system-ui,sans-serif;max-width:36rem;margin:15vh auto;padding:0 1rem;color:#111}h1{color:${accent}}a{color:${accent}}.brand{font-weight:700;font-size:1.25rem;color:${accent}}</style></head><body><main>${body}</main></body></html>`
  const headers = new Headers({ 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store', ...extra })
  for (const { key, value } of securityHeaders(storefrontHeaderOptions())) headers.set(key, value)
  return new Response(html, { status, headers })
}

/** The branded "we'll be right back" page: 503 with Retry-After, never cached. */
export function unavailablePage(brand: TenantBrand | undefined): Response {
  const name = brand ? escapeHtml(brand.name) : 'This shop'
  return proxyPage(
    503,
    brand ? `${name} — we’ll be right back` : 'We’ll be right back',
    `${brand ? `<p class="brand" data-testid="unavailable-brand">${name}</p>` : ''}<h1>We’ll be right back</h1><p>${name} is taking a short break while we reconnect to our content service. Your cart is safe. Please try again in a minute.</p><p><a href="">Try again</a></p>`,
    { 'retry-after': String(RETRY_AFTER_SECONDS) },
    brand?.primaryColor ?? undefined,
  )
}
