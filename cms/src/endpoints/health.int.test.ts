import { afterAll, beforeAll, expect, it } from 'vitest'
import { startTestCms, type TestCms } from '../test/harness.ts'

let cms: TestCms
beforeAll(async () => {
  cms = await startTestCms('health')
})
afterAll(() => cms?.close())

it('reports 200 with the version when the database answers', async () => {
  const res = await cms.rest.get('/health')
  expect(res.status).toBe(200)
  expect(res.body).toMatchObject({ status: 'ok', version: expect.any(String), database: { reachable: true } })
  expect(JSON.stringify(res.body)).not.toContain(cms.db.name)
})

it('reports 503 when the database is unreachable', async () => {
  const adapter = cms.payload.db as unknown as { pool: { query: (...args: unknown[]) => Promise<unknown> } }
  const original = adapter.pool.query
  // Stand-in for an outage: the pool refuses as it does when PostgreSQL is down.
  adapter.pool.query = () =>
    Promise.reject(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' }))
  try {
    const res = await cms.rest.get('/health')
    expect(res.status).toBe(503)
    expect(res.body).toMatchObject({ status: 'unavailable', database: { reachable: false } })
  } finally {
    adapter.pool.query = original
  }
})
