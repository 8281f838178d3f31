import http from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { cachedLoad, metricsResponse, observeHttpServer, routeOf, serviceMetrics } from './metrics.ts'
import { histogramCount, parseMetrics, sampleValue } from './testing.ts'

describe('routeOf', () => {
  it('gives route patterns, never raw ids or query strings', () => {
    const patterns = ['/:tenant/:region/products/:handle']
    expect(routeOf('/acme/us/products/blue-shirt?x=1', patterns)).toBe('/:tenant/:region/products/:handle')
    expect(routeOf('/api/agent-runs/42?depth=0')).toBe('/api/agent-runs/:id')
    expect(routeOf('/api/x/3f2b8c1e-0a4b-4c7d-9e8f-0123456789ab')).toBe('/api/x/:id')
    expect(routeOf('/admin/products/prod_01JABCDEFGHJKMNPQRSTVWXYZ0')).toBe('/admin/products/:id')
    expect(routeOf('/_next/static/chunks/abc.js')).toBe('/_next/static/*')
    expect(routeOf('/')).toBe('/')
    const storefront = ['/', '/products/:handle', '/api/:rest*', '/:slug+']
    expect(routeOf('/', storefront)).toBe('/')
    expect(routeOf('/products/a.b', storefront)).toBe('/products/:handle')
    expect(routeOf('/products/a/b', storefront)).toBe('/:slug+')
    expect(routeOf('/api', storefront)).toBe('/api/:rest*')
    expect(routeOf('/api/x/y', storefront)).toBe('/api/:rest*')
    expect(routeOf('/about-us', storefront)).toBe('/:slug+')
    expect(routeOf('/a.b', ['/a.b'])).toBe('/a.b')
    expect(routeOf('/axb', ['/a.b'])).toBe('/axb')
  })
})

describe('service metrics over HTTP', () => {
  let server: http.Server
  let url: string
  const metrics = serviceMetrics('test-service')
  beforeAll(async () => {
    observeHttpServer(metrics, ['/items/:slug'])
    server = http.createServer(async (req, res) => {
      const request = new Request(`http://localhost${req.url}`, { headers: req.headers as Record<string, string> })
      const response = req.url?.startsWith('/metrics')
        ? await metricsResponse(metrics, request, { token: req.url.includes('locked') ? 's3cret' : undefined })
        : new Response('ok', { status: req.url?.includes('missing') ? 404 : 200 })
      res.writeHead(response.status, Object.fromEntries(response.headers))
      res.end(await response.text())
    })
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  })
  afterAll(() => new Promise<void>((r) => server.close(() => r())))

  it('serves Prometheus text with default metrics and the traffic just made, by route pattern', async () => {
    for (const path of ['/items/a', '/items/b?q=1', '/items/missing', '/things/12']) await fetch(url + path)
    const res = await fetch(`${url}/metrics`)
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toContain('text/plain')
    const families = parseMetrics(await res.text())
    const name = 'http_server_request_duration_seconds'
    expect(histogramCount(families, name, { route: '/items/:slug', status_code: '200', service: 'test-service' })).toBe(
      2,
    )
    expect(histogramCount(families, name, { route: 'unmatched', status_code: '404' })).toBe(1)
    expect(histogramCount(families, name, { route: '/things/:id', method: 'GET' })).toBe(1)
    expect(families.get(`${name}_count`)!.metrics.some((m) => m.labels?.route?.includes('?'))).toBe(false)
    expect(families.get(name)?.type).toBe('HISTOGRAM')
    expect(sampleValue(families, 'process_resident_memory_bytes')).toBeGreaterThan(0)
  })

  it('refuses a scrape without the bearer token when one is set', async () => {
    expect((await fetch(`${url}/metrics/locked`)).status).toBe(401)
    const ok = await fetch(`${url}/metrics/locked`, { headers: { authorization: 'Bearer s3cret' } })
    expect(ok.status).toBe(200)
    expect(parseMetrics(await ok.text()).size).toBeGreaterThan(5)
  })

  it('returns the same registry to every caller in the process', () => {
    expect(serviceMetrics('other')).toBe(metrics)
  })
})

describe('cachedLoad', () => {
  it('loads once per ttl, shares concurrent loads and does not keep failures', async () => {
    let calls = 0
    let fail = true
    const load = cachedLoad(async () => {
      calls++
      if (fail) throw new Error('db down')
      return calls
    }, 60_000)
    await expect(load()).rejects.toThrow('db down')
    fail = false
    const [a, b] = await Promise.all([load(), load()])
    expect([a, b, calls]).toEqual([2, 2, 2])
    expect(await load()).toBe(2)
  })
})
