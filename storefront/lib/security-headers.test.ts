import { describe, expect, it } from 'vitest'
import { contentSecurityPolicy, originsOf, securityHeaders, storefrontHeaderOptions } from './security-headers'

const directive = (csp: string, name: string) =>
  csp
    .split('; ')
    .find((d) => d.startsWith(`${name} `))
    ?.slice(name.length + 1)
    .split(' ')

describe('storefront security headers', () => {
  it('locks framing, objects, base and forms to nothing or this origin; no eval in production', () => {
    const csp = contentSecurityPolicy({ dev: false })
    expect(directive(csp, 'frame-ancestors')).toEqual(["'none'"])
    expect(directive(csp, 'object-src')).toEqual(["'none'"])
    expect(directive(csp, 'base-uri')).toEqual(["'self'"])
    expect(directive(csp, 'form-action')).toEqual(["'self'"])
    expect(directive(csp, 'script-src')).toEqual(["'self'", "'unsafe-inline'"])
    expect(directive(csp, 'connect-src')).toEqual(["'self'"])
  })

  it("adds 'unsafe-eval' for next dev (React refresh) and no HSTS there", () => {
    expect(directive(contentSecurityPolicy({ dev: true }), 'script-src')).toContain("'unsafe-eval'")
    const keys = securityHeaders({ dev: true }).map((h) => h.key)
    expect(keys).not.toContain('Strict-Transport-Security')
    expect(keys).toEqual(
      expect.arrayContaining(['Content-Security-Policy', 'X-Content-Type-Options', 'Referrer-Policy']),
    )
  })

  it('sends HSTS, nosniff and a referrer policy in production', () => {
    const headers = Object.fromEntries(securityHeaders({ dev: false }).map((h) => [h.key, h.value]))
    expect(headers['Strict-Transport-Security']).toMatch(/^max-age=\d{8,}; includeSubDomains$/)
    expect(headers['X-Content-Type-Options']).toBe('nosniff')
    expect(headers['Referrer-Policy']).toBe('strict-origin-when-cross-origin')
    expect(headers['X-Frame-Options']).toBe('DENY')
  })

  it("allows images from Medusa's origin and the configured image hosts only", () => {
    const csp = contentSecurityPolicy(
      storefrontHeaderOptions({
        NODE_ENV: 'production',
        MEDUSA_URL: 'http://commerce.internal:9000/',
        STOREFRONT_IMAGE_HOSTS: 'https://cdn.example.com/products, not a url',
      }),
    )
    expect(directive(csp, 'img-src')).toEqual([
      "'self'",
      'data:',
      'blob:',
      'http://commerce.internal:9000',
      'https://cdn.example.com',
    ])
    expect(originsOf(['', undefined, 'x'])).toEqual([])
  })
})
