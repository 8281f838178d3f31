import { sql } from '@payloadcms/db-postgres'
import type { Endpoint, PayloadRequest } from 'payload'
import cmsPackage from '../../package.json' with { type: 'json' }

const TIMEOUT_MS = 2_000

/** `GET /api/health`: 200 when the database answers, 503 otherwise; never exposes connection details. */
export const healthEndpoint: Endpoint = {
  path: '/health',
  method: 'get',
  handler: async (req: PayloadRequest) => {
    const started = performance.now()
    let database: { reachable: boolean; latencyMs?: number; error?: string }
    try {
      const db = req.payload.db as unknown as { drizzle: { execute: (q: unknown) => Promise<unknown> } }
      await Promise.race([
        db.drizzle.execute(sql`select 1`),
        new Promise((_, reject) =>
          setTimeout(() => reject(new Error(`no answer within ${TIMEOUT_MS} ms`)), TIMEOUT_MS),
        ),
      ])
      database = { reachable: true, latencyMs: Math.round(performance.now() - started) }
    } catch (error) {
      req.payload.logger.error({ err: error }, 'health check: database unreachable')
      database = { reachable: false, error: error instanceof Error ? error.message.split('\n')[0] : 'unreachable' }
    }
    const ok = database.reachable
    return Response.json(
      {
        status: ok ? 'ok' : 'unavailable',
        version: cmsPackage.version,
        database,
        uptimeSeconds: Math.round(process.uptime()),
      },
      { status: ok ? 200 : 503, headers: { 'cache-control': 'no-store' } },
    )
  },
}
