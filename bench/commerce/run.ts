/**
 * Commerce benchmark, measured side by side in one run on one PostgreSQL (see ./README.md):
 * 1. `GET /store/products?limit=12` (CoreLDove's publishable key): our Medusa (commerce/, as it ships) vs a
 *    bare Medusa (./bare: projectConfig only) on a copy of the same seeded database, both `medusa start`
 *    with NODE_ENV=production and the admin off, loaded one at a time, alternating;
 * 2. product change → Payload content updated: a CoreLDove product's title changed through Medusa's admin
 *    API until the CMS's `product-content` row has it (our subscriber → pg-boss → `startMedusaSync`), as the
 *    queue ships (pg-boss NOTIFY, 2 s backstop poll) and, as the baseline, with NOTIFY off (polling only).
 * Run from the repository root: `pnpm bench:commerce`.
 */
import { type ChildProcess, spawn } from 'node:child_process'
import { mkdtemp, rm, symlink } from 'node:fs/promises'
import { loadavg, tmpdir } from 'node:os'
import path from 'node:path'
import type { CmsConfigOptions } from '@bizosaas/cms/config'
import { agentQueueOf, dropAgentQueue, pluginConfigOf } from '@bizosaas/plugin-agents/testing'
import { PRODUCT_SYNC_QUEUE, repairCommerce, startMedusaSync } from '@bizosaas/plugin-medusa'
import {
  type CommerceServer,
  commerceDir,
  commerceEnv,
  DEMO_MEDUSA_ADMIN,
  ensureSecretApiKey,
  medusaAdminToken,
  migrateCommerce,
  readCommerceTenants,
  seedCommerce,
  startCommerce,
} from '@bizosaas/scripts/commerce'
import { freePort } from '@bizosaas/scripts/ports'
import {
  databaseUrl,
  dropDatabase,
  ensureDatabase,
  externalPostgres,
  type PostgresServer,
  startEmbeddedPostgres,
} from '@bizosaas/scripts/postgres'
import type { Payload, SanitizedConfig } from 'payload'
import pg from 'pg'
import { type LoadResult, median, percentile, runLoad } from '../cms-api/load.ts'
import { descendants, memoryOf } from '../cms-api/proc-memory.ts'

const REPS = Number(process.env.BENCH_REPS ?? 5)
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10)
const WARMUP_SECONDS = Number(process.env.BENCH_WARMUP_SECONDS ?? 2)
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 10)
const SAMPLES = Number(process.env.BENCH_SAMPLES ?? 50)
const BURST = Number(process.env.BENCH_BURST ?? 20)
/** `0` skips the second round of part 2 (the queue with pg-boss NOTIFY off; it first waits ~1 min). */
const POLLING_VARIANT = process.env.BENCH_POLLING_VARIANT !== '0'
/** `store` or `sync`: only that part (the other's figures are left out of the summary). */
const ONLY = process.env.BENCH_ONLY
if (ONLY && ONLY !== 'store' && ONLY !== 'sync') throw new Error('BENCH_ONLY must be store or sync')
/** How long a burst may take before the products still waiting are reported as not updated. */
const BURST_TIMEOUT_MS = Number(process.env.BENCH_BURST_TIMEOUT_MS ?? 120_000)
const TARGET_RATIO = 0.95
const POLL_MS = 5
/** Between two spaced samples: this, plus a random part of one polling interval (see `spacedSamples`). */
const SPACING_MS = 250
/** The bridge worker's `pollingIntervalSeconds` (plugins/medusa/src/sync/worker.ts). */
const WORKER_POLL_MS = 2000
/** pg-boss re-reads its queue settings (`notify` among them) every `queueCacheIntervalSeconds` (60). */
const QUEUE_CACHE_MS = 60_000
const QUERY = '/store/products?limit=12'

const SECRETS = {
  jwtSecret: 'bizosaas-bench-commerce-jwt-secret-0123456789',
  cookieSecret: 'bizosaas-bench-commerce-cookie-secret-0123456789',
}
const PAYLOAD_SECRET = 'bizosaas-bench-secret-0123456789abcdef'
const bareDir = path.join(import.meta.dirname, 'bare')
const medusaBin = path.join(commerceDir, 'node_modules/.bin/medusa')
const SIDES = ['ours', 'bare'] as const
type Side = (typeof SIDES)[number]

const log = (line = '') => process.stdout.write(`${line}\n`)
const fmt = (value: number, digits = 1) => value.toFixed(digits)
const mb = (bytes: number) => `${fmt(bytes / 1024 / 1024, 0)} MB`
const load = () =>
  loadavg()
    .map((l) => fmt(l, 2))
    .join(' / ')
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

const cleanups: (() => Promise<unknown>)[] = []
async function cleanup() {
  for (const fn of cleanups.splice(0).reverse()) await fn().catch((error: Error) => log(`cleanup: ${error.message}`))
}
for (const signal of ['SIGINT', 'SIGTERM'] as const)
  process.on(signal, () => void cleanup().finally(() => process.exit(130)))

// --- the two Medusa servers -------------------------------------------------------------------------------

/** SIGTERM to the process group, SIGKILL after `graceMs`; resolves when the group is gone. */
async function stopGroup(child: ChildProcess, graceMs = 10_000) {
  const signal = (sig: NodeJS.Signals | 0) => {
    try {
      process.kill(-child.pid!, sig)
      return true
    } catch {
      return false
    }
  }
  signal('SIGTERM')
  const deadline = Date.now() + graceMs
  while (signal(0)) {
    if (Date.now() > deadline) {
      signal('SIGKILL')
      break
    }
    await sleep(100)
  }
}

/**
 * `medusa start` in ./bare (its node_modules is a link to commerce/node_modules, so both sides run the same
 * Medusa packages), in its own process group; resolves once `/health` answers 200.
 */
async function startBare(env: NodeJS.ProcessEnv, port: number): Promise<CommerceServer> {
  const child = spawn(medusaBin, ['start', '--port', String(port)], {
    cwd: bareDir,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  })
  let output = ''
  child.stdout!.on('data', (d: Buffer) => (output += d))
  child.stderr!.on('data', (d: Buffer) => (output += d))
  const server: CommerceServer = {
    url: `http://127.0.0.1:${port}`,
    port,
    pid: child.pid!,
    output: () => output,
    stop: () => stopGroup(child),
  }
  const deadline = Date.now() + 180_000
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null)
      throw new Error(`bare Medusa exited before it was healthy:\n${output.slice(-3000)}`)
    const ok = await fetch(`${server.url}/health`, { signal: AbortSignal.timeout(5_000) }).then(
      (r) => r.status === 200,
      () => false,
    )
    if (ok) return server
    if (Date.now() > deadline) {
      await server.stop()
      throw new Error(`bare Medusa not healthy within 180 s:\n${output.slice(-3000)}`)
    }
    await sleep(250)
  }
}

const memoryOfServer = (server: CommerceServer) => memoryOf(descendants(server.pid).map((p) => p.pid))

// --- 1. the store API -------------------------------------------------------------------------------------

interface StoreSample {
  status: number
  bytes: number
  count: number
  ids: string[]
}

async function storeSample(base: string, key: string): Promise<StoreSample> {
  const res = await fetch(`${base}${QUERY}`, { headers: { 'x-publishable-api-key': key } })
  const text = await res.text()
  const body = JSON.parse(text) as { count?: number; products?: { id: string }[] }
  return {
    status: res.status,
    bytes: Buffer.byteLength(text),
    count: body.count ?? 0,
    ids: (body.products ?? []).map((p) => p.id),
  }
}

async function benchStore(servers: Record<Side, CommerceServer>, key: string) {
  const samples = { ours: await storeSample(servers.ours.url, key), bare: await storeSample(servers.bare.url, key) }
  for (const side of SIDES)
    if (samples[side].status !== 200) throw new Error(`${side}: GET ${QUERY} answered ${samples[side].status}`)
  const same = samples.ours.count === samples.bare.count && samples.ours.ids.join() === samples.bare.ids.join()
  log(
    `GET ${QUERY}: ours ${samples.ours.bytes} B (${samples.ours.ids.length} of ${samples.ours.count} products), ` +
      `bare ${samples.bare.bytes} B (${samples.bare.ids.length} of ${samples.bare.count}); same products: ${same ? 'yes' : 'NO'}`,
  )
  if (!same) throw new Error('the two servers do not return the same products')

  const headers = { 'x-publishable-api-key': key }
  const loadOf = (side: Side, seconds: number) =>
    runLoad({ url: `${servers[side].url}${QUERY}`, headers, concurrency: CONCURRENCY, seconds })
  log(`warm-up: ${WARMUP_SECONDS * 3} s per side …`)
  for (const side of SIDES) await loadOf(side, WARMUP_SECONDS * 3)

  const rounds: Record<Side, LoadResult[]> = { ours: [], bare: [] }
  for (let rep = 0; rep < REPS; rep++) {
    // Which side goes first alternates (A B, B A, …), so a drift in the machine's load hits both alike.
    const order = rep % 2 === 0 ? SIDES : ([...SIDES].reverse() as Side[])
    const line: string[] = []
    for (const side of order) {
      await loadOf(side, WARMUP_SECONDS)
      const result = await loadOf(side, SECONDS)
      rounds[side].push(result)
      line.push(
        `${side} ${fmt(result.rps)} req/s (p50 ${fmt(result.p50)} ms, p99 ${fmt(result.p99)} ms` +
          `${result.errors ? `, ${result.errors} errors` : ''})`,
      )
    }
    log(`  rep ${rep + 1}: ${line.join(', ')}   load ${load()}`)
  }
  return { rounds, bytes: { ours: samples.ours.bytes, bare: samples.bare.bytes } }
}

// --- 2. product change → product-content ------------------------------------------------------------------

interface Cms {
  payload: Payload
  close: () => Promise<void>
}

/** Our CMS config in this process (as bench/agents-plugin), the bridge pointed at our Medusa and its queue. */
async function startCms(url: string, medusa: CmsConfigOptions['medusa']): Promise<Cms> {
  const mediaDir = await mkdtemp(path.join(tmpdir(), 'bizosaas-bench-commerce-media-'))
  // Production: Payload applies the committed migrations on connect (`prodMigrations`).
  Object.assign(process.env, {
    DATABASE_URL: url,
    PAYLOAD_SECRET,
    MEDIA_DIR: mediaDir,
    NODE_ENV: 'production',
    AGENTS_WORKER: 'off',
  })
  const { cmsConfig } = await import('@bizosaas/cms/config')
  const { buildConfig, getPayload } = await import('payload')
  const config: SanitizedConfig = await buildConfig(cmsConfig({ medusa }))
  const payload = await getPayload({ config })
  return {
    payload,
    async close() {
      const pool = (payload.db as unknown as { pool?: { end(): Promise<void>; ending?: boolean; totalCount: number } })
        .pool
      // The agents plugin's queue (the seed's hooks start it) polls until stopped: stop it before the drop.
      await agentQueueOf(payload, pluginConfigOf(payload)).stop()
      dropAgentQueue(payload)
      await payload.destroy()
      // Payload's destroy leaves its pg pool open (see cms/src/test/harness.ts): end it before the drop.
      if (pool && !pool.ending) {
        void pool.end().catch(() => {})
        for (let i = 0; i < 60 && pool.totalCount > 1; i++) await sleep(50)
      }
      await rm(mediaDir, { recursive: true, force: true })
    },
  }
}

interface SyncSample {
  /** Admin request sent → product-content row has the new title. */
  total: number
  /** The admin `POST /admin/products/:id` round trip. */
  request: number
  /** Request sent → the job row exists (the subscriber's `send`). */
  queued: number
  /** Job created → a worker fetched it (pg-boss polling or NOTIFY). */
  pickup: number
  /** Job started → the row has the title (the worker reads the product from Medusa and updates the document). */
  sync: number
}

interface Bridge {
  sql: pg.Pool
  medusaUrl: string
  adminToken: string
  tenantId: number
  products: string[]
}

let titleCounter = 0

/** Changes `productId`'s title through Medusa's admin API; resolves with the title and when the request went. */
async function retitle(bridge: Bridge, productId: string) {
  const title = `Bench title ${++titleCounter} ${Date.now()}`
  const sent = Date.now()
  const res = await fetch(`${bridge.medusaUrl}/admin/products/${productId}?fields=id`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${bridge.adminToken}` },
    body: JSON.stringify({ title }),
  })
  if (!res.ok) throw new Error(`POST /admin/products/${productId}: ${res.status} ${await res.text()}`)
  await res.arrayBuffer()
  return { title, sent, answered: Date.now() }
}

/** Polls every POLL_MS until each product's document has its title; returns when each was first seen (ms epoch). */
async function untilTitles(bridge: Bridge, wanted: Map<string, string>, timeoutMs = 120_000, partial = false) {
  const seen = new Map<string, number>()
  const deadline = Date.now() + timeoutMs
  while (seen.size < wanted.size) {
    const { rows } = await bridge.sql.query<{ id: string; title: string }>(
      'SELECT medusa_product_id AS id, title FROM product_content WHERE tenant_id = $1 AND medusa_product_id = ANY($2)',
      [bridge.tenantId, [...wanted.keys()]],
    )
    const now = Date.now()
    for (const row of rows) if (!seen.has(row.id) && wanted.get(row.id) === row.title) seen.set(row.id, now)
    if (seen.size >= wanted.size) break
    if (now > deadline) {
      if (partial) break
      throw new Error(`timed out: ${wanted.size - seen.size} product-content titles not updated`)
    }
    await sleep(POLL_MS)
  }
  return seen
}

/** The newest sync job of a product made at or after `after` (ms epoch): when it was created and started. */
async function jobTimes(bridge: Bridge, productId: string, after: number) {
  const { rows } = await bridge.sql.query<{ created: Date; started: Date | null }>(
    `SELECT created_on AS created, started_on AS started FROM pgboss.job
      WHERE name = $1 AND singleton_key = $2 AND created_on >= $3 ORDER BY created_on DESC LIMIT 1`,
    [PRODUCT_SYNC_QUEUE, productId, new Date(after - 5)],
  )
  const row = rows[0]
  return row ? { created: row.created.getTime(), started: row.started?.getTime() } : undefined
}

async function measure(bridge: Bridge, productId: string, sent: number, answered: number, seen: number) {
  const job = await jobTimes(bridge, productId, sent)
  const total = seen - sent
  return {
    total,
    request: answered - sent,
    queued: job ? job.created - sent : Number.NaN,
    pickup: job?.started ? job.started - job.created : Number.NaN,
    sync: job?.started ? seen - job.started : Number.NaN,
  } satisfies SyncSample
}

/**
 * One change at a time: retitle, wait until the document has it, then pause SPACING_MS plus a random part
 * of one polling interval — otherwise every change would land at the same point of the worker's polling
 * cycle (the worker waits a full interval after each job) and the samples would all be alike.
 */
async function spacedSamples(bridge: Bridge, count: number): Promise<SyncSample[]> {
  const samples: SyncSample[] = []
  for (let i = 0; i < count; i++) {
    const productId = bridge.products[i % bridge.products.length]!
    const { title, sent, answered } = await retitle(bridge, productId)
    const seen = (await untilTitles(bridge, new Map([[productId, title]]))).get(productId)!
    samples.push(await measure(bridge, productId, sent, answered, seen))
    await sleep(SPACING_MS + Math.random() * WORKER_POLL_MS)
  }
  return samples
}

/** `count` different products retitled at once; each product's latency and the time until all are done. */
async function burst(bridge: Bridge, count: number) {
  const products = bridge.products.slice(0, count)
  const started = Date.now()
  const changes = await Promise.all(products.map((id) => retitle(bridge, id)))
  const seen = await untilTitles(
    bridge,
    new Map(products.map((id, i) => [id, changes[i]!.title])),
    BURST_TIMEOUT_MS,
    true,
  )
  // A product not updated within the timeout is left out of the percentiles and counted as missing.
  const samples = await Promise.all(
    products.flatMap((id, i) =>
      seen.has(id) ? [measure(bridge, id, changes[i]!.sent, changes[i]!.answered, seen.get(id)!)] : [],
    ),
  )
  return { samples, missing: products.length - seen.size, drainMs: Math.max(started, ...seen.values()) - started }
}

function summarize(label: string, samples: SyncSample[]) {
  const of = (key: keyof SyncSample, p: number) =>
    percentile(
      samples.map((s) => s[key]).filter((v) => !Number.isNaN(v)),
      p,
    )
  log(
    `  ${label.padEnd(34)} p50 ${fmt(of('total', 50), 0).padStart(5)} ms, p99 ${fmt(of('total', 99), 0).padStart(5)} ms, ` +
      `max ${fmt(of('total', 100), 0).padStart(5)} ms  | p50 parts: request ${fmt(of('request', 50), 0)}, ` +
      `queued ${fmt(of('queued', 50), 0)}, pickup ${fmt(of('pickup', 50), 0)}, sync ${fmt(of('sync', 50), 0)} ms`,
  )
}

async function benchSync(bridge: Bridge) {
  const results: { label: string; samples: SyncSample[] }[] = []
  const round = async (variant: string) => {
    log(`${variant}: 3 warm-up changes, ${SAMPLES} spaced changes, then a burst of ${BURST} products …`)
    await spacedSamples(bridge, 3)
    const spaced = await spacedSamples(bridge, SAMPLES)
    results.push({ label: `${variant}, one at a time (${spaced.length})`, samples: spaced })
    summarize(results.at(-1)!.label, spaced)
    await sleep(WORKER_POLL_MS)
    const b = await burst(bridge, BURST)
    const done = b.missing ? ` (${BURST - b.missing} done)` : ''
    results.push({ label: `${variant}, burst of ${BURST}${done}`, samples: b.samples })
    summarize(results.at(-1)!.label, b.samples)
    log(
      b.missing
        ? `  ${''.padEnd(34)} burst: ${b.missing} of ${BURST} documents NOT updated within ${BURST_TIMEOUT_MS / 1000} s ` +
            `(last one seen ${fmt(b.drainMs, 0)} ms after the first request)`
        : `  ${''.padEnd(34)} burst: all ${BURST} documents updated ${fmt(b.drainMs, 0)} ms after the first request`,
    )
    return b.drainMs
  }
  const drains: Record<string, number> = {}
  drains.notify = await round('as shipped (notify)')
  if (POLLING_VARIANT) {
    // Both pg-boss instances (Medusa's sender, the CMS's worker) read `notify` from their queue cache.
    await bridge.sql.query('UPDATE pgboss.queue SET notify = false WHERE name = $1', [PRODUCT_SYNC_QUEUE])
    log('')
    log(`queue notify turned off; waiting ${(QUEUE_CACHE_MS + 3000) / 1000} s for both pg-boss queue caches …`)
    await sleep(QUEUE_CACHE_MS + 3000)
    drains.polling = await round('baseline: polling only')
  }
  return { results, drains }
}

// --- main -------------------------------------------------------------------------------------------------

async function main() {
  log(
    `commerce benchmark — node ${process.version}, store API: ${REPS} reps x ${SECONDS} s per side at concurrency ` +
      `${CONCURRENCY}; sync: ${SAMPLES} spaced changes + a burst of ${BURST}`,
  )
  const startLoad = load()
  log(`load average (1/5/15 min) at start: ${startLoad}`)
  const external = process.env.BENCH_DATABASE_URL
  const workDir = await mkdtemp(path.join(tmpdir(), 'bizosaas-bench-commerce-'))
  cleanups.push(() => rm(workDir, { recursive: true, force: true }))
  // Its own temp folder: as root, PostgreSQL runs as `postgres` and must be able to enter the parent.
  const pgDir = external ? undefined : await mkdtemp(path.join(tmpdir(), 'bizosaas-bench-commerce-pg-'))
  const server: PostgresServer = external
    ? externalPostgres(external)
    : await startEmbeddedPostgres({ dataDir: pgDir as string, port: await freePort(), persistent: false })
  cleanups.push(async () => {
    await server.stop()
    if (pgDir) await rm(pgDir, { recursive: true, force: true })
  })
  const stamp = Date.now()
  const names = {
    ours: `bench_commerce_ours_${stamp}`,
    bare: `bench_commerce_bare_${stamp}`,
    cms: `bench_cms_${stamp}`,
  }
  const url = (name: string) => databaseUrl(server.adminUrl, name)
  for (const name of Object.values(names)) cleanups.push(() => dropDatabase(server.adminUrl, name))

  // One migrated, seeded commerce database; the bare side gets a copy of it.
  let t0 = performance.now()
  await ensureDatabase(server.adminUrl, names.ours)
  const uploadDir = path.join(workDir, 'uploads')
  const setupEnv = commerceEnv({ databaseUrl: url(names.ours), secrets: SECRETS, uploadDir, adminDisabled: true })
  delete setupEnv.CMS_QUEUE_URL
  await migrateCommerce({ env: setupEnv, output: 'pipe' })
  const migrated = performance.now() - t0
  t0 = performance.now()
  await seedCommerce({ env: setupEnv, output: 'pipe' })
  log(`commerce database: migrate ${fmt(migrated / 1000)} s, seed ${fmt((performance.now() - t0) / 1000)} s`)
  await ensureDatabase(server.adminUrl, names.bare, names.ours)
  await ensureDatabase(server.adminUrl, names.cms)
  const coreldove = (await readCommerceTenants(url(names.ours))).find((t) => t.tenant === 'coreldove')
  if (!coreldove) throw new Error('the seed made no CoreLDove storefront')

  // Both servers: `medusa start` from the TypeScript sources, NODE_ENV=production, admin off.
  const bareModules = path.join(bareDir, 'node_modules')
  await rm(bareModules, { recursive: true, force: true })
  await symlink(path.join(commerceDir, 'node_modules'), bareModules, 'dir')
  cleanups.push(() => rm(bareModules, { force: true }))
  const [oursPort, barePort] = [await freePort(), await freePort()]
  const oursEnv = commerceEnv({
    databaseUrl: url(names.ours),
    secrets: SECRETS,
    port: oursPort,
    url: `http://127.0.0.1:${oursPort}`,
    uploadDir,
    adminDisabled: true,
    nodeEnv: 'production',
    cmsQueueUrl: url(names.cms),
  })
  t0 = performance.now()
  const ours = await startCommerce({ env: oursEnv, port: oursPort, mode: 'start', output: 'pipe', timeoutMs: 180_000 })
  cleanups.push(() => ours.stop())
  log(`ours: medusa start → healthy in ${fmt((performance.now() - t0) / 1000)} s`)
  const oursServer = { ...ours, url: `http://127.0.0.1:${oursPort}` }

  if (ONLY !== 'sync') {
    const bareEnv: NodeJS.ProcessEnv = {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      NODE_ENV: 'production',
      MEDUSA_DISABLE_TELEMETRY: 'true',
      DATABASE_URL: url(names.bare),
      JWT_SECRET: SECRETS.jwtSecret,
      COOKIE_SECRET: SECRETS.cookieSecret,
    }
    await partStore(oursServer, bareEnv, barePort, coreldove.publishableKey)
  }
  if (ONLY !== 'store') await partSync(oursServer, url(names.cms), workDir)
  log('')
  log(`load average (1/5/15 min): at start ${startLoad}, at end ${load()} (2 cores)`)
}

/** Part 1: starts the bare server, loads both, prints the summary, stops the bare server. */
async function partStore(ours: CommerceServer, bareEnv: NodeJS.ProcessEnv, barePort: number, key: string) {
  let t0 = performance.now()
  const bare = await startBare(bareEnv, barePort)
  cleanups.push(() => bare.stop())
  log(`bare: medusa start → healthy in ${fmt((performance.now() - t0) / 1000)} s`)
  const servers = { ours, bare }
  const idleMemory = { ours: memoryOfServer(ours), bare: memoryOfServer(bare) }
  log('')
  t0 = performance.now()
  const store = await benchStore(servers, key)
  const loadedMemory = { ours: memoryOfServer(ours), bare: memoryOfServer(bare) }
  // Done with the bare server, so part 2 has the machine to itself.
  await bare.stop()

  const med = (side: Side, k: keyof LoadResult) => median(store.rounds[side].map((r) => r[k]))
  const row = (label: string, o: string, b: string, note = '') =>
    log(`  ${label.padEnd(26)} ${o.padStart(14)} ${b.padStart(14)}   ${note}`)
  const ratio = med('ours', 'rps') / med('bare', 'rps')
  const errors = (side: Side) => String(store.rounds[side].reduce((n, r) => n + r.errors, 0))
  const memory = (side: Side) => `${mb(idleMemory[side].rss)} / ${mb(loadedMemory[side].rss)}`
  log('')
  log(`Summary — GET ${QUERY} (CoreLDove key), concurrency ${CONCURRENCY}, median of ${REPS} reps x ${SECONDS} s`)
  row('', 'ours', 'bare')
  row(
    'requests/s',
    fmt(med('ours', 'rps')),
    fmt(med('bare', 'rps')),
    `ratio ours/bare ${fmt(ratio, 3)}; target >= ${TARGET_RATIO}: ${ratio >= TARGET_RATIO ? 'met' : 'NOT met'}`,
  )
  // Paired by rep (the two rounds of a rep ran back to back): less moved by drift than the ratio of medians.
  const perRep = median(store.rounds.ours.map((r, i) => r.rps / (store.rounds.bare[i]?.rps ?? Number.NaN)))
  row('  per-rep ratio, median', '', '', `${fmt(perRep, 3)} (ours/bare of the two rounds of each rep)`)
  row('latency p50, ms', fmt(med('ours', 'p50')), fmt(med('bare', 'p50')))
  row('latency p99, ms', fmt(med('ours', 'p99')), fmt(med('bare', 'p99')))
  row('errors (all reps)', errors('ours'), errors('bare'))
  row('response, bytes', String(store.bytes.ours), String(store.bytes.bare))
  row('RSS idle / after load', memory('ours'), memory('bare'), 'server process tree')
  log(`  load average after part 1: ${load()}`)
}

/** Part 2: our CMS in this process with the bridge worker; product retitles until product-content has them. */
async function partSync(ours: CommerceServer, cmsUrl: string, workDir: string) {
  log('')
  const t0 = performance.now()
  const medusaUrl = ours.url
  const { token: apiKey } = await ensureSecretApiKey({
    url: medusaUrl,
    ...DEMO_MEDUSA_ADMIN,
    file: path.join(workDir, 'medusa-api-key'),
  })
  const cms = await startCms(cmsUrl, {
    url: medusaUrl,
    apiKey,
    queueConnectionString: cmsUrl,
    worker: { inProcess: false },
  })
  cleanups.push(() => cms.close())
  const { seed } = await import('@bizosaas/cms/seed')
  // The seed's tenants have their shop enabled: saving them links them to Medusa's sales channels.
  await seed(cms.payload)
  const report = await repairCommerce(cms.payload, { tenants: ['coreldove'] })
  const worker = await startMedusaSync(cms.payload)
  cleanups.push(() => worker.stop({ graceMs: 2_000 }))
  log(
    `CMS up, seeded and re-synced in ${fmt((performance.now() - t0) / 1000)} s ` +
      `(CoreLDove: ${report.products[0]?.products ?? 0} products in product-content)`,
  )
  const sql = new pg.Pool({ connectionString: cmsUrl, max: 2 })
  cleanups.push(() => sql.end())
  const { rows: tenantRows } = await sql.query<{ id: number }>(`SELECT id FROM tenants WHERE slug = 'coreldove'`)
  const tenantId = tenantRows[0]!.id
  const { rows: productRows } = await sql.query<{ id: string }>(
    'SELECT medusa_product_id AS id FROM product_content WHERE tenant_id = $1 ORDER BY id',
    [tenantId],
  )
  const bridge: Bridge = {
    sql,
    medusaUrl,
    adminToken: await medusaAdminToken({ url: medusaUrl, ...DEMO_MEDUSA_ADMIN }),
    tenantId,
    products: productRows.map((r) => r.id),
  }
  const sync = await benchSync(bridge)
  log('')
  log('Summary — product title changed in Medusa (admin API) → product-content row has it (SQL polled every 5 ms)')
  for (const { label, samples } of sync.results) summarize(label, samples)
}

main()
  .catch((error) => {
    console.error(error)
    process.exitCode = 1
  })
  .finally(async () => {
    await cleanup()
    // Payload and pg-boss leave timers and sockets behind; the figures are printed.
    process.exit(process.exitCode ?? 0)
  })
