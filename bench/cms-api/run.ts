/**
 * CMS benchmark for issue 2's "Figures", measured side by side in one run (see ./README.md):
 * 1. `GET /api/posts?limit=10` at depth 0 and at the default depth, our CMS config vs a bare Payload
 *    config with the same collections and data, each served over HTTP from its own process;
 * 2. `pnpm dev` to healthy, on an empty DATA_DIR and again on the same one, and the CMS's memory.
 * Run from the repository root: `pnpm bench:cms-api`.
 */

import { type ChildProcess, spawn } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { chmod, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { cpus, loadavg, tmpdir } from 'node:os'
import path from 'node:path'
import { DEMO_PASSWORD } from '@bizosaas/cms/seed'
import { freePort } from '@bizosaas/scripts/ports'
import {
  databaseUrl,
  dropDatabase,
  ensureDatabase,
  externalPostgres,
  type PostgresServer,
  startEmbeddedPostgres,
} from '@bizosaas/scripts/postgres'
import { BENCH_USER } from './dataset.ts'
import { type DevStartResult, measureDevStart } from './dev-start.ts'
import { type LoadResult, median, runLoad } from './load.ts'
import { descendants, memoryOf } from './proc-memory.ts'

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5)
const SECONDS = Number(process.env.BENCH_SECONDS ?? 5)
const WARMUP_SECONDS = Number(process.env.BENCH_WARMUP_SECONDS ?? 1)
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 8)
const POSTS = Number(process.env.BENCH_POSTS ?? 50)
const SKIP_DEV_START = process.env.BENCH_SKIP_DEV_START === '1'
const TARGET_RATIO = 0.9

const repoRoot = path.resolve(import.meta.dirname, '../..')
const tsx = path.join(repoRoot, 'node_modules/.bin/tsx')
const serverScript = path.join(import.meta.dirname, 'server.ts')
const SECRET = 'bizosaas-bench-secret-0123456789abcdef'
/** Separate Next.js build folder for the `pnpm dev` runs (gitignored `.next-*`), removed before and after. */
const DEV_DIST_DIR = '.next-bench'
const SIDES = ['ours', 'bare'] as const
type Side = (typeof SIDES)[number]
const QUERIES = [
  { key: 'depth0', label: 'depth=0', query: '?limit=10&depth=0' },
  { key: 'default', label: 'default depth (2)', query: '?limit=10' },
] as const

const log = (line: string) => process.stdout.write(`${line}\n`)
const fmt = (value: number, digits = 1) => value.toFixed(digits)
const mb = (bytes: number) => `${fmt(bytes / 1024 / 1024, 0)} MB`
const seconds = (ms: number | undefined) => (ms === undefined ? '—' : `${fmt(ms / 1000)} s`)

const cleanups: (() => Promise<unknown>)[] = []
async function cleanup() {
  for (const fn of cleanups.splice(0).reverse()) await fn().catch((error: Error) => log(`cleanup: ${error.message}`))
}
for (const signal of ['SIGINT', 'SIGTERM'] as const)
  process.on(signal, () => void cleanup().finally(() => process.exit(130)))

// --- one side's process -----------------------------------------------------------------------------------

interface SideProcess {
  child: ChildProcess
  lines: (predicate: (msg: Record<string, unknown>) => boolean) => Promise<Record<string, unknown>>
  output: () => string
}

/** Runs `server.ts <side> <mode>`; its protocol lines are `BENCH {json}` on stdout. */
function startSideProcess(side: Side, mode: 'prepare' | 'serve', env: NodeJS.ProcessEnv): SideProcess {
  const child = spawn(tsx, [serverScript, side, mode], { cwd: repoRoot, env, stdio: ['ignore', 'pipe', 'pipe'] })
  let output = ''
  const messages: Record<string, unknown>[] = []
  const waiters: (() => void)[] = []
  child.stdout!.on('data', (data: Buffer) => {
    output += data
    for (const line of data.toString().split('\n'))
      if (line.startsWith('BENCH ')) {
        messages.push(JSON.parse(line.slice(6)))
        for (const wake of waiters.splice(0)) wake()
      }
  })
  child.stderr!.on('data', (data: Buffer) => {
    output += data
  })
  child.once('exit', () => {
    for (const wake of waiters.splice(0)) wake()
  })
  return {
    child,
    output: () => output,
    async lines(predicate) {
      for (;;) {
        const found = messages.find(predicate)
        if (found) return found
        if (child.exitCode !== null || child.signalCode !== null)
          throw new Error(`${side} ${mode} exited (${child.exitCode ?? child.signalCode}):\n${output.slice(-4000)}`)
        await new Promise<void>((r) => waiters.push(r))
      }
    },
  }
}

async function stopProcess(child: ChildProcess) {
  if (child.exitCode !== null || child.signalCode !== null) return
  const exited = new Promise((r) => child.once('exit', r))
  child.kill('SIGTERM')
  const timer = setTimeout(() => child.kill('SIGKILL'), 15_000)
  await exited
  clearTimeout(timer)
}

// --- part 1: the API --------------------------------------------------------------------------------------

interface SideServer {
  side: Side
  base: string
  token: string
  child: ChildProcess
}

async function login(base: string): Promise<string> {
  const res = await fetch(`${base}/api/users/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: BENCH_USER, password: DEMO_PASSWORD }),
  })
  const body = (await res.json()) as { token?: string }
  if (res.status !== 200 || !body.token)
    throw new Error(`login at ${base} failed: ${res.status} ${JSON.stringify(body)}`)
  return body.token
}

const DATE = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d/

/**
 * The documents with keys sorted and what differs by nature between two databases masked
 * (timestamps, and the random string ids of array rows and sessions), to check both sides match.
 */
function canonical(value: unknown, key?: string): unknown {
  if (typeof value === 'string' && (DATE.test(value) || key === 'id')) return '<masked>'
  if (Array.isArray(value)) return value.map((item) => canonical(item))
  if (value && typeof value === 'object')
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .map((k) => [k, canonical((value as Record<string, unknown>)[k], k)]),
    )
  return value
}

interface Sample {
  status: number
  bytes: number
  totalDocs: number
  docs: unknown
}

/** Where two canonical values first differ (a JSON path), or undefined when they are equal. */
function firstDifference(a: unknown, b: unknown, at = 'docs'): string | undefined {
  if (a === b) return undefined
  if (a && b && typeof a === 'object' && typeof b === 'object') {
    const keys = new Set([...Object.keys(a), ...Object.keys(b)])
    for (const key of keys) {
      const diff = firstDifference(
        (a as Record<string, unknown>)[key],
        (b as Record<string, unknown>)[key],
        Array.isArray(a) ? `${at}[${key}]` : `${at}.${key}`,
      )
      if (diff) return diff
    }
    return undefined
  }
  return `${at}: ${JSON.stringify(a)?.slice(0, 80)} vs ${JSON.stringify(b)?.slice(0, 80)}`
}

async function sample(server: SideServer, query: string): Promise<Sample> {
  const res = await fetch(`${server.base}/api/posts${query}`, { headers: { authorization: `JWT ${server.token}` } })
  const text = await res.text()
  const body = JSON.parse(text) as { docs?: unknown[]; totalDocs?: number }
  return {
    status: res.status,
    bytes: Buffer.byteLength(text),
    totalDocs: body.totalDocs ?? 0,
    docs: canonical(body.docs ?? []),
  }
}

const BENCH_VAULT_KEY = randomBytes(32).toString('base64')

async function prepareAndServe(adminUrl: string, workDir: string): Promise<SideServer[]> {
  const envFor = (side: Side, nodeEnv: 'production' | 'development'): NodeJS.ProcessEnv => ({
    ...process.env,
    DATABASE_URL: databaseUrl(adminUrl, `bench_cms_${side}`),
    PAYLOAD_SECRET: SECRET,
    MEDIA_DIR: path.join(workDir, `media-${side}`),
    CMS_URL: 'http://localhost:3001',
    BENCH_POSTS: String(POSTS),
    NODE_ENV: nodeEnv,
    // Production refuses to start without a vault key: a throwaway one for the throwaway databases.
    VAULT_KEY: process.env.VAULT_KEY ?? BENCH_VAULT_KEY,
  })
  for (const side of SIDES) {
    await dropDatabase(adminUrl, `bench_cms_${side}`)
    await ensureDatabase(adminUrl, `bench_cms_${side}`)
    cleanups.push(() => dropDatabase(adminUrl, `bench_cms_${side}`))
  }

  // Ours migrates on init in production (the committed migrations); bare pushes its schema in development.
  const t0 = performance.now()
  const counts = await Promise.all(
    SIDES.map(async (side) => {
      const prep = startSideProcess(side, 'prepare', envFor(side, side === 'ours' ? 'production' : 'development'))
      const done = await prep.lines((m) => 'posts' in m)
      await new Promise((r) => prep.child.once('exit', r))
      return done
    }),
  )
  log(`prepared both databases in ${seconds(performance.now() - t0)}`)
  for (const [i, side] of SIDES.entries()) log(`  ${side}: ${JSON.stringify(counts[i])}`)

  return Promise.all(
    SIDES.map(async (side) => {
      const proc = startSideProcess(side, 'serve', envFor(side, 'production'))
      cleanups.push(() => stopProcess(proc.child))
      const { port } = (await proc.lines((m) => 'port' in m)) as { port: number }
      const base = `http://127.0.0.1:${port}`
      return { side, base, token: await login(base), child: proc.child }
    }),
  )
}

interface ApiFigures {
  rounds: Record<string, Record<Side, LoadResult[]>>
  samples: Record<string, Record<Side, Sample>>
  /** Per query: undefined when both sides returned the same documents, else where they first differ. */
  differences: Record<string, string | undefined>
  serverMemory: Record<Side, { rss: number; pss: number }>
}

async function benchApi(adminUrl: string, workDir: string): Promise<ApiFigures> {
  const servers = await prepareAndServe(adminUrl, workDir)
  const rounds: ApiFigures['rounds'] = {}
  const samples: ApiFigures['samples'] = {}
  const differences: ApiFigures['differences'] = {}

  for (const q of QUERIES) {
    const [ours, bare] = await Promise.all(servers.map((s) => sample(s, q.query)))
    samples[q.key] = { ours: ours!, bare: bare! }
    if (ours!.status !== 200 || bare!.status !== 200)
      throw new Error(`GET /api/posts${q.query}: ours ${ours!.status}, bare ${bare!.status}`)
    const difference = firstDifference(ours!.docs, bare!.docs)
    differences[q.key] = difference
    log(
      `${q.label}: ours ${ours!.bytes} B (${ours!.totalDocs} visible posts), bare ${bare!.bytes} B (${bare!.totalDocs}); ` +
        `same documents: ${difference ? `NO, first difference at ${difference}` : 'yes'}`,
    )
  }

  const load = (server: SideServer, query: string, secs: number) =>
    runLoad({
      url: `${server.base}/api/posts${query}`,
      headers: { authorization: `JWT ${server.token}` },
      concurrency: CONCURRENCY,
      seconds: secs,
    })

  for (const q of QUERIES) {
    // A longer first warm-up per side (JIT, connection pool), then short ones before each round.
    for (const server of servers) await load(server, q.query, 3)
    rounds[q.key] = { ours: [], bare: [] }
    for (let round = 1; round <= ROUNDS; round++)
      for (const server of servers) {
        if (WARMUP_SECONDS > 0) await load(server, q.query, WARMUP_SECONDS)
        const result = await load(server, q.query, SECONDS)
        rounds[q.key]![server.side].push(result)
        log(
          `  ${q.label} round ${round} ${server.side}: ${fmt(result.rps)} req/s, p50 ${fmt(result.p50)} ms, ` +
            `p99 ${fmt(result.p99)} ms${result.errors ? `, ${result.errors} ERRORS` : ''}`,
        )
      }
  }

  const serverMemory = Object.fromEntries(
    servers.map((s) => [s.side, memoryOf(descendants(s.child.pid!).map((p) => p.pid))]),
  ) as ApiFigures['serverMemory']
  for (const server of servers) await stopProcess(server.child)
  return { rounds, samples, differences, serverMemory }
}

// --- part 2: pnpm dev ---------------------------------------------------------------------------------------

async function benchDevStart(): Promise<{ first: DevStartResult; second: DevStartResult }> {
  const distPath = path.join(repoRoot, 'cms', DEV_DIST_DIR)
  await rm(distPath, { recursive: true, force: true })
  cleanups.push(() => rm(distPath, { recursive: true, force: true }))
  const dataDir = await mkdtemp(path.join(tmpdir(), 'bizosaas-bench-dev-'))
  // As root, PostgreSQL runs as `postgres`, which must enter the data dir's parent.
  await chmod(dataDir, 0o755)
  cleanups.push(() => rm(dataDir, { recursive: true, force: true }))
  const options = async () => ({
    cwd: repoRoot,
    dataDir,
    pgPort: await freePort(),
    cmsPort: await freePort(),
    distDir: DEV_DIST_DIR,
  })
  log('pnpm dev, first start (empty DATA_DIR, no Next.js build cache) …')
  const first = await measureDevStart(await options())
  log(`  healthy after ${seconds(first.healthyMs)}; Ctrl-C: ${JSON.stringify(first.stop)}`)
  log('pnpm dev, second start (same DATA_DIR and build folder) …')
  const second = await measureDevStart(await options())
  log(`  healthy after ${seconds(second.healthyMs)}; Ctrl-C: ${JSON.stringify(second.stop)}`)
  return { first, second }
}

// --- report -----------------------------------------------------------------------------------------------

function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)))
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i]!)).join(' | ')} |`
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n')
}

function apiReport(api: ApiFigures) {
  const rows: string[][] = []
  const summary: Record<string, unknown> = {}
  for (const q of QUERIES) {
    const med = (side: Side, key: 'rps' | 'p50' | 'p99') => median(api.rounds[q.key]![side].map((r) => r[key]))
    for (const side of SIDES)
      rows.push([
        q.label,
        side,
        fmt(med(side, 'rps')),
        fmt(med(side, 'p50')),
        fmt(med(side, 'p99')),
        String(api.samples[q.key]![side].bytes),
        api.rounds[q.key]![side].map((r) => fmt(r.rps, 0)).join(' / '),
      ])
    const ratio = med('ours', 'rps') / med('bare', 'rps')
    rows.push([
      q.label,
      'ours/bare',
      `${fmt(ratio, 2)} ${ratio >= TARGET_RATIO ? '(≥ 0.9 ✓)' : '(< 0.9 ✗)'}`,
      fmt(med('ours', 'p50') / med('bare', 'p50'), 2),
      fmt(med('ours', 'p99') / med('bare', 'p99'), 2),
      '',
      '',
    ])
    summary[q.key] = {
      ratio,
      ours: med('ours', 'rps'),
      bare: med('bare', 'rps'),
      sameDocuments: !api.differences[q.key],
      bytes: api.samples[q.key]!.ours.bytes,
    }
  }
  log(
    `\nGET /api/posts?limit=10 — ${CONCURRENCY} concurrent keep-alive connections, ${ROUNDS} alternating ` +
      `${SECONDS} s rounds per side (after warm-up), medians over rounds; ours as ${BENCH_USER} (tenant manager), ` +
      'bare as the same user with signed-in access',
  )
  log(table(['query', 'side', 'req/s', 'p50 ms', 'p99 ms', 'bytes/response', 'req/s per round'], rows))
  log(
    `same ten documents on both sides (timestamps and row ids masked): ${QUERIES.map(
      (q) => `${q.label} ${api.differences[q.key] ? `NO (${api.differences[q.key]})` : 'yes'}`,
    ).join(', ')}`,
  )
  log(
    `server process memory after the load: ours ${mb(api.serverMemory.ours.rss)} RSS (${mb(api.serverMemory.ours.pss)} PSS), ` +
      `bare ${mb(api.serverMemory.bare.rss)} RSS (${mb(api.serverMemory.bare.pss)} PSS)`,
  )
  return summary
}

/** Where a start's time went, from the lines `pnpm dev` printed (ms; undefined when a step did not run). */
function phases(r: DevStartResult) {
  const { marks } = r
  // `next dev` was launched about "Ready in" before it printed its banner.
  const nextLaunched = marks.next === undefined ? undefined : marks.next - (r.nextReadyMs ?? 0)
  const between = (a?: number, b?: number) => (a === undefined || b === undefined ? undefined : b - a)
  return {
    postgres: marks.migrate,
    migrate: between(marks.migrate, marks.seed ?? nextLaunched),
    seed: between(marks.seed, nextLaunched),
    nextStart: r.nextReadyMs,
    firstHealth: between(marks.ready, r.healthyMs),
  }
}

function devReport(dev: { first: DevStartResult; second: DevStartResult }) {
  const runs = [dev.first, dev.second]
  const steps = runs.map(phases)
  const memory = (m: DevStartResult['afterHealthy']['cms']) => `${mb(m.rss)} (PSS ${mb(m.pss)}, ${m.processes} proc.)`
  const row = (label: string, cell: (r: DevStartResult, i: number) => string) => [label, ...runs.map(cell)]
  const rows = [
    row('`pnpm dev` → /api/health 200', (r) => seconds(r.healthyMs)),
    row('  banner: "healthy after"', (r) => (r.bannerSeconds === undefined ? '—' : `${r.bannerSeconds} s`)),
    row('  pnpm, tsx, PostgreSQL up', (_, i) => seconds(steps[i]!.postgres)),
    row('  payload migrate', (_, i) => seconds(steps[i]!.migrate)),
    row('  seed', (_, i) => seconds(steps[i]!.seed)),
    row('  next dev start ("Ready in")', (_, i) => seconds(steps[i]!.nextStart)),
    row('  first /api/health (compile + answer)', (_, i) => seconds(steps[i]!.firstHealth)),
    row('CMS memory after healthy (next dev tree)', (r) => memory(r.afterHealthy.cms)),
    row('first GET /admin/login', (r) => `${seconds(r.adminLoginMs)} (HTTP ${r.adminStatus})`),
    row('CMS memory after /admin/login', (r) => memory(r.afterAdmin.cms)),
    row('PostgreSQL memory after /admin/login', (r) => memory(r.afterAdmin.postgres)),
    row('Ctrl-C: everything stopped', (r) =>
      r.stop.clean ? `yes, in ${seconds(r.stop.ms)}` : `NO (${r.stop.leftover.length} left, ports busy?)`,
    ),
  ]
  log('\n`pnpm dev` on a warm install (dependencies installed), measured from outside; memory is summed RSS')
  log(table(['', 'first start: empty DATA_DIR, cold build', 'second start: same DATA_DIR'], rows))
}

// --- main -------------------------------------------------------------------------------------------------

async function main() {
  const startedAt = new Date()
  const wall = performance.now()
  log(
    `bench/cms-api — ${startedAt.toISOString()}, Node ${process.version}, ${cpus().length} CPUs, load ${loadavg()
      .map((l) => fmt(l, 2))
      .join(' ')}`,
  )
  const workDir = await mkdtemp(path.join(tmpdir(), 'bizosaas-bench-cms-'))
  await chmod(workDir, 0o755)
  cleanups.push(() => rm(workDir, { recursive: true, force: true }))

  let server: PostgresServer
  if (process.env.BENCH_DATABASE_URL) server = externalPostgres(process.env.BENCH_DATABASE_URL)
  else {
    server = await startEmbeddedPostgres({
      dataDir: path.join(workDir, 'postgres'),
      port: await freePort(),
      persistent: false,
    })
    cleanups.push(() => server.stop())
  }
  const api = await benchApi(server.adminUrl, workDir)
  await cleanup()

  const dev = SKIP_DEV_START ? undefined : await benchDevStart()
  await cleanup()

  log(
    `\n=== bench/cms-api results (${startedAt.toISOString()}, load average at end ${loadavg()
      .map((l) => fmt(l, 2))
      .join(' ')}) ===`,
  )
  const summary = apiReport(api)
  if (dev) devReport(dev)
  log(`\ntotal run time ${seconds(performance.now() - wall)}`)

  const resultsDir = path.join(repoRoot, 'bench/results')
  await mkdir(resultsDir, { recursive: true })
  const file = path.join(resultsDir, `cms-api-${startedAt.toISOString().replace(/[:.]/g, '-')}.json`)
  await writeFile(
    file,
    `${JSON.stringify({ startedAt, settings: { ROUNDS, SECONDS, WARMUP_SECONDS, CONCURRENCY, POSTS }, summary, api: { rounds: api.rounds, differences: api.differences, serverMemory: api.serverMemory }, dev }, null, 2)}\n`,
  )
  log(`raw figures: ${path.relative(repoRoot, file)}`)
}

try {
  await main()
} catch (error) {
  console.error(error)
  await cleanup()
  process.exit(1)
}
