import { afterAll, beforeAll, expect, it } from 'vitest'
import { startTestCms, type TestCms } from '../test/harness.ts'

let cms: TestCms
beforeAll(async () => {
  cms = await startTestCms('health')
})
afterAll(() => cms?.close())

/** Stand-in for an outage: the pool refuses as it does when PostgreSQL is down. */
async function withDatabaseRefusing<T>(run: () => Promise<T>): Promise<T> {
  const adapter = cms.payload.db as unknown as { pool: { query: (...args: unknown[]) => Promise<unknown> } }
  const original = adapter.pool.query
  adapter.pool.query = () =>
    Promise.reject(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' }))
  try {
    return await run()
  } finally {
    adapter.pool.query = original
  }
}

it('reports ready (200) with service, version, uptime and the database check on /api/health and /api/health/ready', async () => {
  for (const path of ['/health', '/health/ready']) {
    const res = await cms.rest.get(path)
    expect(res.status).toBe(200)
    expect(res.body).toMatchObject({
      status: 'ok',
      service: 'cms',
      version: expect.any(String),
      uptimeSeconds: expect.any(Number),
      checks: { database: { ok: true, latencyMs: expect.any(Number) } },
      // The fields callers used before the shared contract.
      database: { reachable: true },
    })
    expect(JSON.stringify(res.body)).not.toContain(cms.db.name)
  }
})

it('reports 503 not-ready when the database is unreachable, and stays live', async () => {
  await withDatabaseRefusing(async () => {
    for (const path of ['/health', '/health/ready']) {
      const res = await cms.rest.get(path)
      expect(res.status).toBe(503)
      expect(res.body).toMatchObject({
        status: 'unavailable',
        service: 'cms',
        checks: { database: { ok: false, error: expect.stringContaining('ECONNREFUSED') } },
        database: { reachable: false },
      })
    }
    const live = await cms.rest.get('/health/live')
    expect(live.status).toBe(200)
    expect(live.body).toMatchObject({ status: 'ok', service: 'cms', version: expect.any(String) })
  })
})

it('answers liveness without a session and with no-store', async () => {
  const res = await cms.rest.send(new Request('http://localhost/api/health/live'))
  expect(res.status).toBe(200)
  expect(res.headers.get('cache-control')).toBe('no-store')
  expect(Object.keys(await res.json()).sort()).toEqual(['service', 'status', 'uptimeSeconds', 'version'])
})
