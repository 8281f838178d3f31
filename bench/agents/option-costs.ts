/**
 * What each pg-boss option of an agent queue costs: raw pg-boss draining no-op jobs with one option added at a
 * time, next to the plain raw drain and the agent queue itself, in one run on one PostgreSQL.
 * Run from the repository root: `pnpm exec tsx bench/agents/option-costs.ts` (see ./README.md).
 */
import { randomUUID } from 'node:crypto'
import { readdirSync, readFileSync } from 'node:fs'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createProviderRegistry, emptyUsage, type RunResult } from '@bizosaas/agents'
import { createAgentQueue } from '@bizosaas/agents/queue'
import { stubProvider } from '@bizosaas/agents/testing'
import { freePort } from '@bizosaas/scripts/ports'
import {
  databaseUrl,
  dropDatabase,
  ensureDatabase,
  externalPostgres,
  type PostgresServer,
  startEmbeddedPostgres,
} from '@bizosaas/scripts/postgres'
import { PgBoss } from 'pg-boss'
import { trivialAgent } from './trivial-agent.ts'

const JOBS = Number(process.env.BENCH_RUNS ?? 3_000)
const REPS = Number(process.env.BENCH_REPS ?? 5)
/** Worker settings of every side, as in run.ts: batchSize 50, 2 fetch loops, burstWhenBatchFull, NOTIFY on. */
const WORKER = Object.freeze({ batchSize: 50, loops: 2 })
/** Many tenants, so the group limits below never bind: the sides measure bookkeeping, not throttling. */
const TENANTS = 1000
const DEAD = 'bench.dead'

interface Side {
  name: string
  /** Why the agent queue has it (or what the side shows). */
  why: string
  queue?: Record<string, unknown>
  job?: (id: string, n: number) => Record<string, unknown>
  work?: Record<string, unknown>
  agent?: 'execute-noop' | 'run-agent'
}

const tenantOf = (n: number) => ({ group: { id: `tenant-${n % TENANTS}` } })
const AGENT_QUEUE_OPTIONS = {
  policy: 'exclusive',
  retryLimit: 3,
  retryDelay: 5,
  retryBackoff: true,
  retryDelayMax: 600,
  expireInSeconds: 150,
  heartbeatSeconds: 30,
  deadLetter: DEAD,
}

const SIDES: Side[] = [
  { name: 'raw pg-boss (baseline)', why: 'standard policy, no options' },
  {
    name: "policy 'exclusive' + a singleton key per job",
    why: 'de-duplication (dedupeKey, runId)',
    queue: { policy: 'exclusive' },
    job: (id) => ({ singletonKey: `run:${id}` }),
  },
  {
    name: 'retryLimit 3, retryDelay 5, backoff, max 600',
    why: 'retries of provider errors',
    queue: { retryLimit: 3, retryDelay: 5, retryBackoff: true, retryDelayMax: 600 },
  },
  { name: 'deadLetter', why: 'dead-lettering', queue: { deadLetter: DEAD } },
  { name: 'expireInSeconds 150', why: 'crash recovery (bound of a run)', queue: { expireInSeconds: 150 } },
  { name: 'heartbeatSeconds 30', why: 'crash recovery (dead worker found early)', queue: { heartbeatSeconds: 30 } },
  { name: `group id per job (${TENANTS} tenants)`, why: 'per-tenant fairness', job: (_id, n) => tenantOf(n) },
  {
    name: 'groupConcurrency 100 (cluster)',
    why: 'perTenantConcurrency, cluster scope',
    job: (_id, n) => tenantOf(n),
    work: { groupConcurrency: 100 },
  },
  {
    name: 'localGroupConcurrency 2 (process)',
    why: 'perTenantConcurrency, process scope',
    job: (_id, n) => tenantOf(n),
    work: { localGroupConcurrency: 2 }, // pg-boss caps it at localConcurrency
  },
  {
    name: 'batchSize 5, 20 loops',
    why: 'the default batch of concurrency 100',
    work: { batchSize: 5, localConcurrency: 20 },
  },
  {
    name: 'every option an agent queue sets',
    why: 'exclusive + key, retries, DLQ, expiry, heartbeat',
    queue: AGENT_QUEUE_OPTIONS,
    job: (id) => ({ singletonKey: `run:${id}`, data: { v: 1, runId: id, input: { n: 1 } } }),
  },
  { name: 'agent queue, execute = no-op', why: 'the binding without runAgent', agent: 'execute-noop' },
  { name: 'agent queue, runAgent + stub model', why: 'the whole runtime', agent: 'run-agent' },
]

/** What `runAgent` returns for a run that succeeded, for the no-op `execute`. */
function succeeded(runId: string): RunResult {
  const state = {
    runId,
    agent: trivialAgent.slug,
    status: 'succeeded' as const,
    input: null,
    messages: [],
    steps: 1,
    repaired: false,
    usage: emptyUsage(),
    startedAt: new Date().toISOString(),
  }
  return { runId, status: 'succeeded', usage: state.usage, steps: 1, applied: false, state }
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b)
  const mid = Math.floor(sorted.length / 2)
  return sorted.length % 2 ? (sorted[mid] ?? 0) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2
}
const log = (line: string) => process.stdout.write(`${line}\n`)

/**
 * CPU time (ms) of the embedded server, from /proc: the postmaster's own and its ended children's (cutime,
 * cstime), plus every live child's. Undefined when it cannot be read (external server, not Linux).
 */
function postgresCpuMs(postmaster: number | undefined): number | undefined {
  if (!postmaster) return undefined
  const ticksPerMs = 100 / 1000 // USER_HZ
  let ticks = 0
  for (const pid of readdirSync('/proc')) {
    if (!/^\d+$/.test(pid)) continue
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
      if (Number(pid) === postmaster || Number(fields[1]) === postmaster)
        ticks += Number(fields[11]) + Number(fields[12])
    } catch {
      // the process ended meanwhile
    }
  }
  return ticks / ticksPerMs
}

interface Sample {
  rate: number
  nodeUs: number
  pgUs?: number
}

async function drainSide(boss: PgBoss, side: Side, queue: string, postmaster?: number, jobs = JOBS): Promise<Sample> {
  const RUNS = jobs
  let finished = 0
  let done!: () => void
  const all = new Promise<void>((resolve) => {
    done = resolve
  })
  const count = (n: number) => {
    finished += n
    if (finished >= RUNS) done()
  }
  let stop: () => Promise<void>
  let begin: () => Promise<void>
  if (side.agent) {
    const stub = stubProvider()
    const providers = createProviderRegistry().register('stub', {
      id: 'stub',
      async generate(request) {
        const response = await stub.generate(request)
        stub.calls.length = 0
        return response
      },
    })
    const agentQueue = createAgentQueue({
      boss,
      agents: [trivialAgent],
      sink: { emit: (event) => (event.type === 'run-finished' ? count(1) : undefined) },
      runOptions: { providers },
      ...(side.agent === 'execute-noop'
        ? {
            execute: async (job) => {
              count(1)
              return succeeded(job.runId)
            },
          }
        : {}),
    })
    await agentQueue.start()
    for (let i = 0; i < RUNS; i += 1000) {
      const n = Math.min(1000, RUNS - i)
      await agentQueue.enqueueRuns(
        trivialAgent,
        Array.from({ length: n }, (_, k) => ({ input: { n: i + k } })),
      )
    }
    let workers: Awaited<ReturnType<typeof agentQueue.startWorkers>>
    begin = async () => {
      workers = await agentQueue.startWorkers({
        concurrency: WORKER.batchSize * WORKER.loops,
        batchSize: WORKER.batchSize,
      })
    }
    stop = async () => {
      await workers.stop()
      await agentQueue.stop()
    }
  } else {
    for (let i = 0; i < RUNS; i += 1000) {
      const n = Math.min(1000, RUNS - i)
      await boss.insert(
        queue,
        Array.from({ length: n }, (_, k) => {
          const id = randomUUID()
          return { id, data: { n: i + k }, ...side.job?.(id, i + k) }
        }),
      )
    }
    begin = async () => {
      await boss.work(
        queue,
        { batchSize: WORKER.batchSize, localConcurrency: WORKER.loops, burstWhenBatchFull: true, ...side.work },
        async (jobs) => count(jobs.length),
      )
    }
    stop = () => boss.offWork(queue, { wait: true })
  }
  await boss.getDb().executeSql('VACUUM ANALYZE pgboss.job_common')
  const cpu = process.cpuUsage()
  const pg = postgresCpuMs(postmaster)
  const started = performance.now()
  await begin()
  await all
  const seconds = (performance.now() - started) / 1000
  const node = process.cpuUsage(cpu)
  const pgAfter = postgresCpuMs(postmaster)
  await stop()
  return {
    rate: RUNS / seconds,
    nodeUs: (node.user + node.system) / RUNS,
    pgUs: pg !== undefined && pgAfter !== undefined ? ((pgAfter - pg) * 1000) / RUNS : undefined,
  }
}

async function main() {
  const external = process.env.BENCH_DATABASE_URL
  const dataDir = external ? undefined : await mkdtemp(join(tmpdir(), 'bizosaas-bench-options-'))
  const server: PostgresServer = external
    ? externalPostgres(external)
    : await startEmbeddedPostgres({ dataDir: dataDir as string, port: await freePort(), persistent: false })
  const postmaster = dataDir ? Number(readFileSync(join(dataDir, 'postmaster.pid'), 'utf8').split('\n')[0]) : undefined
  const name = `bench_options_${Date.now()}`
  await ensureDatabase(server.adminUrl, name)
  const boss = new PgBoss({ connectionString: databaseUrl(server.adminUrl, name), useListenNotify: true })
  boss.on('error', (error) => console.error('[pg-boss]', error))
  try {
    await boss.start()
    await boss.createQueue(DEAD)
    const queues = SIDES.map((_, i) => `bench.option-${i}`)
    for (const [i, side] of SIDES.entries()) {
      if (!side.agent) await boss.createQueue(queues[i] as string, { notify: true, ...side.queue })
    }
    log(`pg-boss option costs — node ${process.version}, ${JOBS} jobs x ${REPS} repetitions per side`)
    log(`worker settings (all sides unless the side says): batchSize ${WORKER.batchSize}, ${WORKER.loops} loops, burst`)
    // One unmeasured pass of every side first, so no side pays for a cold JIT or a cold cache.
    for (const [index, side] of SIDES.entries()) {
      for (const queue of [...queues, 'agent.echo']) await boss.deleteAllJobs(queue).catch(() => {})
      await drainSide(boss, side, queues[index] as string, postmaster, 1000)
    }
    const samples = new Map<string, Sample[]>()
    for (let rep = 0; rep < REPS; rep++) {
      for (let k = 0; k < SIDES.length; k++) {
        const index = (k + rep) % SIDES.length
        const side = SIDES[index] as Side
        for (const queue of [...queues, 'agent.echo']) await boss.deleteAllJobs(queue).catch(() => {})
        const sample = await drainSide(boss, side, queues[index] as string, postmaster)
        samples.set(side.name, [...(samples.get(side.name) ?? []), sample])
      }
      log(`  rep ${rep + 1} done`)
    }
    const raw = median((samples.get(SIDES[0]?.name as string) ?? []).map((s) => s.rate))
    log('')
    log('| side | for | jobs/s | ratio to raw | µs/job over raw | Node CPU µs/job | PostgreSQL CPU µs/job |')
    log('| --- | --- | ---: | ---: | ---: | ---: | ---: |')
    for (const side of SIDES) {
      const list = samples.get(side.name) ?? []
      const rate = median(list.map((s) => s.rate))
      const pg = list.every((s) => s.pgUs !== undefined) ? median(list.map((s) => s.pgUs as number)).toFixed(0) : 'n/a'
      log(
        `| ${side.name} | ${side.why} | ${rate.toFixed(0)} | ${(rate / raw).toFixed(2)} | ` +
          `${(1e6 / rate - 1e6 / raw).toFixed(0)} | ${median(list.map((s) => s.nodeUs)).toFixed(0)} | ${pg} |`,
      )
    }
  } finally {
    await boss.stop({ graceful: false }).catch(() => {})
    await dropDatabase(server.adminUrl, name).catch(() => {})
    await server.stop()
    if (dataDir) await rm(dataDir, { recursive: true, force: true })
  }
}

main().catch((error) => {
  console.error(error)
  process.exitCode = 1
})
