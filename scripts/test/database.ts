/** Per-test-file databases on the server started by ./global-setup.ts. */
import { randomBytes } from 'node:crypto'
import { inject } from 'vitest'
import { databaseUrl, dropDatabase, ensureDatabase } from '../lib/postgres.ts'

declare module 'vitest' {
  export interface ProvidedContext {
    /** URL of the maintenance database of the run's PostgreSQL server. */
    postgresAdminUrl: string
  }
}

export interface TestDatabase {
  name: string
  url: string
  adminUrl: string
  drop(): Promise<void>
}

/** Creates a fresh, uniquely named database (optionally copied from `template`). Drop it in afterAll. */
export async function createTestDatabase(label = 'test', template?: string): Promise<TestDatabase> {
  const adminUrl = inject('postgresAdminUrl')
  if (!adminUrl) throw new Error('No test PostgreSQL: add @bizosaas/scripts/test/global-setup to globalSetup')
  const safe = label
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .slice(0, 30)
  const name = `t_${safe}_${randomBytes(4).toString('hex')}`
  await ensureDatabase(adminUrl, name, template)
  return { name, url: databaseUrl(adminUrl, name), adminUrl, drop: () => dropDatabase(adminUrl, name) }
}
