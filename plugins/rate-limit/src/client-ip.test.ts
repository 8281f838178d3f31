import { describe, expect, it } from 'vitest'
import { clientIp } from './client-ip.ts'

const forwarded = (value?: string) => new Headers(value === undefined ? {} : { 'x-forwarded-for': value })

describe('client IP', () => {
  it('is unknown without a trusted proxy, whatever the header says', () => {
    expect(clientIp(forwarded('203.0.113.9'), 0)).toBeUndefined()
  })

  it('is the entry the nearest trusted proxy wrote, not what the client sent before it', () => {
    // The client forged "1.1.1.1"; the proxy appended the address it saw.
    expect(clientIp(forwarded('1.1.1.1, 203.0.113.9'), 1)).toBe('203.0.113.9')
    // Two proxies (a load balancer, then Caddy): the load balancer's entry is the client.
    expect(clientIp(forwarded('1.1.1.1, 203.0.113.9, 10.0.0.2'), 2)).toBe('203.0.113.9')
  })

  it('normalises ports, brackets and IPv4-mapped IPv6, and refuses what is not an address', () => {
    expect(clientIp(forwarded('203.0.113.9:5123'), 1)).toBe('203.0.113.9')
    expect(clientIp(forwarded('[2001:DB8::1]:443'), 1)).toBe('2001:db8::1')
    expect(clientIp(forwarded('::ffff:203.0.113.9'), 1)).toBe('203.0.113.9')
    expect(clientIp(forwarded('not-an-address'), 1)).toBeUndefined()
    expect(clientIp(forwarded(), 1)).toBeUndefined()
    // Fewer entries than proxies: the chain did not come through them all.
    expect(clientIp(forwarded('203.0.113.9'), 2)).toBeUndefined()
  })
})
