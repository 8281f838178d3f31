/**
 * Audit-log benchmark (issue 16's "Figures"): `PATCH /api/posts/:id` latency with the audit log on vs off,
 * measured side by side in one run (see ./README.md). Two CMS processes with our config — one with
 * `auditLog.enabled: false` — each on its own database of one PostgreSQL, are loaded in alternating rounds;
 * the figures are medians over rounds of each round's p50 and p99, and their ratio (target ≤ 1.10).
 * Run from the repository root: `pnpm bench:audit-log`.
 */
import { type ChildProcess, spawn } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { chmod, mkdtemp, rm } from 'node:fs/promises'
import { Agent, request } from 'node:http'
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
import pg from 'pg'
import { median, percentile } from '../cms-api/load.ts'

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 6)
const SECONDS = Number(process.env.BENCH_SECONDS ?? 5)
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 4)
const TARGET = 1.1

const repoRoot = path.resolve(import.meta.dirname, '../..')
const tsx = path.join(repoRoot, 'node_modules/.bin/tsx')
const SIDES = ['on', 'off'] as const
type Side = (typeof SIDES)[number]

const log = (line: string) => process.stdout.write(`${line}\n`)
const fmt = (value: number, digits = 1) => value.toFixed(digits)

const cleanups: (() => Promise<unknown>)[] = []
async function cleanup() {
  for (const fn of cleanups.splice(0).reverse()) await fn().catch((error: Error) => log(`cleanup: ${error.message}`))
}
for (const signal of ['SIGINT', 'SIGTERM'] as const)
  process.on(signal, () => void cleanup().finally(() => process.exit(130)))

interface SideServer {
  side: Side
  base: string
  token: string
  posts: number[]
  dbUrl: string
  child: ChildProcess
}

/** Starts `server.ts <side>` and waits for its `BENCH {"port":…}` line. */
async function startSide(side: Side, env: NodeJS.ProcessEnv): Promise<SideServer> {
  const child = spawn(tsx, [path.join(import.meta.dirname, 'server.ts'), side], {
    cwd: repoRoot,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  cleanups.push(() => stop(child))
  let output = ''
  const ready = await new Promise<{ port: number; posts: number[] }>((resolve, reject) => {
    child.stdout!.on('data', (data: Buffer) => {
      output += data
      for (const line of data.toString().split('\n')) if (line.startsWith('BENCH ')) resolve(JSON.parse(line.slice(6)))
    })
    child.stderr!.on('data', (data: Buffer) => {
      output += data
    })
    child.once('exit', (code) => reject(new Error(`${side} exited (${code}):\n${output.slice(-4000)}`)))
  })
  const base = `http://127.0.0.1:${ready.port}`
  const res = await fetch(`${base}/api/users/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: 'owner@bizoholic.dev', password: DEMO_PASSWORD }),
  })
  const body = (await res.json()) as { token?: string }
  if (!body.token) throw new Error(`login on ${side} failed: ${res.status} ${JSON.stringify(body)}`)
  return { side, base, token: body.token, posts: ready.posts, dbUrl: env.DATABASE_URL!, child }
}

async function stop(child: ChildProcess) {
  if (child.exitCode !== null || child.signalCode !== null) return
  const exited = new Promise((r) => child.once('exit', r))
  child.kill('SIGTERM')
  const timer = setTimeout(() => child.kill('SIGKILL'), 15_000)
  await exited
  clearTimeout(timer)
}

/** One PATCH with a JSON body; resolves with the status. */
function patch(agent: Agent, url: URL, token: string, body: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      {
        agent,
        method: 'PATCH',
        headers: {
          authorization: `JWT ${token}`,
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(body),
          'x-forwarded-for': '203.0.113.9',
          'user-agent': 'bench-audit-log/1',
        },
      },
      (res) => {
        res.resume()
        res.on('end', () => resolve(res.statusCode ?? 0))
        res.on('error', reject)
      },
    )
    req.on('error', reject)
    req.end(body)
  })
}

interface Round {
  requests: number
  errors: number
  rps: number
  p50: number
  p99: number
}

/** CONCURRENCY workers, each editing its own post's title back to back for `seconds`. */
async function load(server: SideServer, seconds: number): Promise<Round> {
  const agent = new Agent({ keepAlive: true, maxSockets: CONCURRENCY })
  const latencies: number[] = []
  let errors = 0
  let n = 0
  const started = performance.now()
  const deadline = started + seconds * 1000
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async (_, worker) => {
      const url = new URL(`${server.base}/api/posts/${server.posts[worker % server.posts.length]}?depth=0`)
      while (performance.now() < deadline) {
        const body = JSON.stringify({ title: `Bench title ${worker}-${n++}` })
        const t0 = performance.now()
        try {
          if ((await patch(agent, url, server.token, body)) !== 200) errors++
        } catch {
          errors++
        }
        latencies.push(performance.now() - t0)
      }
    }),
  )
  agent.destroy()
  const elapsed = (performance.now() - started) / 1000
  return {
    requests: latencies.length,
    errors,
    rps: latencies.length / elapsed,
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
  }
}

async function countEntries(url: string): Promise<number> {
  const client = new pg.Client({ connectionString: url })
  await client.connect()
  try {
    const { rows } = await client.query(
      `SELECT count(*)::int AS n FROM audit_log WHERE collection_slug = 'posts' AND action = 'update'`,
    )
    return rows[0].n as number
  } finally {
    await client.end()
  }
}

async function main() {
  const startedAt = new Date()
  log(
    `bench/audit-log — ${startedAt.toISOString()}, Node ${process.version}, ${cpus().length} CPUs, load ${loadavg()
      .map((l) => fmt(l, 2))
      .join(' ')}; ${ROUNDS} rounds × ${SECONDS} s per side, concurrency ${CONCURRENCY}`,
  )
  const workDir = await mkdtemp(path.join(tmpdir(), 'bizosaas-bench-audit-'))
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

  const sides: SideServer[] = []
  for (const side of SIDES) {
    const name = `bench_audit_${side}`
    await dropDatabase(server.adminUrl, name)
    await ensureDatabase(server.adminUrl, name)
    cleanups.push(() => dropDatabase(server.adminUrl, name))
    const t0 = performance.now()
    sides.push(
      await startSide(side, {
        ...process.env,
        NODE_ENV: 'production',
        DATABASE_URL: databaseUrl(server.adminUrl, name),
        PAYLOAD_SECRET: 'bizosaas-bench-secret-0123456789abcdef',
        MEDIA_DIR: path.join(workDir, `media-${side}`),
        CMS_URL: 'http://localhost:3001',
        AGENTS_WORKER: 'off',
        VAULT_KEYS: `bench:${randomBytes(32).toString('base64')}`,
        BENCH_POSTS: String(CONCURRENCY),
      }),
    )
    log(`audit log ${side}: migrated, seeded and serving in ${fmt((performance.now() - t0) / 1000)} s`)
  }
  const before = await Promise.all(sides.map((s) => countEntries(s.dbUrl)))

  for (const s of sides) await load(s, 3) // warm-up: JIT, connection pools
  const rounds: Record<Side, Round[]> = { on: [], off: [] }
  for (let round = 1; round <= ROUNDS; round++) {
    // Alternate which side goes first, so drift on a busy machine falls on both.
    const order = round % 2 ? sides : [...sides].reverse()
    for (const s of order) {
      const result = await load(s, SECONDS)
      rounds[s.side].push(result)
      log(
        `  round ${round} audit ${s.side.padEnd(3)}: ${fmt(result.rps)} PATCH/s, p50 ${fmt(result.p50)} ms, p99 ${fmt(result.p99)} ms` +
          (result.errors ? `, ${result.errors} ERRORS` : ''),
      )
    }
  }
  const after = await Promise.all(sides.map((s) => countEntries(s.dbUrl)))
  await cleanup()

  const med = (side: Side, key: 'p50' | 'p99' | 'rps') => median(rounds[side].map((r) => r[key]))
  const requests = (side: Side) => rounds[side].reduce((n, r) => n + r.requests, 0)
  const p50Ratio = med('on', 'p50') / med('off', 'p50')
  const p99Ratio = med('on', 'p99') / med('off', 'p99')
  log(
    `\n=== bench/audit-log results (${startedAt.toISOString()}, load average at end ${loadavg()
      .map((l) => fmt(l, 2))
      .join(' ')}) ===`,
  )
  log('PATCH /api/posts/:id (title), median over rounds')
  log('| audit log | p50 ms | p99 ms | PATCH/s |')
  log('|---|---|---|---|')
  for (const side of SIDES)
    log(`| ${side} | ${fmt(med(side, 'p50'))} | ${fmt(med(side, 'p99'))} | ${fmt(med(side, 'rps'))} |`)
  log(`| on / off | ${fmt(p50Ratio, 3)} | ${fmt(p99Ratio, 3)} | ${fmt(med('on', 'rps') / med('off', 'rps'), 3)} |`)
  log(
    `overhead: p50 ${fmt((p50Ratio - 1) * 100)} %, p99 ${fmt((p99Ratio - 1) * 100)} % (target ≤ ${fmt((TARGET - 1) * 100, 0)} %): ` +
      `${p50Ratio <= TARGET ? 'p50 MET' : 'p50 NOT MET'}, ${p99Ratio <= TARGET ? 'p99 MET' : 'p99 NOT MET'}`,
  )
  const written = after.map((n, i) => n - before[i]!)
  // Warm-up requests write entries too: the "on" side must have at least one per measured request.
  log(
    `entries written during the run: on ${written[0]} (for ${requests('on')} measured + warm-up PATCHes), off ${written[1]}` +
      (written[0]! >= requests('on') && written[1] === 0 ? ' — as expected' : ' — UNEXPECTED'),
  )
}

main()
  .catch(async (error) => {
    log(`bench failed: ${(error as Error).stack ?? error}`)
    process.exitCode = 1
  })
  .finally(cleanup)
