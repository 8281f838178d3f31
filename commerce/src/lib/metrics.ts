/**
 * Medusa's Prometheus metrics (prom-client): default process metrics and the HTTP latency histogram by
 * route (`http_server_request_duration_seconds{method,route,status_code}`, the same series the other
 * services serve through @bizosaas/observability), fed from node:http's diagnostics channels. Medusa
 * runs compiled CommonJS without our TypeScript packages, so this is the Medusa-side copy of the few
 * lines it needs. Ids (prod_01…, numbers, uuids) become `:id`; every 404 is route `unmatched`.
 */
import { subscribe } from 'node:diagnostics_channel'
import type { IncomingMessage, ServerResponse } from 'node:http'
import { collectDefaultMetrics, Histogram, Registry } from 'prom-client'

const KEY = Symbol.for('bizosaas.observability.metrics')

export interface CommerceMetrics {
  registry: Registry
  httpDuration: Histogram<'method' | 'route' | 'status_code'>
}

const ID_SEGMENT = [
  /^\d+$/,
  /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i,
  /^[0-9a-f]{16,}$/i,
  /^[a-z]+_[0-9A-Z]{20,}$/,
  /^[0-9A-HJKMNP-TV-Z]{26}$/,
]

/** The route label of a path: query dropped, id-like segments as `:id`. */
export function commerceRouteOf(url: string): string {
  const path = (url.split('?')[0] ?? '/').replace(/\/{2,}/g, '/') || '/'
  if (path.startsWith('/app/')) return '/app/*' // the admin's static files
  const segments = path.split('/').slice(1, 8)
  return `/${segments.map((s) => (ID_SEGMENT.some((re) => re.test(s)) ? ':id' : s.length > 64 ? ':long' : s)).join('/')}`
}

/** The registry of this process, made (and subscribed to node:http) on first use. */
export function commerceMetrics(): CommerceMetrics {
  const holder = globalThis as { [KEY]?: CommerceMetrics }
  if (holder[KEY]) return holder[KEY]
  const registry = new Registry()
  registry.setDefaultLabels({ service: 'commerce' })
  collectDefaultMetrics({ register: registry })
  const httpDuration = new Histogram({
    name: 'http_server_request_duration_seconds',
    help: 'HTTP requests served, by method, route pattern and status code.',
    labelNames: ['method', 'route', 'status_code'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  })
  const started = new WeakMap<IncomingMessage, bigint>()
  subscribe('http.server.request.start', (message) => {
    started.set((message as { request: IncomingMessage }).request, process.hrtime.bigint())
  })
  subscribe('http.server.response.finish', (message) => {
    const { request, response } = message as { request: IncomingMessage; response: ServerResponse }
    const start = started.get(request)
    if (start === undefined) return
    started.delete(request)
    httpDuration.observe(
      {
        method: request.method ?? 'GET',
        route: response.statusCode === 404 ? 'unmatched' : commerceRouteOf(request.url ?? '/'),
        status_code: String(response.statusCode),
      },
      Number(process.hrtime.bigint() - start) / 1e9,
    )
  })
  holder[KEY] = { registry, httpDuration }
  return holder[KEY]
}

/** True when `authorization` carries METRICS_TOKEN (or none is set). */
export function metricsAuthorized(authorization: string | undefined, token = process.env.METRICS_TOKEN): boolean {
  if (!token) return true
  const given = Buffer.from(authorization?.replace(/^Bearer\s+/i, '') ?? '')
  const wanted = Buffer.from(token)
  let diff = given.length ^ wanted.length
  for (let i = 0; i < wanted.length; i++) diff |= (given[i] ?? 0) ^ (wanted[i] ?? 0)
  return diff === 0
}
