/**
 * What `pnpm worker` adds to each worker process (cms/src/worker.ts imports it): its log lines say
 * `service: worker`, and it serves HTTP on WORKER_PORT (default 3003) — `GET /health/live`,
 * `GET /health/ready` (database reachable and pg-boss started) and `GET /metrics` (the platform metrics,
 * metrics.ts). Never routed by the public proxy.
 */
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import { Readable } from 'node:stream'
import { serviceLoggerOptions } from '@bizosaas/observability/logger'
import type { Payload, SanitizedConfig } from 'payload'
import cmsPackage from '../../package.json' with { type: 'json' }
import { platformMetricsHandler } from './metrics.ts'

export const WORKER_SERVICE = 'worker'
const DB_TIMEOUT_MS = 2_000

/** The worker's Payload config: the CMS's, logging as `worker`. */
export async function workerConfig(config: Promise<SanitizedConfig> | SanitizedConfig): Promise<SanitizedConfig> {
  const resolved = await config
  const current = resolved.logger
  const destination =
    current && typeof current === 'object' && 'destination' in current ? current.destination : undefined
  // (SanitizedConfig types `logger` as deeply required; Payload reads it as the Config option it is.)
  const logger = { options: serviceLoggerOptions(WORKER_SERVICE), destination } as unknown as SanitizedConfig['logger']
  return { ...resolved, logger }
}

/** `WORKER_PORT`: a port number, named when it is not one. @default 3003 */
export function workerPort(env: Record<string, string | undefined> = process.env): number {
  const raw = env.WORKER_PORT?.trim()
  if (!raw) return 3003
  const port = Number(raw)
  if (!Number.isInteger(port) || port < 0 || port > 65_535)
    throw new Error(`WORKER_PORT must be a port number (0-65535), got "${raw}"`)
  return port
}

export interface WorkerServerOptions {
  /** @default WORKER_PORT, else 3003 */
  port?: number
  /** @default 0.0.0.0 (probes and Prometheus reach it from outside the container) */
  host?: string
  /** True once the worker's pg-boss instances have started (and not since begun stopping). */
  started: () => boolean
}

export interface WorkerServer {
  url: string
  port: number
  close(): Promise<void>
}

/** Starts the worker's HTTP server. */
export async function startWorkerServer(payload: Payload, options: WorkerServerOptions): Promise<WorkerServer> {
  const metrics = platformMetricsHandler(async () => payload, { service: WORKER_SERVICE })
  const body = (status: string, extra: Record<string, unknown> = {}) => ({
    status,
    service: WORKER_SERVICE,
    version: cmsPackage.version,
    uptimeSeconds: Math.round(process.uptime()),
    ...extra,
  })
  const json = (res: http.ServerResponse, status: number, value: unknown) =>
    res
      .writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' })
      .end(JSON.stringify(value))

  const server = http.createServer(async (req, res) => {
    try {
      const path = new URL(req.url ?? '/', 'http://worker').pathname
      if (req.method !== 'GET' && req.method !== 'HEAD') return json(res, 405, { error: 'Only GET is served here.' })
      if (path === '/health/live') return json(res, 200, body('ok'))
      if (path === '/health/ready' || path === '/health') {
        const database = await databaseCheck(payload)
        const queue = options.started() ? { ok: true } : { ok: false, error: 'pg-boss not started (or stopping)' }
        const ok = database.ok && queue.ok
        return json(res, ok ? 200 : 503, body(ok ? 'ok' : 'unavailable', { checks: { database, queue } }))
      }
      if (path === '/metrics') {
        const headers = new Headers()
        if (req.headers.authorization) headers.set('authorization', req.headers.authorization)
        const response = await metrics(new Request('http://worker/metrics', { headers }))
        res.writeHead(response.status, Object.fromEntries(response.headers))
        if (!response.body) return void res.end()
        return void Readable.fromWeb(response.body as never).pipe(res)
      }
      json(res, 404, { error: `No ${path} here: /health/live, /health/ready and /metrics are served.` })
    } catch (error) {
      payload.logger.error({ err: error }, 'worker http: request failed')
      if (!res.headersSent) json(res, 500, { error: 'Something went wrong.' })
      else res.end()
    }
  })
  const port = options.port ?? workerPort()
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(port, options.host ?? '0.0.0.0', () => resolve())
  })
  const actual = (server.address() as AddressInfo).port
  payload.logger.info({ port: actual }, 'worker http: /health/live, /health/ready and /metrics served')
  return {
    url: `http://127.0.0.1:${actual}`,
    port: actual,
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve())
        server.closeAllConnections()
      }),
  }
}

async function databaseCheck(payload: Payload): Promise<{ ok: boolean; latencyMs?: number; error?: string }> {
  const started = performance.now()
  const pool = (payload.db as unknown as { pool?: { query(text: string): Promise<unknown> } }).pool
  try {
    if (!pool) throw new Error('no PostgreSQL pool')
    await Promise.race([
      pool.query('SELECT 1'),
      new Promise((_, reject) =>
        setTimeout(() => reject(new Error(`no answer within ${DB_TIMEOUT_MS} ms`)), DB_TIMEOUT_MS),
      ),
    ])
    return { ok: true, latencyMs: Math.round(performance.now() - started) }
  } catch (error) {
    // The message only (never a connection string).
    return {
      ok: false,
      error: error instanceof Error ? (error.message.split('\n')[0] ?? 'unreachable') : 'unreachable',
    }
  }
}
