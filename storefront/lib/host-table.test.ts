/**
 * The proxy's host table against a real HTTP Payload stand-in whose tenant list gets slow: an expired
 * table answers at once while it refreshes in the background; only a process without a table waits.
 */
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

const SLOW_MS = 400
let server: http.Server
let domain = 'first.example'
let requests = 0

beforeAll(async () => {
  server = http.createServer((req, res) => {
    requests++
    const body = JSON.stringify({ docs: [{ slug: 'shop', name: 'Shop', domains: [{ domain }] }] })
    // Every list after the first is slow, like Payload or Medusa under load.
    setTimeout(
      () => {
        res.writeHead(req.url?.startsWith('/api/tenants') ? 200 : 404, { 'content-type': 'application/json' })
        res.end(body)
      },
      requests === 1 ? 0 : SLOW_MS,
    )
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  process.env.CMS_URL = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  // Every table is expired at once: each call after the first would refresh.
  process.env.TENANT_CACHE_SECONDS = '0'
})

afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())))

async function timed<T>(fn: () => Promise<T>): Promise<{ value: T; ms: number }> {
  const started = performance.now()
  const value = await fn()
  return { value, ms: performance.now() - started }
}

describe('host table', () => {
  it('serves the expired table at once while one background load refreshes it', async () => {
    const { currentHostTable, dropHostTable } = await import('./host-table')
    const first = await currentHostTable()
    expect(first?.byDomain.get('first.example')).toBe('shop')

    domain = 'second.example'
    // Expired: answered from memory while the (slow) refresh runs; concurrent calls start no second load.
    const stale = await Promise.all([1, 2, 3].map(() => timed(currentHostTable)))
    for (const { value, ms } of stale) {
      expect(value?.byDomain.get('first.example')).toBe('shop')
      expect(ms).toBeLessThan(SLOW_MS / 2)
    }
    await new Promise((r) => setTimeout(r, SLOW_MS * 2))
    expect(requests).toBe(2)
    const refreshed = await currentHostTable()
    expect(refreshed?.byDomain.get('second.example')).toBe('shop')
    expect(refreshed?.byDomain.has('first.example')).toBe(false)

    // Dropped (a revalidation of `tenants`): the next request waits for the new table.
    await new Promise((r) => setTimeout(r, SLOW_MS * 2))
    domain = 'third.example'
    dropHostTable()
    const { value, ms } = await timed(currentHostTable)
    expect(value?.byDomain.get('third.example')).toBe('shop')
    expect(ms).toBeGreaterThanOrEqual(SLOW_MS - 50)
  })
})
