/**
 * Chaos bench (issue 17, item 6): 1,000 runs of an agent that asks for approval, each approved and applied,
 * worked by separate worker processes while one of them is killed with SIGKILL at random and restarted —
 * beside the same bench without kills, in one run. Reports runs lost, runs applied twice, time from a kill to
 * the killed worker's runs resuming elsewhere (p50/p99), and throughput with kills ÷ without.
 * Run from the repository root: `pnpm bench:chaos` (see ./README.md).
 */
import { type ChildProcess, spawn } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { createWriteStream } from 'node:fs'
import { mkdtemp } from 'node:fs/promises'
import { loadavg, tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { deadLetterName, queueName } from '@bizosaas/agents/queue'
import { type MockLLM, startMockLLM } from '@bizosaas/agents/testing'
import { startRuns } from '@bizosaas/plugin-agents'
import { APPLY_QUEUE, agentQueueOf, pluginConfigOf } from '@bizosaas/plugin-agents/testing'
import { freePort } from '@bizosaas/scripts/ports'
import {
  databaseUrl,
  dropDatabase,
  ensureDatabase,
  externalPostgres,
  type PostgresServer,
  startEmbeddedPostgres,
} from '@bizosaas/scripts/postgres'
import type { Payload } from 'payload'
import { median, percentile } from '../cms-api/load.ts'
import { type BenchPool, type InProcessCms, startInProcessCms } from '../lib/in-process-cms.ts'
import { AGENT_SLUG, chaosCmsOptions, EFFECTS_SQL } from './agent.ts'

const RUNS = Number(process.env.BENCH_RUNS ?? 1000)
const WORKERS = Number(process.env.BENCH_WORKERS ?? 2)
const TENANTS = Number(process.env.BENCH_TENANTS ?? 2)
/** Seconds between kills: uniformly random in [min, max]. */
const KILL_MIN_S = Number(process.env.BENCH_KILL_MIN_S ?? 10)
const KILL_MAX_S = Number(process.env.BENCH_KILL_MAX_S ?? 25)
/** The mock model's answer time, so runs are in flight when a worker dies. */
const MODEL_DELAY_MS = Number(process.env.BENCH_MODEL_DELAY_MS ?? 1000)
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 10)
const PER_TENANT = Number(process.env.BENCH_PER_TENANT ?? 5)
const TIMEOUT_S = Number(process.env.BENCH_TIMEOUT_S ?? 900)
const RESUME_TARGET_MS = 15_000

const SECRET = 'bizosaas-bench-secret-0123456789abcdef'
const PASSWORD = 'bench-password-0123'
const REVIEWER = 'reviewer@chaos.dev'
const AGENT_QUEUE = queueName(AGENT_SLUG)
const DEAD_QUEUE = deadLetterName(AGENT_SLUG)
const repoRoot = fileURLToPath(new URL('../..', import.meta.url))
const workerScript = fileURLToPath(new URL('./worker.ts', import.meta.url))

const log = (line = '') => process.stdout.write(`${line}\n`)
const fmt = (value: number, digits = 1) => (Number.isFinite(value) ? value.toFixed(digits) : '–')
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

type Pool = BenchPool

// --- the CMS in this process (producer and reviewer; no workers here) ---------------------------------------

type Cms = InProcessCms

async function startCms(env: Record<string, string>): Promise<Cms> {
  Object.assign(process.env, env)
  return startInProcessCms(chaosCmsOptions(), { connectionString: env.DATABASE_URL as string, pollPoolSize: 3 })
}

/** `TENANTS` tenants and one manager of all of them (the reviewer). */
async function seed(payload: Payload): Promise<number[]> {
  const tenants: number[] = []
  for (let i = 0; i < TENANTS; i++) {
    const tenant = await payload.create({ collection: 'tenants', data: { name: `Chaos ${i}`, slug: `chaos-${i}` } })
    tenants.push(tenant.id as number)
  }
  await payload.create({
    collection: 'users',
    data: {
      email: REVIEWER,
      name: 'Chaos Reviewer',
      password: PASSWORD,
      roles: ['user'],
      tenants: tenants.map((tenant) => ({ tenant, roles: ['manager'] })),
    },
  })
  return tenants
}

// --- worker processes ---------------------------------------------------------------------------------------

interface Worker {
  slot: number
  child: ChildProcess
  ready: Promise<void>
  isReady: boolean
}

function spawnWorker(slot: number, env: Record<string, string>, logDir: string): Worker {
  const child = spawn(process.execPath, ['--import', 'tsx', workerScript], {
    cwd: repoRoot,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  const out = createWriteStream(join(logDir, `worker-${slot}.log`), { flags: 'a' })
  child.stdout?.pipe(out, { end: false })
  child.stderr?.pipe(out, { end: false })
  const ready = new Promise<void>((resolve, reject) => {
    child.stdout?.on('data', (chunk) => String(chunk).includes('ready') && resolve())
    child.once('exit', (code, signal) => reject(new Error(`worker ${slot} exited before ready (${code ?? signal})`)))
  })
  const worker: Worker = { slot, child, ready, isReady: false }
  ready.then(
    () => {
      worker.isReady = true
    },
    () => {},
  )
  return worker
}

// --- one pass -----------------------------------------------------------------------------------------------

interface Kill {
  at: number
  /** Active jobs of every worker just before the kill, with the attempt each was on. */
  jobs: Map<string, number>
  /** Of those, the killed worker's, by id: ms from the kill to their claim by a live worker. */
  resumed: Map<string, number>
  /** Of those, when the bench first saw them handed back (a higher attempt, not yet claimed), ms after the kill. */
  released: Map<string, number>
  /** Queue of each resumed job. */
  queues: Map<string, string>
}

interface PassResult {
  seconds: number
  kills: Kill[]
  applied: number
  lost: number
  appliedTwice: number
  calledTwice: number
  applyCalls: number
  runStatuses: Record<string, number>
  deadLettered: number
  notResumed: number
}

/** Calls `fn(i)` for i in [0, count) with at most `limit` calls in flight. */
async function inParallel(count: number, limit: number, fn: (i: number) => Promise<unknown>): Promise<void> {
  let next = 0
  await Promise.all(
    Array.from({ length: Math.min(limit, count) }, async () => {
      while (next < count) await fn(next++)
    }),
  )
}

async function reset(sql: Pool) {
  await sql.query('DELETE FROM pgboss.job WHERE name = ANY($1::text[])', [[AGENT_QUEUE, DEAD_QUEUE, APPLY_QUEUE]])
  await sql.query('DELETE FROM approvals WHERE agent = $1', [AGENT_SLUG])
  await sql.query('DELETE FROM agent_steps WHERE agent = $1', [AGENT_SLUG])
  await sql.query('DELETE FROM agent_runs WHERE agent = $1', [AGENT_SLUG])
  await sql.query('TRUNCATE bench_chaos_effects, bench_chaos_calls')
  await sql.query('VACUUM ANALYZE pgboss.job_common, agent_runs, agent_steps, approvals')
}

async function count(sql: Pool, text: string, values: unknown[] = []): Promise<number> {
  const { rows } = await sql.query<{ n: number }>(text, values)
  return Number(rows[0]?.n ?? 0)
}

async function runPass(
  cms: Cms,
  tenants: number[],
  token: string,
  workers: Worker[],
  respawn: (slot: number) => Worker,
  withKills: boolean,
  runs: number,
): Promise<PassResult> {
  const { sql, payload } = cms
  await reset(sql)
  const kills: Kill[] = []
  let done = false
  const started = performance.now()

  // The killer: a random live worker, SIGKILL, restarted at once (it takes seconds to boot, like a real restart).
  const killer = (async () => {
    if (!withKills) return
    for (;;) {
      const waitMs = (KILL_MIN_S + Math.random() * (KILL_MAX_S - KILL_MIN_S)) * 1000
      const until = performance.now() + waitMs
      while (!done && performance.now() < until) await sleep(100)
      if (done) return
      // A random worker of those up, and only while another one is up too: the bench measures how fast a live
      // worker takes over, not how long a restart takes (a restarting worker needs seconds to boot).
      while (!done && workers.filter((w) => w.isReady).length < 2) await sleep(100)
      if (done) return
      const up = workers.filter((w) => w.isReady)
      const victim = up[Math.floor(Math.random() * up.length)] as Worker
      const { rows } = await sql.query<{ id: string; retry_count: number }>(
        `SELECT id, retry_count FROM pgboss.job WHERE name = ANY($1::text[]) AND state = 'active'`,
        [[AGENT_QUEUE, APPLY_QUEUE]],
      )
      const at = Date.now()
      victim.child.kill('SIGKILL')
      if (process.env.BENCH_TRACE === '1') log(`  kill: worker ${victim.slot} (pid ${victim.child.pid}) at ${at}`)
      kills.push({
        at,
        jobs: new Map(rows.map((r) => [r.id, r.retry_count])),
        resumed: new Map(),
        released: new Map(),
        queues: new Map(),
      })
      workers[victim.slot] = respawn(victim.slot)
    }
  })()

  // Resumes: a snapshot job claimed again (a higher attempt, `started_on` set) was the killed worker's.
  const watchResumes = async () => {
    for (const kill of kills) {
      const ids = [...kill.jobs.keys()].filter((id) => !kill.resumed.has(id))
      if (!ids.length) continue
      const { rows } = await sql.query<{
        id: string
        name: string
        retry_count: number
        started_on: Date | null
        state: string
      }>('SELECT id, name, retry_count, started_on, state FROM pgboss.job WHERE id = ANY($1::uuid[])', [ids])
      for (const row of rows) {
        const before = kill.jobs.get(row.id) as number
        if (row.retry_count > before && !kill.released.has(row.id)) kill.released.set(row.id, Date.now() - kill.at)
        if (row.retry_count > before && row.started_on) {
          kill.resumed.set(row.id, row.started_on.getTime() - kill.at)
          kill.queues.set(row.id, row.name)
        } else if (row.retry_count === before && row.state === 'completed') kill.jobs.delete(row.id)
      }
    }
  }

  // The reviewer approves every pending approval (as the manager, through the REST route).
  const posted = new Set<number>()
  const refusals: Record<number, number> = {}
  const approver = (async () => {
    while (!done) {
      const { rows } = await sql.query<{ id: number }>(
        `SELECT id FROM approvals WHERE agent = $1 AND status = 'pending' ORDER BY id LIMIT 200`,
        [AGENT_SLUG],
      )
      const fresh = rows.filter((r) => !posted.has(r.id))
      await inParallel(fresh.length, 4, async (i) => {
        const { id } = fresh[i] as { id: number }
        posted.add(id)
        const res = await cms.post(`/approvals/${id}/approve`, {}, token)
        refusals[res.status] = (refusals[res.status] ?? 0) + 1
        if (res.status !== 202) posted.delete(id) // e.g. 503 while the queue is away: approve it again later
      })
      await sleep(fresh.length ? 0 : 100)
    }
  })()

  // Started as a batch caller would: `startRuns`, 100 at a time.
  for (let first = 0; first < runs; first += 100) {
    const items = Array.from({ length: Math.min(100, runs - first) }, (_, k) => ({
      agent: AGENT_SLUG,
      input: { n: first + k },
      tenant: tenants[(first + k) % tenants.length] as number,
      trigger: { kind: 'manual' as const },
    }))
    const started = await startRuns(payload, items)
    const refused = started.find((r) => 'refused' in r)
    if (refused) throw new Error(`startRuns refused a run: ${JSON.stringify(refused)}`)
  }
  const deadline = started + TIMEOUT_S * 1000
  let applied = 0
  while (performance.now() < deadline) {
    applied = await count(sql, `SELECT count(*)::int AS n FROM approvals WHERE agent = $1 AND status = 'applied'`, [
      AGENT_SLUG,
    ])
    await watchResumes()
    if (applied >= runs) break
    await sleep(250)
  }
  const seconds = (performance.now() - started) / 1000
  done = true
  await Promise.all([killer, approver])
  await Promise.all(workers.map((w) => w.ready.catch(() => {})))
  await watchResumes()

  const { rows: statuses } = await sql.query<{ status: string; n: number }>(
    'SELECT status, count(*)::int AS n FROM agent_runs WHERE agent = $1 GROUP BY status',
    [AGENT_SLUG],
  )
  const { rows: approvals } = await sql.query<{ status: string; n: number }>(
    'SELECT status, count(*)::int AS n FROM approvals WHERE agent = $1 GROUP BY status',
    [AGENT_SLUG],
  )
  const stuck = kills.flatMap((kill) => [...kill.jobs.keys()].filter((id) => !kill.resumed.has(id)))
  const { rows: stuckJobs } = await sql.query<{ name: string; state: string; n: number }>(
    'SELECT name, state::text, count(*)::int AS n FROM pgboss.job WHERE id = ANY($1::uuid[]) GROUP BY 1, 2',
    [stuck],
  )
  const { rows: timing } = await sql.query<{ name: string; n: number; wait: number; run: number }>(
    `SELECT name, count(*)::int AS n,
            percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM started_on - created_on)) AS wait,
            percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM completed_on - started_on)) AS run
       FROM pgboss.job WHERE name = ANY($1::text[]) AND state = 'completed' GROUP BY name`,
    [[AGENT_QUEUE, APPLY_QUEUE]],
  )
  for (const t of timing)
    log(`  ${t.name}: ${t.n} jobs completed, p50 wait ${fmt(Number(t.wait), 2)} s, p50 run ${fmt(Number(t.run), 2)} s`)
  log(
    `  approve responses ${JSON.stringify(refusals)}; approvals ${JSON.stringify(Object.fromEntries(approvals.map((r) => [r.status, r.n])))}` +
      (stuck.length ? `; not resumed: ${JSON.stringify(stuckJobs)}` : ''),
  )
  const notResumed = kills.reduce(
    (sum, kill) => sum + [...kill.jobs.keys()].filter((id) => !kill.resumed.has(id)).length,
    0,
  )
  return {
    seconds,
    kills,
    applied,
    lost: runs - applied,
    appliedTwice: await count(
      sql,
      'SELECT count(*)::int AS n FROM (SELECT run_id FROM bench_chaos_effects GROUP BY run_id HAVING count(*) > 1) t',
    ),
    applyCalls: await count(sql, 'SELECT count(*)::int AS n FROM bench_chaos_calls'),
    calledTwice: await count(
      sql,
      'SELECT count(*)::int AS n FROM (SELECT run_id FROM bench_chaos_calls GROUP BY run_id HAVING count(*) > 1) t',
    ),
    runStatuses: Object.fromEntries(statuses.map((r) => [r.status, r.n])),
    deadLettered: await count(sql, 'SELECT count(*)::int AS n FROM pgboss.job WHERE name = $1', [DEAD_QUEUE]),
    notResumed,
  }
}

// --- main ---------------------------------------------------------------------------------------------------

async function main() {
  log(`chaos bench — node ${process.version}, ${RUNS} runs (each approved and applied) per pass`)
  log(
    `${WORKERS} worker processes (concurrency ${CONCURRENCY}, ${PER_TENANT} per tenant), ${TENANTS} tenants, ` +
      `mock model ${MODEL_DELAY_MS} ms; with kills: SIGKILL a random worker every ${KILL_MIN_S}–${KILL_MAX_S} s, restart it`,
  )
  log(`load average (1/5/15 min) at start: ${load()}`)
  // Kept after the run: the worker processes' logs.
  const work = await mkdtemp(join(tmpdir(), 'bizosaas-bench-chaos-'))
  const external = process.env.BENCH_DATABASE_URL
  const server: PostgresServer = external
    ? externalPostgres(external)
    : await startEmbeddedPostgres({
        // A folder of its own right under the temp dir: as root, PostgreSQL's user must be able to enter it.
        dataDir: await mkdtemp(join(tmpdir(), 'bizosaas-bench-chaos-pg-')),
        port: await freePort(),
        persistent: false,
      })
  cleanups.push(() => server.stop())
  const name = `bench_chaos_${Date.now()}`
  await ensureDatabase(server.adminUrl, name)
  cleanups.push(() => dropDatabase(server.adminUrl, name))

  const mock: MockLLM = await startMockLLM({
    script: [{ match: /Chaos run/, reply: { json: { title: 'A calm title' }, delayMs: MODEL_DELAY_MS } }],
  })
  cleanups.push(() => mock.close())
  const env: Record<string, string> = {
    DATABASE_URL: databaseUrl(server.adminUrl, name),
    PAYLOAD_SECRET: SECRET,
    VAULT_KEY: randomBytes(32).toString('base64'),
    MEDIA_DIR: join(work, 'media'),
    // Production: Payload applies the committed migrations on connect, as a deployed CMS.
    NODE_ENV: 'production',
    // One reviewer approves every run: the per-user decision limit would throttle the bench, not the workers.
    RATE_LIMITS: 'off',
    OPENAI_API_KEY: 'bench-key',
    OPENAI_BASE_URL: mock.openaiBaseURL,
    BENCH_CONCURRENCY: String(CONCURRENCY),
    BENCH_PER_TENANT: String(PER_TENANT),
  }
  const cms = await startCms(env)
  cleanups.push(() => cms.close())
  // The plugin's pg-boss in this process (startRun's producer side) is not stopped by Payload's destroy.
  cleanups.push(() => agentQueueOf(cms.payload, pluginConfigOf(cms.payload)).stop({ graceMs: 1_000 }))
  const tenants = await seed(cms.payload)
  for (const statement of EFFECTS_SQL.create) await cms.sql.query(statement)
  const login = await cms.post('/users/login', { email: REVIEWER, password: PASSWORD })
  if (login.status !== 200) throw new Error(`login failed: ${login.status} ${JSON.stringify(login.body)}`)
  const token = login.body.token as string

  const workers: Worker[] = []
  const respawn = (slot: number) => spawnWorker(slot, env, work)
  for (let slot = 0; slot < WORKERS; slot++) workers.push(respawn(slot))
  cleanups.push(async () => {
    // Only the processes this bench started, by pid.
    for (const w of workers) if (w.child.exitCode === null && w.child.signalCode === null) w.child.kill('SIGKILL')
  })
  await Promise.all(workers.map((w) => w.ready))
  log(`CMS and ${WORKERS} workers up; worker logs in ${work}`)

  const warm = Math.min(50, RUNS)
  log(`warm-up: ${warm} runs …`)
  await runPass(cms, tenants, token, workers, respawn, false, warm)
  log('without kills …')
  const calm = await runPass(cms, tenants, token, workers, respawn, false, RUNS)
  log(`  ${fmt(calm.seconds)} s; load ${load()}`)
  log('with kills …')
  const chaos = await runPass(cms, tenants, token, workers, respawn, true, RUNS)
  log(`  ${fmt(chaos.seconds)} s, ${chaos.kills.length} kills; load ${load()}`)

  const resumes = chaos.kills.flatMap((k) => [...k.resumed.values()])
  const releases = chaos.kills.flatMap((k) => [...k.released.values()])
  const byQueue = (queue: string) =>
    chaos.kills.flatMap((k) => [...k.resumed].filter(([id]) => k.queues.get(id) === queue).map(([, ms]) => ms))
  const perKill = chaos.kills.map((k) => Math.max(0, ...k.resumed.values()))
  const row = (label: string, a: string | number, b: string | number, note = '') =>
    log(`  ${label.padEnd(44)}${String(a).padStart(14)}${String(b).padStart(14)}   ${note}`)
  log('')
  row('', 'without kills', 'with kills')
  row('runs approved and applied', calm.applied, chaos.applied)
  row('time, s', fmt(calm.seconds), fmt(chaos.seconds))
  const calmRate = calm.applied / calm.seconds
  const chaosRate = chaos.applied / chaos.seconds
  row(
    'throughput, runs applied/s',
    fmt(calmRate),
    fmt(chaosRate),
    `ratio with ÷ without ${fmt(chaosRate / calmRate, 2)}`,
  )
  row('kills (SIGKILL)', 0, chaos.kills.length)
  row('lost (not applied when the pass ended)', calm.lost, chaos.lost, 'target 0')
  row('applied twice (runs whose effect landed twice)', calm.appliedTwice, chaos.appliedTwice, 'target 0')
  row('apply calls', calm.applyCalls, chaos.applyCalls)
  row(
    'runs whose apply was called again (killed between effect and markApplied)',
    calm.calledTwice,
    chaos.calledTwice,
    'at-least-once delivery; the idempotent apply absorbs it',
  )
  row('dead-lettered', calm.deadLettered, chaos.deadLettered)
  row('run rows by status', JSON.stringify(calm.runStatuses), JSON.stringify(chaos.runStatuses))
  log('')
  log(
    `kill → the killed worker's runs claimed again by a live worker (runs and applies): ${resumes.length} runs over ` +
      `${chaos.kills.length} kills; p50 ${fmt(median(resumes) / 1000)} s, p99 ${fmt(percentile(resumes, 99) / 1000)} s, ` +
      `max ${fmt(Math.max(...resumes) / 1000)} s (target < ${RESUME_TARGET_MS / 1000} s)`,
  )
  log(
    `  handed back (seen by the bench's 250 ms poll, so up to ~0.3 s late): p50 ${fmt(median(releases) / 1000)} s, ` +
      `max ${fmt(Math.max(...releases) / 1000)} s after the kill; resumed runs ${byQueue(AGENT_QUEUE).length} ` +
      `(p50 ${fmt(median(byQueue(AGENT_QUEUE)) / 1000)} s), applies ${byQueue(APPLY_QUEUE).length} ` +
      `(p50 ${fmt(median(byQueue(APPLY_QUEUE)) / 1000)} s)`,
  )
  log(
    `  per kill, last of its runs resumed: ${perKill.map((ms) => fmt(ms / 1000)).join(', ')} s; never resumed: ${chaos.notResumed}`,
  )
  log(`load average at end: ${load()}`)
}

main()
  .catch((error) => {
    log(`bench failed: ${(error as Error).stack ?? error}`)
    process.exitCode = 1
  })
  .finally(async () => {
    await cleanup()
    // Payload and pg-boss leave timers behind; the figures are printed.
    process.exit()
  })
