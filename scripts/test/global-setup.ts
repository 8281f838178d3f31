/**
 * Vitest global setup shared by every package: one PostgreSQL server for the whole run.
 * With TEST_DATABASE_URL set, that server is used; otherwise an embedded, throwaway cluster starts
 * on a free port. Test files then create their own databases (see ./database.ts).
 */
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { TestProject } from 'vitest/node'
import { freePort } from '../lib/ports.ts'
import { externalPostgres, startEmbeddedPostgres, waitForPostgres } from '../lib/postgres.ts'
import './database.ts'

export default async function setup(project: TestProject) {
  const external = process.env.TEST_DATABASE_URL
  if (external) {
    const server = externalPostgres(external)
    await waitForPostgres(server.adminUrl)
    project.provide('postgresAdminUrl', server.adminUrl)
    return
  }
  const dataDir = await mkdtemp(join(tmpdir(), 'bizosaas-test-pg-'))
  const server = await startEmbeddedPostgres({ dataDir, port: await freePort(), persistent: false })
  project.provide('postgresAdminUrl', server.adminUrl)
  return async () => {
    await server.stop()
    await rm(dataDir, { recursive: true, force: true })
  }
}
