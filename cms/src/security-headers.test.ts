import { describe, expect, it } from 'vitest'
import { cmsHeaderOptions, contentSecurityPolicy, newNonce, staticSecurityHeaders } from './security-headers.ts'

const directive = (csp: string, name: string) =>
  csp
    .split('; ')
    .find((d) => d.startsWith(`${name} `))
    ?.slice(name.length + 1)
    .split(' ')

describe('CMS security headers', () => {
  it('runs only admin scripts with the nonce of the response; eval only in next dev', () => {
    const nonce = newNonce()
    const prod = contentSecurityPolicy(cmsHeaderOptions({ NODE_ENV: 'production' }), nonce)
    expect(directive(prod, 'script-src')).toEqual(["'self'", `'nonce-${nonce}'`, "'strict-dynamic'"])
    expect(directive(prod, 'frame-ancestors')).toEqual(["'none'"])
    expect(directive(prod, 'object-src')).toEqual(["'none'"])
    expect(directive(prod, 'form-action')).toEqual(["'self'"])
    const dev = contentSecurityPolicy(cmsHeaderOptions({ NODE_ENV: 'development' }), nonce)
    expect(directive(dev, 'script-src')).toContain("'unsafe-eval'")
    expect(newNonce()).not.toBe(nonce)
  })

  it('lets nothing run on API responses and sends HSTS in production only', () => {
    expect(contentSecurityPolicy({ dev: false })).toBe("default-src 'none'; frame-ancestors 'none'")
    const prod = Object.fromEntries(staticSecurityHeaders({ dev: false }).map((h) => [h.key, h.value]))
    expect(prod).toMatchObject({
      'X-Content-Type-Options': 'nosniff',
      'Referrer-Policy': 'strict-origin-when-cross-origin',
      'X-Frame-Options': 'DENY',
    })
    expect(prod['Strict-Transport-Security']).toMatch(/^max-age=\d{8,}/)
    expect(staticSecurityHeaders({ dev: true }).map((h) => h.key)).not.toContain('Strict-Transport-Security')
  })
})
