/** Limits on the real stores: PostgreSQL (the migration's table, from sql.ts) and memory. */
import { createTestDatabase, type TestDatabase } from '@bizosaas/scripts/test/database'
import pg from 'pg'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createRateLimit, refusalResponse, waitText } from './limits.ts'
import { createRateLimitsTable } from './sql.ts'
import { memoryStore, openRateLimitStore, type RateLimitStore } from './store.ts'

let db: TestDatabase
let store: RateLimitStore

beforeAll(async () => {
  db = await createTestDatabase('rate_limit_store')
  const client = new pg.Client({ connectionString: db.url })
  await client.connect()
  await client.query(createRateLimitsTable())
  await client.end()
  store = openRateLimitStore({ databaseUrl: db.url })
})

afterAll(async () => {
  await store?.close()
  await db?.drop()
})

const definition = { points: 3, durationSeconds: 120, message: (wait: string) => `Slow down; try again in ${wait}.` }

describe('a limit on PostgreSQL', () => {
  it('allows its points, then refuses with the wait and the message; keys and limits are separate', async () => {
    expect(store.kind).toBe('postgres')
    const limit = createRateLimit(store, { name: 'test-a', ...definition })
    for (let i = 0; i < 3; i++) expect(await limit.consume('k1')).toBeNull()
    const refusal = await limit.consume('k1')
    expect(refusal).toMatchObject({ limit: 'test-a', message: 'Slow down; try again in 2 minutes.' })
    expect(refusal!.retryAfterSeconds).toBeGreaterThan(110)
    expect(refusal!.retryAfterSeconds).toBeLessThanOrEqual(120)
    expect(await limit.consume('k2')).toBeNull()
    expect(await createRateLimit(store, { name: 'test-b', ...definition }).consume('k1')).toBeNull()

    const response = refusalResponse(refusal!)
    expect(response.status).toBe(429)
    expect(response.headers.get('retry-after')).toBe(String(refusal!.retryAfterSeconds))
    expect(await response.json()).toEqual({ error: refusal!.message, retryAfterSeconds: refusal!.retryAfterSeconds })
  })

  it('counts in the table, and reset and reward give points back', async () => {
    const limit = createRateLimit(store, { name: 'test-c', ...definition })
    for (let i = 0; i < 3; i++) await limit.consume('k')
    const client = new pg.Client({ connectionString: db.url })
    await client.connect()
    const { rows } = await client.query(`SELECT points FROM rate_limits WHERE key = 'test-c:k'`)
    await client.end()
    expect(rows[0]?.points).toBe(3)
    await limit.reward('k')
    expect(await limit.consume('k')).toBeNull()
    expect(await limit.consume('k')).not.toBeNull()
    await limit.reset('k')
    expect(await limit.consume('k')).toBeNull()
  })

  it('hashes keys too long for the table', async () => {
    const limit = createRateLimit(store, { name: 'test-d', ...definition })
    const long = `${'x'.repeat(300)}@example.com`
    for (let i = 0; i < 3; i++) expect(await limit.consume(long)).toBeNull()
    expect(await limit.consume(long)).not.toBeNull()
  })
})

describe('limits off and in memory', () => {
  it('never refuses when off (no store)', async () => {
    const limit = createRateLimit(null, { name: 'off', ...definition, points: 1 })
    for (let i = 0; i < 5; i++) expect(await limit.consume('k')).toBeNull()
  })

  it('refuses in memory like anywhere else', async () => {
    const limit = createRateLimit(memoryStore(), { name: 'mem', ...definition, points: 1 })
    expect(await limit.consume('k')).toBeNull()
    expect((await limit.consume('k'))?.message).toBe('Slow down; try again in 2 minutes.')
  })
})

describe('wait in words', () => {
  it('rounds up, so waiting that long is enough', () => {
    expect(waitText(1)).toBe('1 second')
    expect(waitText(45)).toBe('45 seconds')
    expect(waitText(60)).toBe('1 minute')
    expect(waitText(61)).toBe('2 minutes')
    expect(waitText(3600)).toBe('60 minutes')
    expect(waitText(7300)).toBe('3 hours')
  })
})
