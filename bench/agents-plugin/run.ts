/**
 * Agents plugin benchmark (issue 4's figures), measured side by side in one run on one PostgreSQL:
 * 1. runs/s of a trivial agent on the instant stub model, executed through `@bizosaas/plugin-agents`
 *    (`startRun` → `startAgentsWorker(payload)` → rows in `agent-runs`/`agent-steps`), beside the same
 *    agent through the agent queue alone (`createAgentQueue` → `runAgent`, no Payload, as bench/agents);
 * 2. approve → applied latency of an agent that always asks for approval and whose `apply` updates a post.
 * Run from the repository root: `pnpm bench:agents-plugin` (see ./README.md for what and how).
 */
import { randomBytes, randomUUID } from 'node:crypto'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { loadavg, tmpdir } from 'node:os'
import { join } from 'node:path'
import type { EventSink, ModelProvider } from '@bizosaas/agents'
import { createProviderRegistry, defineAgent, type ProviderRegistry } from '@bizosaas/agents'
import { createAgentQueue } from '@bizosaas/agents/queue'
import { stubProvider } from '@bizosaas/agents/testing'
import type { CmsConfigOptions } from '@bizosaas/cms/config'
import { lexicalParagraphs } from '@bizosaas/cms/test'
import {
  documentTarget,
  loadSettings,
  registerAgents,
  startAgentsWorker,
  startRun,
  startRuns,
} from '@bizosaas/plugin-agents'
import { agentQueueOf, findRunRow, pluginConfigOf, poolOf } from '@bizosaas/plugin-agents/testing'
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
import { z } from 'zod'
import { trivialAgent } from '../agents/trivial-agent.ts'
import { median, percentile } from '../cms-api/load.ts'
import { type BenchPool, type InProcessCms, startInProcessCms } from '../lib/in-process-cms.ts'

const RUNS = Number(process.env.BENCH_RUNS ?? 500)
const REPS = Number(process.env.BENCH_REPS ?? 5)
const SAMPLES = Number(process.env.BENCH_SAMPLES ?? 100)
const WARMUP = Number(process.env.BENCH_WARMUP ?? 20)
/** Runs in flight per agent queue, both sides (`startAgentsWorker`'s and `pnpm worker`'s default: 10). */
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 10)
/** Runs of one tenant in flight per agent queue, both sides (`startAgentsWorker`'s default: 5). */
const PER_TENANT = Number(process.env.BENCH_PER_TENANT ?? 5)
/** `startRun` calls in flight while enqueueing (Payload's pg pool has 10 connections). */
const ENQUEUE_CONCURRENCY = Number(process.env.BENCH_ENQUEUE_CONCURRENCY ?? 10)
/** `1`: one extra, instrumented Payload-side drain that splits its time by Local API operation and SQL. */
const PROFILE = process.env.BENCH_PROFILE === '1'
const TARGET_RUNS_PER_SECOND = 300
const TARGET_APPLY_P50_MS = 100
const POLL_MS = 5

const SECRET = 'bizosaas-bench-secret-0123456789abcdef'
const PASSWORD = 'bench-password-0123'
const REVIEWER = 'reviewer@bench.dev'

const log = (line = '') => process.stdout.write(`${line}\n`)
const fmt = (value: number, digits = 1) => value.toFixed(digits)
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

// --- the agents ---------------------------------------------------------------------------------------------

/** When each `apply` of the approval agent started and ended, by run id (for the latency breakdown). */
const applyTimes = new Map<string, { start: number; end: number }>()

/** Always asks for approval; its `apply` retitles the post (a real Local API write: hooks, versions). */
const titleAgent = defineAgent({
  slug: 'bench-title',
  description: 'Proposes a post title (benchmark agent)',
  input: z.object({ target: documentTarget(['posts']) }),
  output: z.object({ title: z.string().describe('The new title') }),
  instructions: 'Propose a title.',
  model: 'stub:instant',
  approval: true,
  apply: async (_output, { input, runId, services }) => {
    const start = performance.now()
    await services.payload!.update({
      collection: 'posts',
      id: input.target.id,
      data: { title: `Bench title ${runId.slice(0, 8)}` },
      context: { agentsApplying: true },
    })
    applyTimes.set(runId, { start, end: performance.now() })
  },
})

/** The stub model without its call log, so long runs do not accumulate requests in memory. */
function instantStub(): ModelProvider {
  const stub = stubProvider()
  return {
    id: 'stub',
    async generate(request) {
      const response = await stub.generate(request)
      stub.calls.length = 0
      return response
    },
  }
}

const providers = (): ProviderRegistry => createProviderRegistry().register('stub', instantStub())

// --- Payload ------------------------------------------------------------------------------------------------

type Pool = BenchPool
type Cms = InProcessCms

/** Our CMS config (`cmsConfig`, as `startTestCms` builds it) with the bench agents and the stub provider. */
async function startCms(url: string): Promise<Cms> {
  const mediaDir = await mkdtemp(join(tmpdir(), 'bizosaas-bench-media-'))
  // Production: Payload applies the committed migrations on connect (`prodMigrations`), as a deployed CMS.
  // Production refuses to start without a vault key: a throwaway one for this bench's throwaway database.
  Object.assign(process.env, {
    DATABASE_URL: url,
    PAYLOAD_SECRET: SECRET,
    MEDIA_DIR: mediaDir,
    NODE_ENV: 'production',
    VAULT_KEY: process.env.VAULT_KEY ?? randomBytes(32).toString('base64'),
  })
  const options: CmsConfigOptions = {
    plugins: [(config) => registerAgents(config, [{ agent: trivialAgent }, { agent: titleAgent, targets: ['posts'] }])],
    agents: { runtime: { providers: providers() } },
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

/** One tenant, a manager who may review its agents' proposals, and one published post (SEO filled in, so
 * the content agents' publish trigger stays quiet). */
async function seed(payload: Payload): Promise<{ tenant: number; post: number }> {
  const tenant = await payload.create({ collection: 'tenants', data: { name: 'Bench Tenant', slug: 'bench' } })
  await payload.create({
    collection: 'users',
    data: {
      email: REVIEWER,
      name: 'Bench Reviewer',
      password: PASSWORD,
      roles: ['user'],
      tenants: [{ tenant: tenant.id, roles: ['manager'] }],
    },
  })
  const post = await benchPost(payload, tenant.id as number, 'bench-post')
  return { tenant: tenant.id as number, post }
}

/** A published post with SEO filled in (the content agents' publish trigger stays quiet). */
async function benchPost(payload: Payload, tenant: number, slug: string): Promise<number> {
  const post = await payload.create({
    collection: 'posts',
    draft: false,
    data: {
      title: 'A post the bench retitles',
      slug,
      tenant,
      content: lexicalParagraphs('Benchmark content.') as never,
      _status: 'published',
      seo: { metaTitle: 'Bench post', metaDescription: 'A post for the agents plugin benchmark.' },
    },
  })
  return post.id as number
}

// --- helpers ------------------------------------------------------------------------------------------------

/** Calls `fn(i)` for i in [0, count) with at most `limit` calls in flight. */
async function inParallel(count: number, limit: number, fn: (i: number) => Promise<unknown>): Promise<void> {
  let next = 0
  await Promise.all(
    Array.from({ length: Math.min(limit, count) }, async () => {
      while (next < count) await fn(next++)
    }),
  )
}

/** Polls `check` every `everyMs` until it returns a value; throws after `timeoutMs`. */
async function until<T>(what: string, check: () => Promise<T | undefined>, everyMs: number, timeoutMs = 300_000) {
  const deadline = performance.now() + timeoutMs
  for (;;) {
    const value = await check()
    if (value !== undefined) return value
    if (performance.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await sleep(everyMs)
  }
}

async function runCounts(sql: Pool, agent: string): Promise<Record<string, number>> {
  const { rows } = await sql.query<{ status: string; n: number }>(
    'SELECT status, count(*)::int AS n FROM agent_runs WHERE agent = $1 GROUP BY status',
    [agent],
  )
  return Object.fromEntries(rows.map((r) => [r.status, r.n]))
}

/** Waits until `count` runs of `agent` are `status`; fails fast when any run failed or was cancelled. */
async function untilRuns(sql: Pool, agent: string, status: string, count: number, everyMs: number) {
  await until(
    `${count} ${agent} runs ${status}`,
    async () => {
      const counts = await runCounts(sql, agent)
      if (counts.failed || counts.cancelled) throw new Error(`runs did not all succeed: ${JSON.stringify(counts)}`)
      return (counts[status] ?? 0) >= count ? true : undefined
    },
    everyMs,
  )
}

/** Empties what one side left behind (the agent's jobs, its run and step rows) and vacuums, before each side. */
async function reset(sql: Pool, agent: string) {
  const { rows } = await sql.query<{ boss: string | null }>(`SELECT to_regclass('pgboss.job_common') AS boss`)
  if (rows[0]?.boss) await sql.query('DELETE FROM pgboss.job WHERE name = $1', [`agent.${agent}`])
  await sql.query('DELETE FROM agent_steps WHERE agent = $1', [agent])
  await sql.query('DELETE FROM agent_runs WHERE agent = $1', [agent])
  await sql.query(`VACUUM ANALYZE ${rows[0]?.boss ? 'pgboss.job_common, ' : ''}agent_runs, agent_steps`)
}

// --- 1. throughput ------------------------------------------------------------------------------------------

interface Throughput {
  /** Runs enqueued per second (clock: first enqueue → last enqueue returned). */
  enqueue: number
  /** Runs finished per second (clock: workers started → every run finished). */
  drain: number
  /** CPU time of this Node process per run, enqueue and drain (PostgreSQL's is not in it). */
  cpuMs: number
}

const cpuMsSince = (start: NodeJS.CpuUsage, runs: number) => {
  const used = process.cpuUsage(start)
  return (used.user + used.system) / 1000 / runs
}

/** The agent queue alone: bulk `enqueueRuns`, `startWorkers`, `runAgent` with a counting sink (no rows). */
async function runtimeThroughput(url: string, tenant: string, runs = RUNS): Promise<Throughput> {
  let finished = 0
  let done: () => void = () => {}
  const allFinished = new Promise<void>((resolve) => {
    done = resolve
  })
  const sink: EventSink = {
    emit(event) {
      if (event.type === 'run-finished' && ++finished >= runs) done()
    },
  }
  const queue = createAgentQueue({
    connectionString: url,
    agents: [trivialAgent],
    sink,
    runOptions: { providers: providers() },
  })
  await queue.start()
  const cpu = process.cpuUsage()
  const enqueueStarted = performance.now()
  for (let i = 0; i < runs; i += 1000) {
    const count = Math.min(1000, runs - i)
    await queue.enqueueRuns(
      trivialAgent,
      Array.from({ length: count }, (_, k) => ({ input: { n: i + k }, tenant })),
    )
  }
  const enqueueSeconds = (performance.now() - enqueueStarted) / 1000
  const started = performance.now()
  const workers = await queue.startWorkers({ concurrency: CONCURRENCY, perTenantConcurrency: PER_TENANT })
  await allFinished
  const seconds = (performance.now() - started) / 1000
  const cpuMs = cpuMsSince(cpu, runs)
  await workers.stop()
  await queue.stop()
  return { enqueue: runs / enqueueSeconds, drain: runs / seconds, cpuMs }
}

/** The plugin: `startRun` per run (row + job), then `startAgentsWorker`; done when every run row is succeeded. */
async function payloadThroughput(cms: Cms, tenant: number, runs = RUNS): Promise<Throughput> {
  const { payload, sql } = cms
  // Bring up the plugin's pg-boss outside the clocks (the worker's stop dropped the previous one).
  await agentQueueOf(payload, pluginConfigOf(payload)).start()
  const cpu = process.cpuUsage()
  const enqueueStarted = performance.now()
  // Bulk, as the runtime side: one `startRuns` per 1,000 runs (one insert of rows, one pg-boss insert).
  for (let i = 0; i < runs; i += 1000) {
    const items = Array.from({ length: Math.min(1000, runs - i) }, (_, k) => ({
      agent: trivialAgent.slug,
      input: { n: i + k },
      tenant,
      trigger: { kind: 'manual' as const },
    }))
    for (const result of await startRuns(payload, items)) if ('refused' in result) throw result.refused
  }
  const enqueueSeconds = (performance.now() - enqueueStarted) / 1000
  const started = performance.now()
  const worker = await startAgentsWorker(payload, {
    concurrency: CONCURRENCY,
    perTenantConcurrency: PER_TENANT,
    expiryIntervalMs: 3_600_000,
  })
  await untilRuns(sql, trivialAgent.slug, 'succeeded', runs, 10)
  const seconds = (performance.now() - started) / 1000
  const cpuMs = cpuMsSince(cpu, runs)
  await worker.stop({ graceMs: 5_000 })
  return { enqueue: runs / enqueueSeconds, drain: runs / seconds, cpuMs }
}

// --- 2. approve → applied -----------------------------------------------------------------------------------

interface ApprovalSample {
  /** POST /api/approvals/:id/approve → approval row `applied`. */
  total: number
  /** The approve request itself (decide + enqueue the apply job). */
  request: number
  /** Approve response → `apply` starts (queue hop, the apply job's reads). */
  pickup: number
  /** `apply` itself (the post update). */
  apply: number
  /** `apply` returned → the row says `applied` (sink events, markApplied, polling granularity). */
  after: number
}

async function approvalLatency(cms: Cms, tenant: number, post: number): Promise<ApprovalSample[]> {
  const { payload, sql } = cms
  const total = WARMUP + SAMPLES
  // One post per run: applying a proposal closes the other pending proposals for the same document.
  const posts = [post]
  for (let i = 1; i < total; i++) posts.push(await benchPost(payload, tenant, `bench-post-${i}`))
  const worker = await startAgentsWorker(payload, {
    concurrency: CONCURRENCY,
    perTenantConcurrency: PER_TENANT,
    expiryIntervalMs: 3_600_000,
  })
  try {
    await inParallel(total, ENQUEUE_CONCURRENCY, (i) =>
      startRun(payload, {
        agent: titleAgent.slug,
        input: { target: { collection: 'posts', id: posts[i]! } },
        tenant,
        trigger: { kind: 'manual' },
      }),
    )
    await untilRuns(sql, titleAgent.slug, 'awaiting-approval', total, 50)
    const { rows } = await sql.query<{ id: number; run_id: string }>(
      `SELECT id, run_id FROM approvals WHERE agent = $1 AND status = 'pending' ORDER BY id`,
      [titleAgent.slug],
    )
    if (rows.length !== total) throw new Error(`expected ${total} pending approvals, found ${rows.length}`)
    const login = await cms.post('/users/login', { email: REVIEWER, password: PASSWORD })
    if (login.status !== 200) throw new Error(`login failed: ${login.status} ${JSON.stringify(login.body)}`)
    const token = login.body.token as string

    const samples: ApprovalSample[] = []
    for (const [i, row] of rows.entries()) {
      const started = performance.now()
      const res = await cms.post(`/approvals/${row.id}/approve`, {}, token)
      const responded = performance.now()
      if (res.status !== 202) throw new Error(`approve ${row.id}: ${res.status} ${JSON.stringify(res.body)}`)
      await until(
        `approval ${row.id} applied`,
        async () => {
          const { rows: found } = await sql.query<{ status: string; error: string | null }>(
            'SELECT status, error FROM approvals WHERE id = $1',
            [row.id],
          )
          if (found[0]?.error) throw new Error(`approval ${row.id}: ${found[0].error}`)
          return found[0]?.status === 'applied' ? true : undefined
        },
        POLL_MS,
        30_000,
      )
      const applied = performance.now()
      const times = applyTimes.get(row.run_id)
      if (i >= WARMUP && times)
        samples.push({
          total: applied - started,
          request: responded - started,
          pickup: times.start - responded,
          apply: times.end - times.start,
          after: applied - times.end,
        })
    }
    return samples
  } finally {
    await worker.stop({ graceMs: 5_000 })
  }
}

// --- profile (BENCH_PROFILE=1) ------------------------------------------------------------------------------

/** Wraps the Local API methods and pg's `Client#query` to sum calls and time by operation during one drain. */
function instrument(payload: Payload, pool: Pool) {
  const stats = new Map<string, { calls: number; ms: number }>()
  const add = (key: string, ms: number) => {
    const entry = stats.get(key) ?? { calls: 0, ms: 0 }
    entry.calls++
    entry.ms += ms
    stats.set(key, entry)
  }
  const restore: (() => void)[] = []
  const local = payload as unknown as Record<string, (args: { collection?: string }) => Promise<unknown>>
  for (const method of ['find', 'findByID', 'create', 'update', 'delete', 'count']) {
    const original = local[method]!
    local[method] = async function (this: unknown, args) {
      const started = performance.now()
      try {
        return await original.call(payload, args)
      } finally {
        add(`payload.${method}(${args?.collection ?? '?'})`, performance.now() - started)
      }
    }
    restore.push(() => {
      local[method] = original
    })
  }
  const Client = (pool as unknown as { Client: { prototype: { query: (...args: unknown[]) => unknown } } }).Client
  const query = Client.prototype.query
  Client.prototype.query = function (this: unknown, ...args: unknown[]) {
    const first = args[0] as string | { text?: string }
    const text = (typeof first === 'string' ? first : (first?.text ?? '')).trim()
    const verb = text.split(/\s+/)[0]?.toUpperCase() ?? '?'
    const table = text.match(/^(?:insert into|update|delete from)\s+"?([\w.]+)"?/i)?.[1]
    if (table) add(`sql ${verb} ${table}`, 0)
    const started = performance.now()
    const result = query.apply(this, args)
    if (result && typeof (result as Promise<unknown>).then === 'function')
      (result as Promise<unknown>).then(
        () => add(`sql ${verb}`, performance.now() - started),
        () => add(`sql ${verb}`, performance.now() - started),
      )
    else add(`sql ${verb}`, 0)
    return result
  }
  restore.push(() => {
    Client.prototype.query = query
  })
  return {
    stats,
    stop: () => {
      for (const fn of restore) fn()
    },
  }
}

/** One plugin-side rep under the V8 CPU profiler (enqueue + drain only); writes a .cpuprofile, prints a digest. */
async function cpuProfileDrain(cms: Cms, tenant: number) {
  const { Session } = await import('node:inspector/promises')
  const session = new Session()
  session.connect()
  await session.post('Profiler.enable')
  await session.post('Profiler.start')
  const result = await payloadThroughput(cms, tenant)
  const { profile } = await session.post('Profiler.stop')
  session.disconnect()
  const file = join(tmpdir(), `bench-agents-plugin-${Date.now()}.cpuprofile`)
  await writeFile(file, JSON.stringify(profile))
  log('')
  log(`CPU profile of one plugin-side rep (${fmt(result.drain, 0)} runs/s drain while profiled): ${file}`)
  const self = new Map<string, number>()
  const byFunction = new Map<string, number>()
  const deltas = new Map<number, number>()
  profile.samples?.forEach((id, i) => {
    deltas.set(id, (deltas.get(id) ?? 0) + (profile.timeDeltas?.[i] ?? 0))
  })
  let total = 0
  for (const node of profile.nodes) {
    const us = deltas.get(node.id) ?? 0
    if (!us) continue
    total += us
    const url = node.callFrame.url
    const pkg =
      url.match(/node_modules\/\.pnpm\/[^/]+\/node_modules\/((?:@[^/]+\/)?[^/]+)/)?.[1] ??
      url.match(/\/work\/main\/([^/]+(?:\/[^/]+)?)/)?.[1] ??
      (url ? url.split('/')[0] : `(${node.callFrame.functionName || 'native'})`)
    self.set(pkg!, (self.get(pkg!) ?? 0) + us)
    const fn = `${node.callFrame.functionName || '(anonymous)'} ${url.split('/').slice(-2).join('/')}:${node.callFrame.lineNumber + 1}`
    byFunction.set(fn, (byFunction.get(fn) ?? 0) + us)
  }
  const top = (map: Map<string, number>, n: number) =>
    [...map.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, n)
      .map(
        ([k, us]) =>
          `    ${fmt((100 * us) / total).padStart(5)}%  ${fmt(us / 1000 / RUNS, 2).padStart(6)} ms/run  ${k}`,
      )
  log('  self time by package (idle included):')
  for (const line of top(self, 12)) log(line)
  log('  self time by function:')
  for (const line of top(byFunction, 15)) log(line)
}

/**
 * What one write or read of the sink costs, alone (sequential, workers idle): the Local API calls a run makes,
 * next to plain SQL doing the same change on the same pool.
 */
async function localApiCosts(cms: Cms, tenant: number) {
  const { payload } = cms
  const pool = poolOf(payload) as unknown as Pool
  const local = { depth: 0, overrideAccess: true } as const
  const runId = randomUUID()
  const row = (await payload.create({
    collection: 'agent-runs',
    data: { runId, agent: 'cost-probe', tenant, status: 'queued', input: { n: 1 }, trigger: { kind: 'manual' } },
    ...local,
  })) as unknown as { id: number }
  const messages = [
    { role: 'system', content: 'Answer with ok = true.' },
    { role: 'user', content: '{"n":1}' },
  ]
  let seq = 1
  const step = () => ({
    agentRun: row.id,
    runId,
    agent: 'cost-probe',
    tenant,
    seq: seq++,
    kind: 'step' as const,
    step: 0,
    data: { step: 0, kind: 'prompt', messages },
  })
  const ops: [string, () => Promise<unknown>][] = [
    ['payload.find agent-settings (loadSettings)', () => loadSettings(payload, tenant, 'cost-probe')],
    ['payload.find agent-runs by runId (findRunRow)', () => findRunRow(payload, runId)],
    ['payload.findByID agent-runs', () => payload.findByID({ collection: 'agent-runs', id: row.id, ...local })],
    [
      'payload.update agent-runs (status)',
      () => payload.update({ collection: 'agent-runs', id: row.id, data: { status: 'running' }, ...local }),
    ],
    [
      'payload.create agent-steps (a step row)',
      () => payload.create({ collection: 'agent-steps', data: step(), ...local }),
    ],
    [
      'SQL UPDATE agent_runs (the same status change)',
      () => pool.query(`UPDATE agent_runs SET status = 'running', updated_at = now() WHERE id = $1`, [row.id]),
    ],
    [
      'SQL INSERT agent_steps (the same step row)',
      () => {
        const s = step()
        return pool.query(
          `INSERT INTO agent_steps (agent_run_id, run_id, agent, tenant_id, seq, kind, step, data, updated_at, created_at)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, now(), now())`,
          [s.agentRun, s.runId, s.agent, s.tenant, s.seq, s.kind, s.step, JSON.stringify(s.data)],
        )
      },
    ],
    ['SQL SELECT 1 (a round trip)', () => pool.query('SELECT 1')],
  ]
  log('')
  log('Cost of one call, sequential with idle workers (mean of 200 after 20 warm-up): wall ms, Node CPU ms')
  for (const [label, fn] of ops) {
    for (let i = 0; i < 20; i++) await fn()
    const cpu = process.cpuUsage()
    const started = performance.now()
    for (let i = 0; i < 200; i++) await fn()
    const wall = (performance.now() - started) / 200
    const used = process.cpuUsage(cpu)
    log(
      `    ${label.padEnd(48)} ${fmt(wall, 2).padStart(6)} ms  ${fmt((used.user + used.system) / 1000 / 200, 2).padStart(6)} ms CPU`,
    )
  }
  await pool.query(`DELETE FROM agent_steps WHERE agent = 'cost-probe'`)
  await pool.query(`DELETE FROM agent_runs WHERE agent = 'cost-probe'`)
}

async function profileDrain(cms: Cms, tenant: number) {
  const pool = poolOf(cms.payload) as unknown as Pool
  const cpuBefore = process.cpuUsage()
  const probe = instrument(cms.payload, pool)
  const result = await payloadThroughput(cms, tenant)
  probe.stop()
  const cpu = process.cpuUsage(cpuBefore)
  log('')
  log(`Profile: one instrumented plugin-side rep (${fmt(result.drain, 0)} runs/s drain while instrumented)`)
  log(
    `  Node CPU (enqueue + drain): ${fmt((cpu.user + cpu.system) / 1000 / RUNS, 2)} ms per run ` +
      `(user ${fmt(cpu.user / 1000 / RUNS, 2)}, system ${fmt(cpu.system / 1000 / RUNS, 2)})`,
  )
  log('  calls per run and wall time inside per run (overlapping calls each count), by operation:')
  const rowsOf = [...probe.stats.entries()].sort((a, b) => b[1].ms - a[1].ms)
  for (const [key, { calls, ms }] of rowsOf.filter(([, v]) => v.calls / RUNS >= 0.01))
    log(`    ${key.padEnd(44)} ${fmt(calls / RUNS, 2).padStart(6)} calls  ${fmt(ms / RUNS, 2).padStart(7)} ms`)
}

// --- main ---------------------------------------------------------------------------------------------------

async function main() {
  log(`agents plugin benchmark — node ${process.version}, ${RUNS} runs x ${REPS} reps, ${SAMPLES} approval samples`)
  const startLoad = load()
  log(`load average (1/5/15 min) at start: ${startLoad}`)
  log(
    `workers (both sides): concurrency ${CONCURRENCY} per agent queue, per-tenant ${PER_TENANT}; ` +
      'plugin enqueue: startRuns, 1,000 runs per call',
  )
  const external = process.env.BENCH_DATABASE_URL
  const dataDir = external ? undefined : await mkdtemp(join(tmpdir(), 'bizosaas-bench-agents-plugin-'))
  const server: PostgresServer = external
    ? externalPostgres(external)
    : await startEmbeddedPostgres({ dataDir: dataDir as string, port: await freePort(), persistent: false })
  cleanups.push(async () => {
    await server.stop()
    if (dataDir) await rm(dataDir, { recursive: true, force: true })
  })
  const name = `bench_agents_plugin_${Date.now()}`
  await ensureDatabase(server.adminUrl, name)
  cleanups.push(() => dropDatabase(server.adminUrl, name))
  const url = databaseUrl(server.adminUrl, name)

  const startedAt = performance.now()
  const cms = await startCms(url)
  cleanups.push(() => cms.close())
  const { tenant, post } = await seed(cms.payload)
  log(`CMS up and seeded in ${fmt((performance.now() - startedAt) / 1000)} s (migrations included)`)
  log('')

  // Warm-up: both paths once, a tenth of the size (JIT, pg-boss queues, Payload's first writes).
  const warmRuns = Math.max(50, Math.round(RUNS / 10))
  log(`warm-up: ${warmRuns} runs each side …`)
  await reset(cms.sql, trivialAgent.slug)
  await runtimeThroughput(url, String(tenant), warmRuns)
  await reset(cms.sql, trivialAgent.slug)
  await payloadThroughput(cms, tenant, warmRuns)
  const runtime: Throughput[] = []
  const plugin: Throughput[] = []
  for (let rep = 0; rep < REPS; rep++) {
    const sides = [
      async () => runtime.push(await runtimeThroughput(url, String(tenant))),
      async () => plugin.push(await payloadThroughput(cms, tenant)),
    ]
    for (let k = 0; k < sides.length; k++) {
      await reset(cms.sql, trivialAgent.slug)
      await sides[(k + rep) % sides.length]?.()
    }
    const r = runtime[rep]!
    const p = plugin[rep]!
    log(
      `  rep ${rep + 1}: runtime alone ${fmt(r.drain, 0)} runs/s (enqueue ${fmt(r.enqueue, 0)}/s, ` +
        `${fmt(r.cpuMs, 2)} ms CPU/run), plugin ${fmt(p.drain, 0)} runs/s (enqueue ${fmt(p.enqueue, 0)}/s, ` +
        `${fmt(p.cpuMs, 2)} ms CPU/run)   load ${load()}`,
    )
  }
  await reset(cms.sql, trivialAgent.slug)
  if (PROFILE) {
    await cpuProfileDrain(cms, tenant)
    await reset(cms.sql, trivialAgent.slug)
    await profileDrain(cms, tenant)
    await reset(cms.sql, trivialAgent.slug)
    await localApiCosts(cms, tenant)
  }

  log('')
  log(`approve → applied: ${WARMUP} warm-up + ${SAMPLES} samples, one approval at a time …`)
  const samples = await approvalLatency(cms, tenant, post)

  const med = (side: Throughput[], fn: (t: Throughput) => number) => median(side.map(fn))
  const endToEnd = (t: Throughput) => 1 / (1 / t.enqueue + 1 / t.drain)
  const runtimeDrain = med(runtime, (t) => t.drain)
  const pluginDrain = med(plugin, (t) => t.drain)
  const runtimeEnqueue = med(runtime, (t) => t.enqueue)
  const pluginEnqueue = med(plugin, (t) => t.enqueue)
  const runtimeCpu = med(runtime, (t) => t.cpuMs)
  const pluginCpu = med(plugin, (t) => t.cpuMs)
  const of = (key: keyof ApprovalSample, p: number) =>
    percentile(
      samples.map((s) => s[key]),
      p,
    )
  const p50 = of('total', 50)
  const met = (ok: boolean) => (ok ? 'met' : 'NOT met')
  const row = (label: string, runtimeValue: string, pluginValue: string, note = '') =>
    log(`  ${label.padEnd(40)} ${runtimeValue.padStart(14)} ${pluginValue.padStart(14)}   ${note}`)

  log('')
  log(`Summary — trivial agent on the instant stub model, median of ${REPS} reps of ${RUNS} runs`)
  row('', 'runtime alone', 'plugin', '')
  row(
    'drain, runs/s',
    fmt(runtimeDrain, 0),
    fmt(pluginDrain, 0),
    `ratio ${fmt(pluginDrain / runtimeDrain, 3)}; target plugin >= ${TARGET_RUNS_PER_SECOND}: ${met(pluginDrain >= TARGET_RUNS_PER_SECOND)}`,
  )
  row(
    'enqueue, runs/s',
    fmt(runtimeEnqueue, 0),
    fmt(pluginEnqueue, 0),
    'runtime: enqueueRuns (bulk); plugin: startRuns (bulk)',
  )
  row('enqueue + drain, runs/s', fmt(med(runtime, endToEnd), 0), fmt(med(plugin, endToEnd), 0))
  row(
    'Node CPU per run (enqueue + drain), ms',
    fmt(runtimeCpu, 2),
    fmt(pluginCpu, 2),
    'this process only (PostgreSQL not included)',
  )
  log('')
  log(`Approve → applied (POST /api/approvals/:id/approve until the row is applied), ${samples.length} samples`)
  log(
    `  p50 ${fmt(p50)} ms, p99 ${fmt(of('total', 99))} ms; target p50 <= ${TARGET_APPLY_P50_MS} ms: ${met(p50 <= TARGET_APPLY_P50_MS)}`,
  )
  log(
    `  p50 of its parts: approve request ${fmt(of('request', 50))} ms, queue pickup ${fmt(of('pickup', 50))} ms, ` +
      `apply ${fmt(of('apply', 50))} ms, after apply ${fmt(of('after', 50))} ms (${POLL_MS} ms polling)`,
  )
  log('')
  log(`load average (1/5/15 min): at start ${startLoad}, at end ${load()} (2 cores: Node and PostgreSQL share them)`)
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
