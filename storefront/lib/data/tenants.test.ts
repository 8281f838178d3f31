import { describe, expect, it } from 'vitest'
import { hostTable, resolveTenantSlug, tenantOrigin } from './tenants'

const table = hostTable([
  { slug: 'coreldove', domains: ['shop.coreldove.com', 'coreldove.localhost'] },
  { slug: 'bizoholic', domains: ['bizoholic.com', 'preview.bizoholic.com:8443'] },
])

describe('resolveTenantSlug', () => {
  it('picks the tenant whose domain is the host, with or without a port', () => {
    expect(resolveTenantSlug(table, { host: 'shop.coreldove.com' })).toBe('coreldove')
    expect(resolveTenantSlug(table, { host: 'SHOP.coreldove.com:443' })).toBe('coreldove')
    expect(resolveTenantSlug(table, { host: 'preview.bizoholic.com:8443' })).toBe('bizoholic')
  })

  it('gives no tenant for an unknown host, whatever the query or cookie say', () => {
    expect(
      resolveTenantSlug(table, { host: 'evil.example', queryTenant: 'coreldove', cookieTenant: 'coreldove' }),
    ).toBe(null)
    expect(resolveTenantSlug(table, { host: 'preview.bizoholic.com' })).toBe(null)
  })

  it('lets development hosts choose by ?tenant=, <slug>.localhost, then the cookie', () => {
    expect(resolveTenantSlug(table, { host: 'localhost:3000', queryTenant: 'bizoholic' })).toBe('bizoholic')
    expect(resolveTenantSlug(table, { host: 'bizoholic.localhost:3000', cookieTenant: 'coreldove' })).toBe('bizoholic')
    expect(resolveTenantSlug(table, { host: '127.0.0.1:3000', cookieTenant: 'coreldove' })).toBe('coreldove')
    expect(resolveTenantSlug(table, { host: 'localhost:3000', queryTenant: 'nope' })).toBe(null)
    expect(resolveTenantSlug(table, { host: 'localhost:3000' })).toBe(null)
  })
})

describe('tenantOrigin', () => {
  it("is the tenant's first domain, https unless it is a development host", () => {
    expect(tenantOrigin({ slug: 'coreldove', domains: ['shop.coreldove.com', 'coreldove.localhost'] })).toBe(
      'https://shop.coreldove.com',
    )
    expect(tenantOrigin({ slug: 'coreldove', domains: ['coreldove.localhost:3000'] })).toBe(
      'http://coreldove.localhost:3000',
    )
    expect(tenantOrigin({ slug: 'bizoholic', domains: [] })).toBe('http://bizoholic.localhost')
  })
})
