/**
 * The portal's security headers. Every portal page is rendered per request (it reads the session), so
 * its Content-Security-Policy carries a fresh nonce from proxy.ts: only scripts Next marks with that
 * nonce run (`'strict-dynamic'` lets them load the app's chunks). Styles allow inline (`style`
 * attributes of React and Recharts). The portal may frame Metabase (analytics) and nothing else, and
 * nobody may frame the portal. next.config.ts adds the headers that need no nonce to every response.
 */

export interface PortalHeaderOptions {
  /** `next dev`: React refresh needs `'unsafe-eval'`; no HSTS. */
  dev: boolean
  /** METABASE_SITE_URL: its origin is the one page the portal may frame. @default none */
  metabaseSiteUrl?: string
}

/** A fresh nonce for one response: 128 random bits, base64. */
export function newNonce(): string {
  return btoa(String.fromCharCode(...crypto.getRandomValues(new Uint8Array(16))))
}

function originOf(url: string | undefined): string | undefined {
  if (!url) return undefined
  try {
    return new URL(url).origin
  } catch {
    return undefined
  }
}

/** The CSP of a portal page; with no nonce (API routes) no script may run at all. */
export function contentSecurityPolicy({ dev, metabaseSiteUrl }: PortalHeaderOptions, nonce?: string): string {
  const metabase = originOf(metabaseSiteUrl)
  const directives: Record<string, string[]> = nonce
    ? {
        'default-src': ["'self'"],
        'script-src': ["'self'", `'nonce-${nonce}'`, "'strict-dynamic'", ...(dev ? ["'unsafe-eval'"] : [])],
        'style-src': ["'self'", "'unsafe-inline'"],
        'img-src': ["'self'", 'data:', 'blob:'],
        'font-src': ["'self'", 'data:'],
        'connect-src': ["'self'"],
        'frame-src': metabase ? [metabase] : ["'none'"],
        'object-src': ["'none'"],
        'base-uri': ["'self'"],
        'form-action': ["'self'"],
        'frame-ancestors': ["'none'"],
      }
    : { 'default-src': ["'none'"], 'frame-ancestors': ["'none'"] }
  return Object.entries(directives)
    .map(([name, values]) => `${name} ${values.join(' ')}`)
    .join('; ')
}

/** The headers every response gets (next.config.ts): no CSP, which pages get from the proxy. */
export function staticSecurityHeaders({ dev }: PortalHeaderOptions): { key: string; value: string }[] {
  return [
    { key: 'X-Content-Type-Options', value: 'nosniff' },
    { key: 'Referrer-Policy', value: 'strict-origin-when-cross-origin' },
    { key: 'X-Frame-Options', value: 'DENY' },
    ...(dev ? [] : [{ key: 'Strict-Transport-Security', value: 'max-age=63072000; includeSubDomains' }]),
  ]
}

/** Options from the environment (NODE_ENV, METABASE_SITE_URL). */
export const portalHeaderOptions = (env: Record<string, string | undefined> = process.env): PortalHeaderOptions => ({
  dev: env.NODE_ENV !== 'production',
  metabaseSiteUrl: env.METABASE_SITE_URL || undefined,
})
