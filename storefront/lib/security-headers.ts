/**
 * The storefront's security headers and Content-Security-Policy, built in one place. next.config.ts
 * sends the fixed ones on every response (its headers are fixed at build time); proxy.ts adds the CSP
 * to every page at run time, because the CSP names MEDUSA_URL's origin, which a build does not know.
 *
 * Why no nonce: product, home, content and blog pages are rendered once and then served from Next's
 * full-route cache, so a per-request nonce cannot reach their HTML (and per-page hashes cannot cover
 * Next's inline RSC payload scripts, whose text changes with every page). Scripts are therefore limited
 * to this origin plus inline (`'unsafe-inline'`); everything else — objects, base URL, form targets,
 * framing, connections — is locked to this origin, and rendering escapes all content (React, the
 * Lexical serializer).
 */

export interface StorefrontHeaderOptions {
  /** `next dev`: React refresh needs `'unsafe-eval'`; no HSTS. */
  dev: boolean
  /**
   * Origins the browser loads images from directly (besides this origin and Next's image optimizer):
   * Medusa (cart thumbnails are its `/static/` URLs) and STOREFRONT_IMAGE_HOSTS.
   * @default []
   */
  imageOrigins?: string[]
}

/** The origin (`scheme://host[:port]`) of each URL; malformed entries are dropped. */
export function originsOf(urls: (string | undefined)[]): string[] {
  const origins = new Set<string>()
  for (const value of urls) {
    if (!value?.trim()) continue
    try {
      origins.add(new URL(value.trim()).origin)
    } catch {
      // not a URL: the image config refuses it with its own message
    }
  }
  return [...origins]
}

/** The Content-Security-Policy value. */
export function contentSecurityPolicy({ dev, imageOrigins = [] }: StorefrontHeaderOptions): string {
  const directives: Record<string, string[]> = {
    'default-src': ["'self'"],
    'script-src': ["'self'", "'unsafe-inline'", ...(dev ? ["'unsafe-eval'"] : [])],
    'style-src': ["'self'", "'unsafe-inline'"],
    'img-src': ["'self'", 'data:', 'blob:', ...imageOrigins],
    'font-src': ["'self'", 'data:'],
    'connect-src': ["'self'"],
    'frame-src': ["'none'"],
    'object-src': ["'none'"],
    'base-uri': ["'self'"],
    'form-action': ["'self'"],
    'frame-ancestors': ["'none'"],
  }
  return Object.entries(directives)
    .map(([name, values]) => `${name} ${values.join(' ')}`)
    .join('; ')
}

/** The headers that do not depend on the deployment (next.config.ts): HSTS in production only. */
export function staticSecurityHeaders({ dev }: Pick<StorefrontHeaderOptions, 'dev'>): { key: string; value: string }[] {
  return [
    { key: 'X-Content-Type-Options', value: 'nosniff' },
    { key: 'Referrer-Policy', value: 'strict-origin-when-cross-origin' },
    // For browsers without CSP frame-ancestors.
    { key: 'X-Frame-Options', value: 'DENY' },
    ...(dev ? [] : [{ key: 'Strict-Transport-Security', value: 'max-age=63072000; includeSubDomains' }]),
  ]
}

/** The options for this process's environment (NODE_ENV, MEDUSA_URL, STOREFRONT_IMAGE_HOSTS). */
export function storefrontHeaderOptions(
  env: Record<string, string | undefined> = process.env,
): StorefrontHeaderOptions {
  return {
    dev: env.NODE_ENV !== 'production',
    imageOrigins: originsOf([
      env.MEDUSA_URL || 'http://localhost:9000',
      ...(env.STOREFRONT_IMAGE_HOSTS ?? '').split(','),
    ]),
  }
}

/** Every security header, CSP included (the proxy's own pages: unknown host, outage). */
export function securityHeaders(options: StorefrontHeaderOptions): { key: string; value: string }[] {
  return [{ key: 'Content-Security-Policy', value: contentSecurityPolicy(options) }, ...staticSecurityHeaders(options)]
}
