import pg from 'pg'
import { afterAll, describe, expect, it } from 'vitest'
import { createTestDatabase, type TestDatabase } from '../test/database.ts'
import { databaseName, redactUrl } from './postgres.ts'

describe('test databases', () => {
  const created: TestDatabase[] = []
  afterAll(async () => {
    for (const db of created) await db.drop()
  })

  it('gives each caller its own empty database on the shared server', async () => {
    const a = await createTestDatabase('harness')
    const b = await createTestDatabase('harness')
    created.push(a, b)
    expect(a.name).not.toBe(b.name)
    const client = new pg.Client({ connectionString: a.url })
    await client.connect()
    const { rows } = await client.query('SELECT current_database() AS db')
    await client.end()
    expect(rows[0].db).toBe(a.name)
    expect(databaseName(b.url)).toBe(b.name)
  })

  it('never prints a password', () => {
    expect(redactUrl('postgres://u:secret@h:1/db')).toBe('postgres://u:***@h:1/db')
    expect(redactUrl('not a url')).toBe('<invalid url>')
  })
})
