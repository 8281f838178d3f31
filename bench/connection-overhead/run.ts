/**
 * Connection overhead benchmark (issue 19's figures): what `connectionClient()` — the runtime behind
 * `ctx.connection('<id>')`: read the tenant's connection row, open its sealed blob with the vault's
 * keyring, build the client — costs per call, cold (the first call in a fresh process) and warm, beside
 * the same connector's client built from a key already in memory. One run, one PostgreSQL, medians and
 * ratios. Run from the repository root: `pnpm bench:connection-overhead` (see ./README.md).
 *
 * `--cold <database url> <tenant>` is the child mode: a fresh process that boots the CMS on the already
 * migrated database and times its very first calls.
 */
import { spawn } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { mkdtemp, rm } from 'node:fs/promises'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { loadavg, tmpdir } from 'node:os'
import path from 'node:path'
import type { CmsConfigOptions } from '@bizosaas/cms/config'
import {
  type ConnectorContext,
  connectionClient,
  registerConnectors,
  saveConnection,
} from '@bizosaas/plugin-connectors'
import { type AcmeCrmCredentials, acmeCrmConnector } from '@bizosaas/plugin-connectors/examples/acme-crm'
import { freePort } from '@bizosaas/scripts/ports'
import {
  databaseUrl,
  dropDatabase,
  ensureDatabase,
  externalPostgres,
  type PostgresServer,
  startEmbeddedPostgres,
} from '@bizosaas/scripts/postgres'
import { median, percentile } from '../cms-api/load.ts'
import { type InProcessCms, startInProcessCms } from '../lib/in-process-cms.ts'

const SAMPLES = Number(process.env.BENCH_SAMPLES ?? 2000)
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 10)
const COLD = Number(process.env.BENCH_COLD ?? 5)

const SECRET = 'bizosaas-bench-secret-0123456789abcdef'
const CREDENTIALS: AcmeCrmCredentials = { apiKey: 'acme_benchbenchbench0123456789', workspace: 'bench' }

const repoRoot = path.resolve(import.meta.dirname, '../..')
const tsx = path.join(repoRoot, 'node_modules/.bin/tsx')
const log = (line = '') => process.stdout.write(`${line}\n`)
const fmt = (value: number, digits = 3) => value.toFixed(digits)
const load = () =>
  loadavg()
    .map((l) => l.toFixed(2))
    .join(' / ')

const cleanups: (() => Promise<unknown>)[] = []
async function cleanup() {
  for (const fn of cleanups.splice(0).reverse()) await fn().catch((error: Error) => log(`cleanup: ${error.message}`))
}
for (const signal of ['SIGINT', 'SIGTERM'] as const)
  process.on(signal, () => void cleanup().finally(() => process.exit(130)))

/** The baseline: the same connector's client from a key in memory (no row, no decryption). */
const plainContext: ConnectorContext<AcmeCrmCredentials> = {
  connection: { id: 'memory', tenant: 'memory', connector: 'acme-crm' },
  credentials: CREDENTIALS,
  accessToken: () => Promise.reject(new Error('API key connector')),
  fetch: (input, init) => fetch(input, init),
  urls: { ...acmeCrmConnector.urls },
}
const plainClient = () => acmeCrmConnector.client(plainContext)

async function startCms(url: string, migrate: boolean): Promise<InProcessCms> {
  const mediaDir = await mkdtemp(path.join(tmpdir(), 'bizosaas-bench-media-'))
  Object.assign(process.env, {
    DATABASE_URL: url,
    PAYLOAD_SECRET: SECRET,
    MEDIA_DIR: mediaDir,
    NODE_ENV: 'production',
    MIGRATE_ON_START: migrate ? 'true' : 'false',
    VAULT_KEY: process.env.VAULT_KEY ?? randomBytes(32).toString('base64'),
  })
  const options: CmsConfigOptions = {
    plugins: [
      (config) => {
        registerConnectors(config, [acmeCrmConnector])
        return config
      },
    ],
  }
  const cms = await startInProcessCms(options, { connectionString: url })
  return {
    ...cms,
    async close() {
      await cms.close()
      await rm(mediaDir, { recursive: true, force: true })
    },
  }
}

// --- cold: a fresh process ------------------------------------------------------------------------------------

interface ColdSample {
  /** ms of the first `connectionClient()` in the process, then the second. */
  connectionFirst: number
  connectionSecond: number
  /** ms of the first plain client build in the process. */
  plainFirst: number
  order: 'plain-first' | 'connection-first'
}

async function coldChild(url: string, tenant: string, order: ColdSample['order']) {
  const cms = await startCms(url, false)
  const timeOf = async (fn: () => unknown) => {
    const start = performance.now()
    await fn()
    return performance.now() - start
  }
  const connection = () => connectionClient(cms.payload, { tenant, connector: 'acme-crm' })
  let plainFirst = 0
  if (order === 'plain-first') plainFirst = await timeOf(plainClient)
  const connectionFirst = await timeOf(connection)
  const connectionSecond = await timeOf(connection)
  if (order === 'connection-first') plainFirst = await timeOf(plainClient)
  process.stdout.write(`BENCH ${JSON.stringify({ connectionFirst, connectionSecond, plainFirst, order })}\n`)
  await cms.close()
}

function runColdChild(url: string, tenant: string, order: ColdSample['order'], env: NodeJS.ProcessEnv) {
  return new Promise<ColdSample>((resolve, reject) => {
    const child = spawn(tsx, [import.meta.filename, '--cold', url, tenant, order], {
      cwd: repoRoot,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let output = ''
    let sample: ColdSample | undefined
    const read = (data: Buffer) => {
      output += data
      for (const line of data.toString().split('\n')) if (line.startsWith('BENCH ')) sample = JSON.parse(line.slice(6))
    }
    child.stdout.on('data', read)
    child.stderr.on('data', (data: Buffer) => (output += data))
    child.once('exit', (code) =>
      sample ? resolve(sample) : reject(new Error(`cold child exited (${code}):\n${output.slice(-4000)}`)),
    )
  })
}

// --- warm: one process, alternating rounds -------------------------------------------------------------------

async function timeCalls(count: number, fn: () => unknown): Promise<number[]> {
  const times: number[] = []
  for (let i = 0; i < count; i++) {
    const start = performance.now()
    await fn()
    times.push(performance.now() - start)
  }
  return times
}

async function main() {
  log(`connection overhead benchmark — node ${process.version}, ${SAMPLES} warm calls per side, ${COLD} cold processes`)
  log(`load average (1/5/15 min) at start: ${load()} (a shared 2-core machine: compare ratios, not absolutes)`)
  const external = process.env.BENCH_DATABASE_URL
  const dataDir = external ? undefined : await mkdtemp(path.join(tmpdir(), 'bizosaas-bench-connections-'))
  const server: PostgresServer = external
    ? externalPostgres(external)
    : await startEmbeddedPostgres({ dataDir: dataDir as string, port: await freePort(), persistent: false })
  cleanups.push(async () => {
    await server.stop()
    if (dataDir) await rm(dataDir, { recursive: true, force: true })
  })
  const name = `bench_connections_${Date.now()}`
  await ensureDatabase(server.adminUrl, name)
  cleanups.push(() => dropDatabase(server.adminUrl, name))
  const url = databaseUrl(server.adminUrl, name)
  process.env.VAULT_KEY ??= randomBytes(32).toString('base64')

  const startedAt = performance.now()
  const cms = await startCms(url, true)
  cleanups.push(() => cms.close())
  const tenant = await cms.payload.create({ collection: 'tenants', data: { name: 'Bench Tenant', slug: 'bench' } })
  const tenantId = String(tenant.id)
  await saveConnection(cms.payload, {
    tenant: tenant.id,
    connector: 'acme-crm',
    name: 'Acme (bench)',
    credentials: CREDENTIALS,
  })
  log(`CMS up, migrated, one tenant with an Acme CRM connection in ${fmt((performance.now() - startedAt) / 1000, 1)} s`)
  log('')

  // For scale: one call of the client to an API on this machine (a node:http mock of Acme's GET /me) —
  // the fastest an outside call can be; real providers answer in tens to hundreds of ms.
  const api = createServer((_req, res) =>
    res.writeHead(200, { 'content-type': 'application/json' }).end('{"workspace":"bench","email":"a@bench.dev"}'),
  )
  await new Promise<void>((resolve) => api.listen(0, '127.0.0.1', resolve))
  cleanups.push(() => new Promise((resolve) => api.close(resolve)))
  const apiClient = await acmeCrmConnector.client({
    ...plainContext,
    urls: { api: `http://127.0.0.1:${(api.address() as AddressInfo).port}/v2` },
  })
  const apiCall = () => apiClient.whoami()

  const connection = () => connectionClient(cms.payload, { tenant: tenantId, connector: 'acme-crm' })
  const rowOnly = () =>
    cms.sql.query(
      `SELECT * FROM connections WHERE tenant_id = $1 AND connector = $2
       ORDER BY (status = 'connected') DESC, updated_at DESC LIMIT 1`,
      [tenant.id, 'acme-crm'],
    )

  // Warm: alternating rounds (plain, connectionClient, the row read alone), after a warm-up of each.
  await timeCalls(200, plainClient)
  await timeCalls(200, connection)
  await timeCalls(200, rowOnly)
  await timeCalls(200, apiCall)
  const perRound = Math.max(1, Math.round(SAMPLES / ROUNDS))
  const warm = { plain: [] as number[], connection: [] as number[], row: [] as number[], call: [] as number[] }
  const sides = [
    async () => warm.plain.push(...(await timeCalls(perRound, plainClient))),
    async () => warm.connection.push(...(await timeCalls(perRound, connection))),
    async () => warm.row.push(...(await timeCalls(perRound, rowOnly))),
    async () => warm.call.push(...(await timeCalls(perRound, apiCall))),
  ]
  for (let round = 0; round < ROUNDS; round++)
    for (let k = 0; k < sides.length; k++) await sides[(k + round) % sides.length]!()
  log(`warm (${warm.connection.length} calls per side, ${ROUNDS} alternating rounds):`)
  const line = (label: string, times: number[]) =>
    log(
      `  ${label.padEnd(52)} p50 ${fmt(median(times)).padStart(8)} ms   p99 ${fmt(percentile(times, 99)).padStart(8)} ms`,
    )
  line('plain client from a key in memory', warm.plain)
  line('connectionClient() (row + decrypt + client)', warm.connection)
  line('  of which: the row read alone (same SQL pool)', warm.row)
  line('for scale: one client call to an API on this machine', warm.call)
  const warmRatio = median(warm.connection) / median(warm.plain)
  log(
    `  overhead per call: ${fmt(median(warm.connection) - median(warm.plain))} ms (p50), ` +
      `${fmt(warmRatio, 0)}x the plain client's build, ` +
      `${fmt((100 * (median(warm.connection) - median(warm.plain))) / median(warm.call), 0)} % of one local API call`,
  )
  log(`  load average now: ${load()}`)
  log('')

  // Cold: fresh processes, half of them building the plain client first.
  const env = { ...process.env }
  const cold: ColdSample[] = []
  for (let i = 0; i < COLD; i++) {
    const sample = await runColdChild(url, tenantId, i % 2 === 0 ? 'plain-first' : 'connection-first', env)
    cold.push(sample)
    log(
      `  cold process ${i + 1} (${sample.order}): first connectionClient ${fmt(sample.connectionFirst, 2)} ms, ` +
        `second ${fmt(sample.connectionSecond, 2)} ms, first plain client ${fmt(sample.plainFirst, 3)} ms`,
    )
  }
  const coldFirst = cold.map((s) => s.connectionFirst)
  const coldPlain = cold.map((s) => s.plainFirst)
  log(`cold (first call in a fresh process, median of ${cold.length}):`)
  log(`  first connectionClient()  ${fmt(median(coldFirst), 2)} ms`)
  log(`  second connectionClient() ${fmt(median(cold.map((s) => s.connectionSecond)), 2)} ms`)
  log(`  first plain client        ${fmt(median(coldPlain), 3)} ms`)
  log(
    `  cold / warm connectionClient: ${fmt(median(coldFirst) / median(warm.connection), 1)}x; ` +
      `cold overhead beside the plain client: ${fmt(median(coldFirst) - median(coldPlain), 2)} ms`,
  )
  log(`load average at the end: ${load()}`)
}

if (process.argv[2] === '--cold') {
  const [url, tenant, order] = process.argv.slice(3)
  coldChild(url!, tenant!, order as ColdSample['order']).then(
    () => process.exit(0),
    (error: Error) => {
      process.stderr.write(`${error.stack}\n`)
      process.exit(1)
    },
  )
} else {
  main()
    .catch((error: Error) => {
      process.stderr.write(`${error.stack}\n`)
      process.exitCode = 1
    })
    .finally(() => cleanup())
}
