/**
 * The CMS's health (@bizosaas/contracts/health): `GET /api/health/live` (the process serves; no database),
 * `GET /api/health` and its alias `/api/health/ready` (readiness: the database answers within 2 s).
 * Never exposes connection details; a database outage is a 503, never a crash.
 */
import { CHECK_TIMEOUT_MS, errorText, type HealthCheck, livenessResponse } from '@bizosaas/contracts/health'
import { sql } from '@payloadcms/db-postgres'
import type { Endpoint, PayloadRequest } from 'payload'
import cmsPackage from '../../package.json' with { type: 'json' }

const SERVICE = { service: 'cms', version: cmsPackage.version }

async function checkDatabase(req: PayloadRequest): Promise<HealthCheck> {
  const started = performance.now()
  let timer: NodeJS.Timeout | undefined
  try {
    const db = req.payload.db as unknown as { drizzle: { execute: (q: unknown) => Promise<unknown> } }
    await Promise.race([
      db.drizzle.execute(sql`select 1`),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer within ${CHECK_TIMEOUT_MS} ms`)), CHECK_TIMEOUT_MS)
      }),
    ])
    return { ok: true, latencyMs: Math.round(performance.now() - started) }
  } catch (error) {
    req.payload.logger.error({ err: error }, 'health check: database unreachable')
    return { ok: false, latencyMs: Math.round(performance.now() - started), error: errorText(error) }
  } finally {
    clearTimeout(timer)
  }
}

async function readiness(req: PayloadRequest): Promise<Response> {
  const database = await checkDatabase(req)
  return Response.json(
    {
      status: database.ok ? 'ok' : 'unavailable',
      ...SERVICE,
      uptimeSeconds: Math.round(process.uptime()),
      checks: { database },
      // The shape before the shared contract, kept for existing callers.
      database: {
        reachable: database.ok,
        latencyMs: database.latencyMs,
        ...(database.error ? { error: database.error } : {}),
      },
    },
    { status: database.ok ? 200 : 503, headers: { 'cache-control': 'no-store' } },
  )
}

/** `GET /api/health`: readiness, 200 when the database answers, 503 otherwise. */
export const healthEndpoint: Endpoint = { path: '/health', method: 'get', handler: readiness }

/** `GET /api/health/ready`: the readiness probe's alias of `/api/health`. */
export const readyEndpoint: Endpoint = { path: '/health/ready', method: 'get', handler: readiness }

/** `GET /api/health/live`: liveness, 200 while the process serves; never touches the database. */
export const liveEndpoint: Endpoint = { path: '/health/live', method: 'get', handler: () => livenessResponse(SERVICE) }

/** Every health endpoint, for the config's `endpoints`. */
export const healthEndpoints: Endpoint[] = [healthEndpoint, readyEndpoint, liveEndpoint]
