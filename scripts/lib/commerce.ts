/**
 * The commerce app (Medusa 2 in commerce/) for `pnpm dev` and the tests: its database, migrations,
 * seed, and a server process that is healthy before the promise resolves.
 *
 *   const { server, tenants } = await setupCommerce({ env, adminUrl: db.server.adminUrl })
 *   // … server.url is http://localhost:9000, tenants[i].publishableKey is what a storefront sends
 *   await server.stop()
 */
import { type ChildProcess, spawn } from 'node:child_process'
import { createHmac } from 'node:crypto'
import { rm } from 'node:fs/promises'
import path from 'node:path'
import { DEMO_PASSWORD, DEMO_SUPER_ADMIN } from '@bizosaas/contracts/demo'
import pg from 'pg'
import { isFresh, sourceHash, writeStamp } from './build-cache.ts'
import { type DevEnv, repoRoot } from './env.ts'
import { portInUse } from './ports.ts'
import { databaseName, databaseUrl, ensureDatabase, externalPostgres, redactUrl, waitForPostgres } from './postgres.ts'
import { keptSecret } from './stack.ts'

export const COMMERCE_DATABASE = 'bizosaas_commerce'
export const commerceDir = path.join(repoRoot, 'commerce')
const medusaBin = path.join(commerceDir, 'node_modules/.bin/medusa')
/** `medusa build`'s output: the compiled server and the admin bundle; run from here in production. */
export const commerceServerDir = path.join(commerceDir, '.medusa/server')
const buildStamp = path.join(commerceDir, '.medusa/source-hash')

/** Whether `.medusa/server` was built from the current sources. */
export async function commerceIsBuilt(): Promise<boolean> {
  return isFresh(buildStamp, await sourceHash(commerceDir), path.join(commerceServerDir, 'medusa-config.js'))
}

/** `medusa build` unless the last build was of the same sources. Returns seconds spent (0 when cached). */
export async function buildCommerce(): Promise<number> {
  const hash = await sourceHash(commerceDir)
  if (await isFresh(buildStamp, hash, path.join(commerceServerDir, 'medusa-config.js'))) return 0
  const started = performance.now()
  await rm(buildStamp, { force: true })
  // Not NODE_ENV=production: the build loads medusa-config.ts, which then demands the servers' secrets
  // (a build needs none); `medusa build` defaults to development and bundles the admin for production.
  const env = Object.fromEntries(
    Object.entries({ ...process.env, MEDUSA_DISABLE_TELEMETRY: 'true' }).filter(([key]) => key !== 'NODE_ENV'),
  ) as NodeJS.ProcessEnv
  await runMedusa(['build'], { env, output: 'pipe' })
  await writeStamp(buildStamp, hash)
  return (performance.now() - started) / 1000
}

/** Creates the commerce database on the server behind `adminUrl` unless it exists. */
export async function ensureCommerceDatabase(
  adminUrl: string,
  name = COMMERCE_DATABASE,
): Promise<{ url: string; created: boolean }> {
  const created = await ensureDatabase(adminUrl, name)
  return { url: databaseUrl(adminUrl, name), created }
}

export interface CommerceSecrets {
  jwtSecret: string
  cookieSecret: string
}

/**
 * JWT_SECRET and COOKIE_SECRET from the environment; otherwise both are derived (differently) from one
 * random secret made once and kept in DATA_DIR/commerce-secret, like the CMS's payload-secret.
 */
export async function commerceSecrets(env: Pick<DevEnv, 'DATA_DIR' | 'JWT_SECRET' | 'COOKIE_SECRET'>) {
  const kept = env.JWT_SECRET && env.COOKIE_SECRET ? '' : await keptSecret(env.DATA_DIR, 'commerce-secret')
  const derive = (purpose: string) => createHmac('sha256', kept).update(purpose).digest('hex')
  return {
    jwtSecret: env.JWT_SECRET ?? derive('medusa-jwt'),
    cookieSecret: env.COOKIE_SECRET ?? derive('medusa-cookie'),
  } satisfies CommerceSecrets
}

export interface CommerceEnvOptions {
  databaseUrl: string
  secrets: CommerceSecrets
  /** @default 9000 */
  port?: number
  /** Public URL of the server (image URLs, admin). @default http://localhost:$port */
  url?: string
  /** DATA_DIR; uploads go to `$dataDir/commerce-uploads` unless `uploadDir` is given. */
  dataDir?: string
  uploadDir?: string
  /** Skip the admin dashboard (`/app`): the API starts faster and without Vite. @default false */
  adminDisabled?: boolean
  /** @default 'development' */
  nodeEnv?: 'development' | 'production'
  /** CMS_QUEUE_URL: the CMS database whose pg-boss gets product events. Unset: Medusa sends none. */
  cmsQueueUrl?: string
  /** CMS_QUEUE_SCHEMA: pg-boss's schema there. @default 'pgboss' (Medusa's default) */
  cmsQueueSchema?: string
}

/** The environment for Medusa processes: ours on top of process.env, with Medusa's telemetry off. */
export function commerceEnv(options: CommerceEnvOptions): NodeJS.ProcessEnv {
  const port = options.port ?? 9000
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    NODE_ENV: options.nodeEnv ?? 'development',
    COMMERCE_DATABASE_URL: options.databaseUrl,
    COMMERCE_PORT: String(port),
    COMMERCE_URL: options.url ?? `http://localhost:${port}`,
    COMMERCE_ADMIN_DISABLED: String(options.adminDisabled ?? false),
    JWT_SECRET: options.secrets.jwtSecret,
    COOKIE_SECRET: options.secrets.cookieSecret,
    // Medusa reports usage to its servers unless told not to.
    MEDUSA_DISABLE_TELEMETRY: 'true',
  }
  if (options.dataDir) env.DATA_DIR = options.dataDir
  if (options.uploadDir) env.COMMERCE_UPLOAD_DIR = options.uploadDir
  if (options.cmsQueueUrl) env.CMS_QUEUE_URL = options.cmsQueueUrl
  if (options.cmsQueueSchema) env.CMS_QUEUE_SCHEMA = options.cmsQueueSchema
  return env
}

export interface RunMedusaOptions {
  env: NodeJS.ProcessEnv
  /** Where to run: the sources (default) or the build (`commerceServerDir`). @default commerceDir */
  cwd?: string
  /** `inherit` prints Medusa's output as it comes; `pipe` collects it (returned, and quoted on failure). @default 'inherit' */
  output?: 'inherit' | 'pipe'
}

/** Runs `medusa <args>` in commerce/ and resolves with its collected output when it exits 0. */
export function runMedusa(
  args: string[],
  { env, output = 'inherit', cwd = commerceDir }: RunMedusaOptions,
): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(medusaBin, args, { cwd, env, stdio: ['ignore', output, output] })
    const collected = collect(child)
    child.on('error', reject)
    child.on('exit', (code, signal) => {
      if (code === 0) return resolve(collected())
      const tail = output === 'pipe' ? `\n${lastLines(collected(), 30)}` : ''
      reject(new Error(`medusa ${args.join(' ')} failed (${signal ?? `exit ${code}`})${tail}`))
    })
  })
}

/** `medusa db:migrate`: module migrations, link tables and Medusa's data migration scripts. */
export const migrateCommerce = (options: RunMedusaOptions) => runMedusa(['db:migrate'], options)

/** The demo seed (commerce/src/scripts/seed.ts); idempotent. */
export const seedCommerce = (options: RunMedusaOptions) => runMedusa(['exec', './src/scripts/seed.ts'], options)

export interface CommerceServer {
  url: string
  port: number
  pid: number
  /** What the server printed so far (with `output: 'pipe'`). */
  output(): string
  /** Stops the server and everything it forked; resolves when they are gone. */
  stop(): Promise<void>
}

export interface StartCommerceOptions {
  env: NodeJS.ProcessEnv
  port: number
  /**
   * `develop`: `medusa develop` (restarts on changes in src/, admin served by Vite), for people.
   * `start`: `medusa start` straight from the TypeScript sources, no watcher, for tests and scripts.
   * @default 'develop'
   */
  mode?: 'develop' | 'start'
  /** `inherit`, `pipe` (kept: `output()`), or a function given each chunk. @default 'inherit' */
  output?: 'inherit' | 'pipe' | ((chunk: string) => void)
  /** Where to run: the sources (default) or the build (`commerceServerDir`, with `mode: 'start'`). */
  cwd?: string
  /** What the health check calls the process in messages. @default 'Medusa' */
  name?: string
  /** @default 120_000 */
  timeoutMs?: number
  /** Called if the server exits on its own (not through `stop`). */
  onExit?: (code: number | null, signal: NodeJS.Signals | null) => void
  /** Called at once with the server (not healthy yet), so a supervisor stopping mid-start can stop it. */
  onSpawn?: (server: CommerceServer) => void
}

/** Starts Medusa on `port` and resolves once `GET /health` answers 200 (rejects if it exits first or times out). */
export async function startCommerce(options: StartCommerceOptions): Promise<CommerceServer> {
  const { env, port, mode = 'develop', output = 'inherit', timeoutMs = 120_000, name = 'Medusa' } = options
  // Otherwise the health check could be answered by whatever already listens there.
  if (await portInUse(port))
    throw new Error(`Port ${port} (${name}) is in use. Stop what is using it or set COMMERCE_PORT to a free port.`)
  // Own process group: `medusa develop` forks the server, and stopping must reach it too.
  const stdio = typeof output === 'function' ? 'pipe' : output
  const child = spawn(medusaBin, [mode, '--port', String(port)], {
    cwd: options.cwd ?? commerceDir,
    env: { ...env, COMMERCE_PORT: String(port) },
    stdio: ['ignore', stdio, stdio],
    detached: true,
  })
  const collected = typeof output === 'function' ? () => '' : collect(child)
  if (typeof output === 'function') {
    child.stdout?.on('data', (d: Buffer) => output(d.toString()))
    child.stderr?.on('data', (d: Buffer) => output(d.toString()))
  }
  let stopping = false
  child.on('exit', (code, signal) => {
    if (!stopping) options.onExit?.(code, signal)
  })
  const server: CommerceServer = {
    url: `http://localhost:${port}`,
    port,
    pid: child.pid!,
    output: collected,
    async stop() {
      stopping = true
      await stopProcessGroup(child)
    },
  }
  options.onSpawn?.(server)
  try {
    await waitForHealth(`http://127.0.0.1:${port}/health`, child, timeoutMs, name)
  } catch (error) {
    await server.stop()
    const tail = output === 'pipe' ? `\n${lastLines(collected(), 30)}` : ''
    throw new Error(`${(error as Error).message}${tail}`)
  }
  return server
}

async function waitForHealth(url: string, child: ChildProcess, timeoutMs: number, name: string): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null)
      throw new Error(`${name} exited before it was healthy (${child.signalCode ?? `exit ${child.exitCode}`})`)
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(5_000) })
      if (res.status === 200) return
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250))
  }
  throw new Error(`${name} did not answer 200 at ${url} within ${timeoutMs / 1000} s`)
}

/** SIGTERM to the child's process group, then waits until the whole group is gone (SIGKILL after `graceMs`). */
async function stopProcessGroup(child: ChildProcess, graceMs = 10_000): Promise<void> {
  if (!child.pid) return
  const signalGroup = (signal: NodeJS.Signals | 0) => {
    try {
      process.kill(-child.pid!, signal)
      return true
    } catch {
      return false // no process left in the group
    }
  }
  signalGroup('SIGTERM')
  // `medusa develop` forks the server; its parent may be gone while the server is still shutting down.
  const deadline = Date.now() + graceMs
  while (signalGroup(0)) {
    if (Date.now() > deadline) {
      signalGroup('SIGKILL')
      break
    }
    await new Promise((r) => setTimeout(r, 100))
  }
  if (child.exitCode === null && child.signalCode === null) await new Promise((r) => child.once('exit', r))
}

function collect(child: ChildProcess): () => string {
  const chunks: string[] = []
  child.stdout?.on('data', (d: Buffer) => chunks.push(d.toString()))
  child.stderr?.on('data', (d: Buffer) => chunks.push(d.toString()))
  return () => chunks.join('')
}

const lastLines = (text: string, n: number) => text.trimEnd().split('\n').slice(-n).join('\n')

/** A tenant's storefront in Medusa: what the CMS tenant (commerce link) and storefront need. */
export interface CommerceTenantLink {
  /** Tenant slug (the sales channel's `metadata.tenant`). */
  tenant: string
  salesChannelId: string
  salesChannelName: string
  /** Token of the publishable API key linked to the channel (`x-publishable-api-key`). */
  publishableKey: string
  stockLocationId: string | null
}

/** Reads the tenants' sales channels, publishable keys and stock locations from the commerce database. */
export async function readCommerceTenants(commerceDatabaseUrl: string): Promise<CommerceTenantLink[]> {
  const client = new pg.Client({ connectionString: commerceDatabaseUrl })
  await client.connect()
  try {
    const { rows } = await client.query<CommerceTenantLink>(`
      SELECT sc.metadata->>'tenant' AS tenant, sc.id AS "salesChannelId", sc.name AS "salesChannelName",
             key.token AS "publishableKey",
             (SELECT l.stock_location_id FROM sales_channel_stock_location l
               WHERE l.sales_channel_id = sc.id AND l.deleted_at IS NULL ORDER BY l.created_at LIMIT 1) AS "stockLocationId"
        FROM sales_channel sc
        JOIN publishable_api_key_sales_channel pk ON pk.sales_channel_id = sc.id AND pk.deleted_at IS NULL
        JOIN api_key key ON key.id = pk.publishable_key_id AND key.deleted_at IS NULL AND key.revoked_at IS NULL
       WHERE sc.deleted_at IS NULL AND sc.metadata->>'tenant' IS NOT NULL
       ORDER BY tenant, key.created_at`)
    // One key per tenant: the first one made (the seed's).
    return rows.filter((row, i) => rows.findIndex((r) => r.tenant === row.tenant) === i)
  } finally {
    await client.end()
  }
}

export interface SetupCommerceOptions {
  env: DevEnv
  /** Maintenance URL of the PostgreSQL server (`Database.server.adminUrl`); used unless COMMERCE_DATABASE_URL is set. */
  adminUrl: string
  /** @default env.SEED — `auto` seeds when no tenant storefront exists yet. */
  seed?: DevEnv['SEED']
  /** @default 'develop' */
  mode?: StartCommerceOptions['mode']
  adminDisabled?: boolean
  /** The CMS database for product events (see CommerceEnvOptions.cmsQueueUrl). */
  cmsQueueUrl?: string
  cmsQueueSchema?: string
  /** @default 'inherit' */
  output?: 'inherit' | 'pipe'
  log?: (message: string) => void
  onExit?: StartCommerceOptions['onExit']
}

export interface CommerceSetup {
  server: CommerceServer
  databaseUrl: string
  tenants: CommerceTenantLink[]
}

/** `pnpm dev`'s commerce: database (created if missing) → migrations → seed once → healthy server on COMMERCE_PORT. */
export async function setupCommerce(options: SetupCommerceOptions): Promise<CommerceSetup> {
  const { env, log = (m) => console.log(`[bizosaas] ${m}`), output = 'inherit' } = options
  let url: string
  if (env.COMMERCE_DATABASE_URL) {
    url = env.COMMERCE_DATABASE_URL
    const admin = externalPostgres(url).adminUrl
    await waitForPostgres(admin, 10_000)
    if (await ensureDatabase(admin, databaseName(url))) log(`created database ${redactUrl(url)}`)
  } else {
    const db = await ensureCommerceDatabase(options.adminUrl)
    url = db.url
    if (db.created) log(`created database ${COMMERCE_DATABASE}`)
  }
  const childEnv = commerceEnv({
    databaseUrl: url,
    secrets: await commerceSecrets(env),
    port: env.COMMERCE_PORT,
    dataDir: env.DATA_DIR,
    adminDisabled: options.adminDisabled,
    cmsQueueUrl: options.cmsQueueUrl,
    cmsQueueSchema: options.cmsQueueSchema,
  })

  log('applying commerce migrations')
  await migrateCommerce({ env: childEnv, output })
  const seed = options.seed ?? env.SEED
  if (seed === 'always' || (seed === 'auto' && (await readCommerceTenants(url)).length === 0)) {
    log('seeding commerce demo data')
    await seedCommerce({ env: childEnv, output })
  }
  const server = await startCommerce({
    env: childEnv,
    port: env.COMMERCE_PORT,
    mode: options.mode,
    output,
    onExit: options.onExit,
  })
  return { server, databaseUrl: url, tenants: await readCommerceTenants(url) }
}

/** The demo Medusa admin the seed makes: the CMS's super-admin login (@bizosaas/contracts/demo). */
export const DEMO_MEDUSA_ADMIN = { email: DEMO_SUPER_ADMIN.email, password: DEMO_PASSWORD } as const

export interface MedusaAdminLogin {
  /** Base URL of a running Medusa server. */
  url: string
  email: string
  password: string
}

/** Signs in a Medusa admin user (email and password) and returns the JWT for `Authorization: Bearer`. */
export async function medusaAdminToken({ url, email, password }: MedusaAdminLogin): Promise<string> {
  const res = await fetch(`${url}/auth/user/emailpass`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password }),
  })
  const body = (await res.json().catch(() => ({}))) as { token?: string; message?: string }
  if (!res.ok || !body.token)
    throw new Error(`Medusa admin sign-in as ${email} failed (${res.status}): ${body.message ?? res.statusText}`)
  return body.token
}

/** Whether `apiKey` is a secret API key Medusa accepts for its admin API. */
export async function secretApiKeyWorks(url: string, apiKey: string): Promise<boolean> {
  const res = await fetch(`${url}/admin/users/me`, {
    headers: { authorization: `Basic ${Buffer.from(`${apiKey}:`).toString('base64')}` },
  })
  return res.ok
}

/**
 * A secret admin API key for server-to-server calls (the CMS's Medusa client). Medusa shows a secret
 * key's token only when it is made, so the token is kept in `file` (mode 0600); a kept token that
 * still works is returned, otherwise a new key is made as `login`'s user and kept.
 */
export async function ensureSecretApiKey(
  options: MedusaAdminLogin & { file: string; title?: string },
): Promise<{ token: string; created: boolean }> {
  const { readFile, writeFile, mkdir } = await import('node:fs/promises')
  const kept = (await readFile(options.file, 'utf8').catch(() => '')).trim()
  if (kept && (await secretApiKeyWorks(options.url, kept))) return { token: kept, created: false }
  const jwt = await medusaAdminToken(options)
  const title = options.title ?? 'BizOSaaS CMS'
  const admin = { 'content-type': 'application/json', authorization: `Bearer ${jwt}` }
  // A lost token cannot be read back; its key is revoked (Medusa allows one live secret key per admin).
  const listed = await fetch(`${options.url}/admin/api-keys?type=secret&limit=100`, { headers: admin })
  const { api_keys: keys = [] } = (await listed.json().catch(() => ({}))) as {
    api_keys?: { id: string; title: string; revoked_at: string | null }[]
  }
  for (const key of keys.filter((k) => k.title === title && !k.revoked_at))
    await fetch(`${options.url}/admin/api-keys/${key.id}/revoke`, { method: 'POST', headers: admin, body: '{}' })
  const res = await fetch(`${options.url}/admin/api-keys`, {
    method: 'POST',
    headers: admin,
    body: JSON.stringify({ title, type: 'secret' }),
  })
  const body = (await res.json().catch(() => ({}))) as { api_key?: { token?: string }; message?: string }
  const token = body.api_key?.token
  if (!res.ok || !token) throw new Error(`Creating a Medusa secret API key failed (${res.status}): ${body.message}`)
  await mkdir(path.dirname(options.file), { recursive: true })
  await writeFile(options.file, `${token}\n`, { mode: 0o600 })
  return { token, created: true }
}
