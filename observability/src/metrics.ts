/**
 * Prometheus metrics (prom-client) for every BizOSaaS service: one registry per process (kept on
 * globalThis, since Next.js loads instrumentation and route handlers as separate module graphs), default
 * process metrics, the HTTP latency histogram by route pattern (fed from node:http's diagnostics
 * channels, so no framework hook is needed), the `/metrics` response with optional bearer auth
 * (METRICS_TOKEN), and a short cache for metrics computed from the database at scrape time.
 */
import { subscribe } from 'node:diagnostics_channel'
import type { IncomingMessage, ServerResponse } from 'node:http'
import { collectDefaultMetrics, Histogram, Registry } from 'prom-client'

export interface ServiceMetrics {
  service: string
  registry: Registry
  /** `http_server_request_duration_seconds{method, route, status_code}`. */
  httpDuration: Histogram<'method' | 'route' | 'status_code'>
}

const KEY = Symbol.for('bizosaas.observability.metrics')
type Holder = { [KEY]?: ServiceMetrics }

/**
 * The registry of this process (made on first use, with default process metrics labelled by `service`).
 * Every later call returns the same one, whichever module graph asks.
 */
export function serviceMetrics(service: string): ServiceMetrics {
  const holder = globalThis as Holder
  const existing = holder[KEY]
  if (existing) return existing
  const registry = new Registry()
  registry.setDefaultLabels({ service })
  collectDefaultMetrics({ register: registry })
  const httpDuration = new Histogram({
    name: 'http_server_request_duration_seconds',
    help: 'HTTP requests served, by method, route pattern and status code.',
    labelNames: ['method', 'route', 'status_code'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  })
  const metrics = { service, registry, httpDuration }
  holder[KEY] = metrics
  return metrics
}

const ID_SEGMENT = [
  /^\d+$/, // numeric ids
  /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i, // uuids
  /^[0-9a-f]{16,}$/i, // hashes, Mongo-style ids
  /^[a-z]+_[0-9A-Z]{20,}$/, // Medusa ids (prod_01J…)
  /^[0-9A-HJKMNP-TV-Z]{26}$/, // ULIDs
]

/**
 * A route pattern for `pathname`: the first of `patterns` that matches (`/:tenant/products/:handle`; a
 * `:name` is one segment, `:name*` any rest, `:name+` a non-empty rest), else the path with id-like segments replaced by `:id`. Query strings never count; paths
 * under `/_next/` fold into one route each, so the label's values stay few.
 */
export function routeOf(pathname: string, patterns: readonly string[] = []): string {
  const path = (pathname.split('?')[0] ?? '/').replace(/\/{2,}/g, '/') || '/'
  for (const pattern of patterns) if (compiled(pattern).test(path)) return pattern
  if (path.startsWith('/_next/')) return `/_next/${path.split('/')[2] ?? ''}/*`
  const segments = path.split('/').slice(1, 8)
  const normalised = segments.map((s) => (ID_SEGMENT.some((re) => re.test(s)) ? ':id' : s.length > 64 ? ':long' : s))
  return `/${normalised.join('/')}`
}

const patternCache = new Map<string, RegExp>()
/** A pattern as a RegExp (Node 22 has no global URLPattern). */
function compiled(pattern: string): RegExp {
  let re = patternCache.get(pattern)
  if (!re) {
    const literal = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
    const body = pattern
      .split('/')
      .map((segment) => {
        const param = /^:[A-Za-z_]\w*([*+]?)$/.exec(segment)
        if (!param) return literal(segment)
        return param[1] === '*' ? '.*' : param[1] === '+' ? '.+' : '[^/]+'
      })
      .join('/')
    // `/:rest*` also matches the bare prefix (`/api` for `/api/:rest*`).
    re = new RegExp(`^${body.replace(/\/\.\*$/, '(?:/.*)?')}/?$`)
    patternCache.set(pattern, re)
  }
  return re
}

/** The route label of every 404. */
export const UNMATCHED = 'unmatched'

const OBSERVING = Symbol.for('bizosaas.observability.http-observer')

/**
 * Times every request this process's node:http servers answer and records it in `httpDuration`, by
 * `routeOf(path, patterns)`; every 404 counts as route `unmatched`, so scanners' made-up paths cannot
 * grow the label's values. Idempotent: a second call (another module graph) does nothing.
 */
export function observeHttpServer(metrics: ServiceMetrics, patterns: readonly string[] = []): void {
  const holder = globalThis as { [OBSERVING]?: boolean }
  if (holder[OBSERVING]) return
  holder[OBSERVING] = true
  const started = new WeakMap<IncomingMessage, bigint>()
  subscribe('http.server.request.start', (message) => {
    const { request } = message as { request: IncomingMessage }
    started.set(request, process.hrtime.bigint())
  })
  subscribe('http.server.response.finish', (message) => {
    const { request, response } = message as { request: IncomingMessage; response: ServerResponse }
    const start = started.get(request)
    if (start === undefined) return
    started.delete(request)
    const seconds = Number(process.hrtime.bigint() - start) / 1e9
    metrics.httpDuration.observe(
      {
        method: request.method ?? 'GET',
        route: response.statusCode === 404 ? UNMATCHED : routeOf(request.url ?? '/', patterns),
        status_code: String(response.statusCode),
      },
      seconds,
    )
  })
}

/** True when `authorization` carries `token` (or no token is configured). Compared in constant time. */
export function metricsAuthorized(authorization: string | null | undefined, token: string | undefined): boolean {
  if (!token) return true
  const given = Buffer.from(authorization?.replace(/^Bearer\s+/i, '') ?? '')
  const wanted = Buffer.from(token)
  let diff = given.length ^ wanted.length
  for (let i = 0; i < wanted.length; i++) diff |= (given[i] ?? 0) ^ (wanted[i] ?? 0)
  return diff === 0
}

/**
 * The `/metrics` answer: the registry in Prometheus text format, 401 without the bearer token when
 * METRICS_TOKEN is set. `collect` refreshes metrics computed elsewhere (the database) first.
 */
export async function metricsResponse(
  metrics: ServiceMetrics,
  request: Request,
  options: { token?: string; collect?: () => Promise<void> } = {},
): Promise<Response> {
  const token = options.token ?? (process.env.METRICS_TOKEN || undefined)
  if (!metricsAuthorized(request.headers.get('authorization'), token))
    return new Response('Send the metrics token as "Authorization: Bearer <METRICS_TOKEN>".\n', {
      status: 401,
      headers: { 'content-type': 'text/plain; charset=utf-8', 'www-authenticate': 'Bearer' },
    })
  await options.collect?.()
  return new Response(await metrics.registry.metrics(), {
    headers: { 'content-type': metrics.registry.contentType, 'cache-control': 'no-store' },
  })
}

/**
 * `load` at most once per `ttlMs`: concurrent scrapes share one load, and a failed load is not cached.
 * Database-backed metrics use it, so every replica reports what the database says, cheaply.
 */
export function cachedLoad<T>(load: () => Promise<T>, ttlMs = 5_000): () => Promise<T> {
  let value: { at: number; promise: Promise<T> } | undefined
  return () => {
    const now = Date.now()
    if (value && now - value.at < ttlMs) return value.promise
    const promise = load()
    value = { at: now, promise }
    promise.catch(() => {
      if (value?.promise === promise) value = undefined
    })
    return promise
  }
}

export { Counter, Gauge, Histogram, type Registry } from 'prom-client'
