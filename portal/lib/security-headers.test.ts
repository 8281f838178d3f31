import { describe, expect, it } from 'vitest'
import { contentSecurityPolicy, newNonce, portalHeaderOptions, staticSecurityHeaders } from './security-headers'

const directive = (csp: string, name: string) =>
  csp
    .split('; ')
    .find((d) => d.startsWith(`${name} `))
    ?.slice(name.length + 1)
    .split(' ')

describe('portal security headers', () => {
  it('runs only scripts with the nonce of this response, and no eval in production', () => {
    const nonce = newNonce()
    const csp = contentSecurityPolicy({ dev: false }, nonce)
    expect(directive(csp, 'script-src')).toEqual(["'self'", `'nonce-${nonce}'`, "'strict-dynamic'"])
    expect(directive(csp, 'object-src')).toEqual(["'none'"])
    expect(directive(csp, 'base-uri')).toEqual(["'self'"])
    expect(directive(csp, 'form-action')).toEqual(["'self'"])
    expect(directive(csp, 'frame-ancestors')).toEqual(["'none'"])
    expect(directive(contentSecurityPolicy({ dev: true }, nonce), 'script-src')).toContain("'unsafe-eval'")
  })

  it('makes a different 128-bit nonce each time', () => {
    const nonces = new Set(Array.from({ length: 50 }, newNonce))
    expect(nonces.size).toBe(50)
    for (const n of nonces) expect(atob(n)).toHaveLength(16)
  })

  it('frames Metabase only, and only when it is configured', () => {
    const options = portalHeaderOptions({
      NODE_ENV: 'production',
      METABASE_SITE_URL: 'https://bi.example.com/metabase/',
    })
    expect(directive(contentSecurityPolicy(options, 'n'), 'frame-src')).toEqual(['https://bi.example.com'])
    expect(directive(contentSecurityPolicy(portalHeaderOptions({}), 'n'), 'frame-src')).toEqual(["'none'"])
  })

  it('lets nothing run on API responses, and sends HSTS only in production', () => {
    expect(contentSecurityPolicy({ dev: false })).toBe("default-src 'none'; frame-ancestors 'none'")
    const prod = Object.fromEntries(staticSecurityHeaders({ dev: false }).map((h) => [h.key, h.value]))
    expect(prod['Strict-Transport-Security']).toMatch(/^max-age=\d{8,}/)
    expect(prod['X-Content-Type-Options']).toBe('nosniff')
    expect(prod['Referrer-Policy']).toBe('strict-origin-when-cross-origin')
    expect(staticSecurityHeaders({ dev: true }).map((h) => h.key)).not.toContain('Strict-Transport-Security')
  })
})
