/**
 * deploy/caddy/Caddyfile through Caddy's own adapter (`caddy adapt`, Debian's caddy package; .ci/run
 * installs it): every host goes to the compose service and port it should, that service listens there
 * (the port its healthcheck calls), and no site hands /metrics to a service.
 */
import { execFileSync } from 'node:child_process'
import { describe, expect, it } from 'vitest'
import { environmentOf, interpolate, readCompose } from './lib/compose.ts'
import { readEnvExample } from './lib/env-example.ts'
import { inRepo } from './lib/repo.ts'

interface Route {
  match?: { host?: string[]; path?: string[] }[]
  handle?: Handler[]
  terminal?: boolean
}
interface Handler {
  handler: string
  routes?: Route[]
  upstreams?: { dial: string }[]
  status_code?: number | string
}

const DOMAINS = {
  ACME_EMAIL: 'ops@example.com',
  CMS_DOMAIN: 'cms.example.com',
  COMMERCE_DOMAIN: 'api.example.com',
  PORTAL_DOMAIN: 'portal.example.com',
  SHOP_DOMAINS: 'shop-a.example.com, shop-b.example.org',
  METABASE_DOMAIN: 'metabase.example.com',
}

/** Host → the compose service:port it must reach. */
const EXPECTED: Record<string, string> = {
  'cms.example.com': 'cms:3001',
  'api.example.com': 'medusa:9000',
  'portal.example.com': 'portal:3002',
  'shop-a.example.com': 'storefront:3000',
  'shop-b.example.org': 'storefront:3000',
  'metabase.example.com': 'metabase:3000',
}

type CaddyConfig = { apps: { http: { servers: Record<string, { listen: string[]; routes: Route[] }> } } }

function adapt(env: Record<string, string>): CaddyConfig {
  let out: string
  try {
    out = execFileSync('caddy', ['adapt', '--config', inRepo('deploy/caddy/Caddyfile')], {
      env: { PATH: process.env.PATH, HOME: process.env.HOME, ...env },
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    })
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT')
      throw new Error('caddy is not installed: `apt-get install -y caddy` (.ci/run installs it)')
    throw error
  }
  return JSON.parse(out)
}

/** Caddy's path matcher: case-insensitive, `*` at the end matches any rest. */
const pathMatches = (pattern: string, path: string) => {
  const p = pattern.toLowerCase()
  const value = path.toLowerCase()
  return p.endsWith('*') ? value.startsWith(p.slice(0, -1)) : value === p
}

/** What answers `host` + `path`: the first handler that writes a response, as Caddy runs them. */
function answer(routes: Route[], host: string, path: string): Handler | undefined {
  for (const route of routes) {
    const matches =
      !route.match ||
      route.match.some(
        (m) => (!m.host || m.host.includes(host)) && (!m.path || m.path.some((pattern) => pathMatches(pattern, path))),
      )
    if (!matches) continue
    for (const handler of route.handle ?? []) {
      if (handler.handler === 'subroute') {
        const inner = answer(handler.routes ?? [], host, path)
        if (inner) return inner
      } else if (['reverse_proxy', 'static_response', 'file_server'].includes(handler.handler)) return handler
    }
    if (route.terminal) return undefined
  }
  return undefined
}

const compose = readCompose()
const config = adapt(DOMAINS)
const routes = Object.values(config.apps.http.servers).flatMap((server) => server.routes)

describe('Caddyfile', () => {
  it('works with the environment compose gives Caddy from a copied .env.example', () => {
    // `cp .env.example .env` and the REQUIRED values filled in: what `docker compose up` passes to Caddy.
    const dotenv = Object.fromEntries([...readEnvExample().values()].map((entry) => [entry.name, entry.value]))
    const env = Object.fromEntries(
      Object.entries(environmentOf(compose.services.caddy!)).map(([key, value]) => [
        key,
        interpolate(value, { ...dotenv, ACME_EMAIL: 'ops@example.com' }),
      ]),
    )
    const local = adapt(env)
    const localRoutes = Object.values(local.apps.http.servers).flatMap((server) => server.routes)
    for (const [host, upstream] of Object.entries({
      'cms.localhost': 'cms:3001',
      'api.localhost': 'medusa:9000',
      'portal.localhost': 'portal:3002',
      'shop.localhost': 'storefront:3000',
      'metabase.localhost': 'metabase:3000',
    }))
      expect(
        answer(localRoutes, host, '/')?.upstreams?.map((u) => u.dial),
        host,
      ).toEqual([upstream])
  })

  it('serves HTTPS', () => {
    expect(Object.values(config.apps.http.servers).flatMap((server) => server.listen)).toContain(':443')
  })

  it.each(Object.entries(EXPECTED))('routes %s to %s', (host, upstream) => {
    const handler = answer(routes, host, '/')
    expect(handler?.handler).toBe('reverse_proxy')
    expect(handler?.upstreams?.map((u) => u.dial)).toEqual([upstream])
  })

  it('routes only to compose services on the port they listen on', () => {
    for (const upstream of new Set(Object.values(EXPECTED))) {
      const [service, port] = upstream.split(':') as [string, string]
      const definition = compose.services[service]
      expect(definition, `no compose service ${service}`).toBeDefined()
      const check = [definition?.healthcheck?.test ?? []].flat().join(' ')
      expect(check, `${service}'s healthcheck does not call port ${port}`).toContain(`127.0.0.1:${port}/`)
    }
    // And every host Caddy knows is one of those above: no stray site.
    const hosts = routes.flatMap((route) => route.match?.flatMap((m) => m.host ?? []) ?? [])
    expect(hosts.sort()).toEqual(Object.keys(EXPECTED).sort())
  })

  it.each(Object.keys(EXPECTED))('never hands /metrics of %s to a service', (host) => {
    for (const path of ['/metrics', '/metrics/', '/metrics/anything', '/METRICS', '/Metrics']) {
      const handler = answer(routes, host, path)
      expect(handler?.handler, `${host}${path}`).toBe('static_response')
      expect(Number(handler?.status_code)).toBe(404)
    }
    // Other paths still reach the service.
    expect(answer(routes, host, '/api/health')?.handler).toBe('reverse_proxy')
    expect(answer(routes, host, '/metricsx')?.handler).toBe('reverse_proxy')
  })
})
