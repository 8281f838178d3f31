/**
 * Our CMS (`cmsConfig`, as `startTestCms` builds it) inside the bench's own process, with agents or
 * options a bench adds: the Payload Local API, `POST /api/…` through the REST route handler the Next.js
 * app serves (driven with real `Request`s, as cms/src/test/harness.ts does), and a small pg pool of its
 * own on the same database for the bench's polling. Set the environment (DATABASE_URL, PAYLOAD_SECRET,
 * NODE_ENV, VAULT_KEY …) before calling.
 */
import type { CmsConfigOptions } from '@bizosaas/cms/config'
import { poolOf } from '@bizosaas/plugin-agents/testing'
import type { Payload, SanitizedConfig } from 'payload'

export interface BenchPool {
  query<R = Record<string, unknown>>(text: string, values?: unknown[]): Promise<{ rows: R[]; rowCount: number | null }>
  end(): Promise<void>
  totalCount: number
  ending?: boolean
}

export interface InProcessCms {
  payload: Payload
  /** `POST /api<path>` through the REST route handler, as JSON; `token` signs in as that user. */
  post: (path: string, body: unknown, token?: string) => Promise<{ status: number; body: Record<string, unknown> }>
  /** A pool of its own on the same database, for the benchmark's polling. */
  sql: BenchPool
  /** Destroys Payload and ends both pools (Payload's destroy leaves its pg pool open). */
  close: () => Promise<void>
}

type RouteHandler = (req: Request, args: { params: Promise<{ slug: string[] }> }) => Promise<Response>

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

export async function startInProcessCms(
  options: CmsConfigOptions,
  { connectionString, pollPoolSize = 2 }: { connectionString: string; pollPoolSize?: number },
): Promise<InProcessCms> {
  const { cmsConfig } = await import('@bizosaas/cms/config')
  const { buildConfig, getPayload } = await import('payload')
  const config: SanitizedConfig = await buildConfig(cmsConfig(options))
  const payload = await getPayload({ config })
  const { REST_POST } = (await import('@payloadcms/next/routes')) as {
    REST_POST: (config: SanitizedConfig) => RouteHandler
  }
  const restPost = REST_POST(config)
  const payloadPool = poolOf(payload) as unknown as BenchPool
  const PoolClass = payloadPool.constructor as new (options: { connectionString: string; max: number }) => BenchPool
  const sql = new PoolClass({ connectionString, max: pollPoolSize })
  return {
    payload,
    sql,
    async post(path, body, token) {
      const headers: Record<string, string> = { 'content-type': 'application/json' }
      if (token) headers.authorization = `JWT ${token}`
      const res = await restPost(
        new Request(`http://localhost/api${path}`, { method: 'POST', headers, body: JSON.stringify(body) }),
        { params: Promise.resolve({ slug: path.split('/').filter(Boolean) }) },
      )
      const text = await res.text()
      return { status: res.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : {} }
    },
    async close() {
      await sql.end().catch(() => {})
      await payload.destroy()
      if (!payloadPool.ending) {
        void payloadPool.end().catch(() => {})
        for (let i = 0; i < 60 && payloadPool.totalCount > 1; i++) await sleep(50)
      }
    },
  }
}
