/**
 * The CMS's security headers. Admin pages are rendered per request, so their Content-Security-Policy
 * carries a fresh nonce from src/proxy.ts (Next puts it on its scripts; Payload's admin adds no inline
 * script of its own); `'strict-dynamic'` lets those scripts load the admin's chunks. Styles allow
 * inline (Payload and its editors set `style` attributes). The REST/GraphQL API answers JSON: its CSP
 * lets nothing run. Nobody may frame the CMS. next.config.ts adds the nonce-free headers everywhere.
 */

export interface CmsHeaderOptions {
  /** `next dev`: React refresh needs `'unsafe-eval'`; no HSTS. */
  dev: boolean
}

/** A fresh nonce for one response: 128 random bits, base64. */
export function newNonce(): string {
  return btoa(String.fromCharCode(...crypto.getRandomValues(new Uint8Array(16))))
}

/** The CSP of an admin page (with its nonce), or of any other response (no nonce: nothing may run). */
export function contentSecurityPolicy({ dev }: CmsHeaderOptions, nonce?: string): string {
  const directives: Record<string, string[]> = nonce
    ? {
        'default-src': ["'self'"],
        'script-src': ["'self'", `'nonce-${nonce}'`, "'strict-dynamic'", ...(dev ? ["'unsafe-eval'"] : [])],
        'style-src': ["'self'", "'unsafe-inline'"],
        'img-src': ["'self'", 'data:', 'blob:'],
        'font-src': ["'self'", 'data:'],
        'connect-src': ["'self'"],
        'worker-src': ["'self'", 'blob:'],
        'frame-src': ["'self'"],
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

/** Headers for every response (next.config.ts); the admin's CSP comes from the proxy. */
export function staticSecurityHeaders({ dev }: CmsHeaderOptions): { key: string; value: string }[] {
  return [
    { key: 'X-Content-Type-Options', value: 'nosniff' },
    { key: 'Referrer-Policy', value: 'strict-origin-when-cross-origin' },
    { key: 'X-Frame-Options', value: 'DENY' },
    ...(dev ? [] : [{ key: 'Strict-Transport-Security', value: 'max-age=63072000; includeSubDomains' }]),
  ]
}

/** Options from the environment. */
export const cmsHeaderOptions = (env: Record<string, string | undefined> = process.env): CmsHeaderOptions => ({
  dev: env.NODE_ENV !== 'production',
})
