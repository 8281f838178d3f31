import { createTestDatabase, type TestDatabase } from '@bizosaas/scripts/test/database'
import pg from 'pg'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { migrations } from '../migrations/index.ts'
import { runPayloadCli } from './cli.ts'

describe('migrations', () => {
  let db: TestDatabase
  beforeAll(async () => {
    db = await createTestDatabase('migrations')
  })
  afterAll(() => db.drop())

  it('apply to an empty database with the real CLI and leave nothing pending', async () => {
    const migrateOut = await runPayloadCli(['migrate'], { DATABASE_URL: db.url })
    for (const m of migrations) expect(migrateOut).toContain(`Migrated:  ${m.name}`)

    const status = await runPayloadCli(['migrate:status'], { DATABASE_URL: db.url })
    const rows = status.split('\n').filter((line) => migrations.some((m) => line.includes(m.name)))
    expect(rows).toHaveLength(migrations.length)
    for (const row of rows) expect(row).toMatch(/│\s*Yes\s*│/)

    const client = new pg.Client({ connectionString: db.url })
    await client.connect()
    const { rows: tables } = await client.query(
      `SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'`,
    )
    await client.end()
    const names = tables.map((t) => t.table_name)
    for (const t of ['tenants', 'users', 'users_tenants', 'pages', 'posts', '_posts_v', 'categories', 'media'])
      expect(names).toContain(t)
  })

  it('a second run is a no-op', async () => {
    const again = await runPayloadCli(['migrate'], { DATABASE_URL: db.url })
    expect(again).not.toContain('Migrating:')
  })
})
