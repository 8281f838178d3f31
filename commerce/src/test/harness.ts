/**
 * Integration-test harness for commerce: each test file gets its own database, copied from a template
 * that the real `medusa db:migrate` and seed prepared once per PostgreSQL server, and (if it asks) a
 * real Medusa server on a free port, started with `medusa start` from the TypeScript sources and no admin.
 */
import { createHash } from 'node:crypto'
import { existsSync } from 'node:fs'
import { readdir, readFile, rm, stat } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import {
  type CommerceServer,
  type CommerceTenantLink,
  commerceDir,
  commerceEnv,
  migrateCommerce,
  readCommerceTenants,
  seedCommerce,
  startCommerce,
} from '@bizosaas/scripts/commerce'
import { freePort } from '@bizosaas/scripts/ports'
import { databaseUrl, ensureDatabase } from '@bizosaas/scripts/postgres'
import { createTestDatabase, type TestDatabase } from '@bizosaas/scripts/test/database'
import pg from 'pg'
import { inject } from 'vitest'

export const TEST_SECRETS = {
  jwtSecret: 'bizosaas-commerce-test-jwt-secret-0123456789',
  cookieSecret: 'bizosaas-commerce-test-cookie-secret-0123456789',
}

/** Everything that decides what the seeded template contains; a change to any of it makes a new template. */
const TEMPLATE_INPUTS = ['package.json', 'medusa-config.ts', 'src/env.ts', 'src/scripts', 'src/workflows']

async function filesUnder(relative: string): Promise<string[]> {
  const full = path.join(commerceDir, relative)
  if (!(await stat(full)).isDirectory()) return [full]
  const entries = await readdir(full, { recursive: true, withFileTypes: true })
  return entries
    .filter((e) => e.isFile() && !e.name.endsWith('.test.ts'))
    .map((e) => path.join(e.parentPath, e.name))
    .sort()
}

async function templateName(): Promise<string> {
  const hash = createHash('sha1')
  for (const input of TEMPLATE_INPUTS)
    for (const file of await filesUnder(input))
      hash.update(path.relative(commerceDir, file)).update(await readFile(file))
  return `bizosaas_commerce_template_${hash.digest('hex').slice(0, 10)}`
}

export interface CommerceTemplate {
  name: string
  /** The seed's product images; every copy of the template refers to them, so they live as long as it. */
  uploadDir: string
}

/** Creates (once per server, under an advisory lock) a database that is migrated and seeded. */
export async function seededTemplate(): Promise<CommerceTemplate> {
  const adminUrl = inject('postgresAdminUrl')
  const name = await templateName()
  const uploadDir = path.join(tmpdir(), `${name}-uploads`)
  const client = new pg.Client({ connectionString: adminUrl })
  await client.connect()
  try {
    await client.query('SELECT pg_advisory_lock(727275)')
    const { rows } = await client.query('SELECT datistemplate FROM pg_database WHERE datname = $1', [name])
    // A template outliving its images (a long-lived TEST_DATABASE_URL, a cleaned /tmp) is made again.
    if (rows[0]?.datistemplate && existsSync(uploadDir)) return { name, uploadDir }
    if (rows[0]?.datistemplate) await client.query(`ALTER DATABASE "${name}" WITH IS_TEMPLATE false`)
    if (rows.length) await client.query(`DROP DATABASE "${name}" WITH (FORCE)`)
    await rm(uploadDir, { recursive: true, force: true })
    await ensureDatabase(adminUrl, name)
    const env = commerceEnv({
      databaseUrl: databaseUrl(adminUrl, name),
      secrets: TEST_SECRETS,
      uploadDir,
      adminDisabled: true,
    })
    delete env.CMS_QUEUE_URL // the seed's products are not the CMS's business
    const timings = { migrate: 0, seed: 0 }
    let started = performance.now()
    await migrateCommerce({ env, output: 'pipe' })
    timings.migrate = performance.now() - started
    started = performance.now()
    await seedCommerce({ env, output: 'pipe' })
    timings.seed = performance.now() - started
    console.info(
      `[commerce] template ${name}: migrate ${(timings.migrate / 1000).toFixed(1)} s, seed ${(timings.seed / 1000).toFixed(1)} s`,
    )
    // Marked only once complete, so a crash part-way is retried rather than copied.
    await client.query(`ALTER DATABASE "${name}" WITH IS_TEMPLATE true`)
    return { name, uploadDir }
  } finally {
    await client.query('SELECT pg_advisory_unlock(727275)').catch(() => {})
    await client.end()
  }
}

export interface TestCommerceDatabase {
  db: TestDatabase
  /** Environment for Medusa CLI commands against this database. */
  env: NodeJS.ProcessEnv
}

export interface TestCommerceOptions {
  /** CMS_QUEUE_URL: a database for the CMS's pg-boss queues; product events are sent there. */
  cmsQueueUrl?: string
  /** CMS_QUEUE_SCHEMA. @default 'pgboss' */
  cmsQueueSchema?: string
}

/** A fresh copy of the seeded template, for tests that run Medusa commands but need no server. */
export async function seededDatabase(label: string, options: TestCommerceOptions = {}): Promise<TestCommerceDatabase> {
  const template = await seededTemplate()
  const db = await createTestDatabase(`commerce_${label}`, template.name)
  const env = commerceEnv({
    databaseUrl: db.url,
    secrets: TEST_SECRETS,
    uploadDir: template.uploadDir,
    adminDisabled: true,
    cmsQueueUrl: options.cmsQueueUrl,
    cmsQueueSchema: options.cmsQueueSchema,
  })
  // Only what the test asks for: a CMS_QUEUE_URL of the shell running the tests is not used.
  if (!options.cmsQueueUrl) delete env.CMS_QUEUE_URL
  return { db, env }
}

export interface TestCommerce extends TestCommerceDatabase {
  server: CommerceServer
  /** e.g. http://localhost:41234 */
  url: string
  /** The seeded tenants' sales channels and publishable keys, by slug. */
  tenants: Record<string, CommerceTenantLink>
  close(): Promise<void>
}

/** A real Medusa server on a copy of the seeded template. Call once per test file, close in afterAll. */
export async function startTestCommerce(label: string, options: TestCommerceOptions = {}): Promise<TestCommerce> {
  const { db, env } = await seededDatabase(label, options)
  const port = await freePort()
  const started = performance.now()
  const server = await startCommerce({ env, port, mode: 'start', output: 'pipe' }).catch(async (error) => {
    await db.drop()
    throw error
  })
  console.info(`[commerce] server healthy in ${((performance.now() - started) / 1000).toFixed(1)} s`)
  const tenants = Object.fromEntries((await readCommerceTenants(db.url)).map((t) => [t.tenant, t]))
  return {
    db,
    env,
    server,
    url: server.url,
    tenants,
    async close() {
      await server.stop()
      await db.drop()
    },
  }
}
