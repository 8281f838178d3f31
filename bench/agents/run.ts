/**
 * Agent queue benchmark: figures measured side by side in one run on one PostgreSQL.
 * Run from the repository root: `npx tsx bench/agents/run.ts` (see ./README.md for options).
 */
import { randomUUID } from 'node:crypto'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import v8 from 'node:v8'
import vm from 'node:vm'
import type { EventSink, ModelProvider, ModelRequest, ModelResponse } from '@bizosaas/agents'
import { createProviderRegistry, runAgent } from '@bizosaas/agents'
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
// pg-boss as the agents package resolves it (the same module instance its sources use).
import { PgBoss } from 'pg-boss'
import { trivialAgent } from './trivial-agent.ts'

const RUNS = Number(process.env.BENCH_RUNS ?? 10_000)
const REPS = Number(process.env.BENCH_REPS ?? 5)
const LATENCY_SAMPLES = Number(process.env.BENCH_LATENCY_SAMPLES ?? 200)
const IN_FLIGHT = Number(process.env.BENCH_IN_FLIGHT ?? 1000)
/** The worker settings both sides of the throughput comparison use. */
const WORKER = Object.freeze({ batchSize: 50, loops: 2 })
const AGENT_QUEUE = 'agent.echo'

v8.setFlagsFromString('--expose-gc')
const gc = vm.runInNewContext('gc') as () => void

// --- helpers ----------------------------------------------------------------------------------------------

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b)
  const mid = Math.floor(sorted.length / 2)
  return sorted.length % 2 ? (sorted[mid] ?? 0) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2
}
const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? 0
}
const fmt = (value: number, digits = 1) => value.toFixed(digits)
const mb = (bytes: number) => `${fmt(bytes / 1024 / 1024)} MB`
const log = (line: string) => process.stdout.write(`${line}\n`)

function deferred<T = void>() {
  let resolve!: (value: T) => void
  const promise = new Promise<T>((r) => {
    resolve = r
  })
  return { promise, resolve }
}

/** A provider wrapper that times model calls and lets a benchmark wait for or hold them. */
function instrumented(inner: ModelProvider) {
  const state = {
    modelMs: 0,
    calls: 0,
    onCall: undefined as (() => void) | undefined,
    gate: undefined as Promise<void> | undefined,
  }
  const provider: ModelProvider = {
    id: inner.id,
    async generate(request: ModelRequest): Promise<ModelResponse> {
      state.calls++
      state.onCall?.()
      if (state.gate) await state.gate
      const started = performance.now()
      const response = await inner.generate(request)
      state.modelMs += performance.now() - started
      return response
    },
  }
  return { provider, state }
}

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

function countingSink() {
  const counter = { finished: 0, onFinished: undefined as (() => void) | undefined }
  const sink: EventSink = {
    emit(event) {
      if (event.type === 'run-finished') {
        counter.finished++
        counter.onFinished?.()
      }
    },
  }
  return { sink, counter }
}

// --- phases -----------------------------------------------------------------------------------------------

/**
 * Raw pg-boss drain. `configured` uses what an agent queue asks of pg-boss (exclusive policy with a key per
 * job, retries, expiry, heartbeat, dead-letter queue) around a no-op handler, which splits the agent queue's
 * cost into pg-boss features and the runtime itself.
 */
async function rawThroughput(boss: PgBoss, queue: string, configured = false): Promise<number> {
  for (let i = 0; i < RUNS; i += 1000) {
    const count = Math.min(1000, RUNS - i)
    const jobs = Array.from({ length: count }, (_, k) => {
      const id = randomUUID()
      return configured
        ? { id, singletonKey: `run:${id}`, data: { v: 1, runId: id, input: { n: i + k } } }
        : { data: { n: i + k } }
    })
    await boss.insert(queue, jobs)
  }
  const done = deferred()
  let processed = 0
  const started = performance.now()
  await boss.work(
    queue,
    { batchSize: WORKER.batchSize, localConcurrency: WORKER.loops, burstWhenBatchFull: true },
    async (jobs) => {
      processed += jobs.length
      if (processed >= RUNS) done.resolve()
    },
  )
  await done.promise
  const seconds = (performance.now() - started) / 1000
  await boss.offWork(queue, { wait: true })
  return RUNS / seconds
}

async function agentThroughput(boss: PgBoss): Promise<number> {
  const { sink, counter } = countingSink()
  const queue = createAgentQueue({
    boss,
    agents: [trivialAgent],
    sink,
    runOptions: { providers: createProviderRegistry().register('stub', instantStub()) },
  })
  await queue.start()
  for (let i = 0; i < RUNS; i += 1000) {
    const count = Math.min(1000, RUNS - i)
    await queue.enqueueRuns(
      trivialAgent,
      Array.from({ length: count }, (_, k) => ({ input: { n: i + k } })),
    )
  }
  const done = deferred()
  counter.onFinished = () => counter.finished >= RUNS && done.resolve()
  const started = performance.now()
  const workers = await queue.startWorkers({
    concurrency: WORKER.batchSize * WORKER.loops,
    batchSize: WORKER.batchSize,
  })
  await done.promise
  const seconds = (performance.now() - started) / 1000
  await workers.stop()
  await queue.stop()
  return RUNS / seconds
}

async function rawLatency(boss: PgBoss, queue: string): Promise<number[]> {
  let onJob: (() => void) | undefined
  await boss.work(
    queue,
    { batchSize: WORKER.batchSize, localConcurrency: WORKER.loops, burstWhenBatchFull: true },
    async () => onJob?.(),
  )
  const samples: number[] = []
  for (let i = 0; i < LATENCY_SAMPLES + 20; i++) {
    const handled = deferred()
    onJob = handled.resolve
    const started = performance.now()
    await boss.send(queue, { n: i })
    await handled.promise
    if (i >= 20) samples.push(performance.now() - started)
  }
  await boss.offWork(queue, { wait: true })
  return samples
}

async function agentLatency(boss: PgBoss): Promise<number[]> {
  const { provider, state } = instrumented(instantStub())
  const { sink, counter } = countingSink()
  const queue = createAgentQueue({
    boss,
    agents: [trivialAgent],
    sink,
    runOptions: { providers: createProviderRegistry().register('stub', provider) },
  })
  const workers = await queue.startWorkers({
    concurrency: WORKER.batchSize * WORKER.loops,
    batchSize: WORKER.batchSize,
  })
  const samples: number[] = []
  for (let i = 0; i < LATENCY_SAMPLES + 20; i++) {
    const called = deferred()
    const finished = deferred()
    state.onCall = called.resolve
    counter.onFinished = finished.resolve
    const started = performance.now()
    await queue.enqueueRun(trivialAgent, { n: i })
    await called.promise
    if (i >= 20) samples.push(performance.now() - started)
    await finished.promise
  }
  await workers.stop()
  await queue.stop()
  return samples
}

/** runAgent alone, sequentially, with model time subtracted: the runtime's own cost per run. */
async function runtimeOverhead(): Promise<{ perRunMs: number; modelMs: number }> {
  const { provider, state } = instrumented(instantStub())
  const providers = createProviderRegistry().register('stub', provider)
  const runs = 3000
  for (let i = 0; i < 300; i++) await runAgent(trivialAgent, { n: i }, { providers })
  state.modelMs = 0
  const started = performance.now()
  for (let i = 0; i < runs; i++) await runAgent(trivialAgent, { n: i }, { providers })
  const total = performance.now() - started
  return { perRunMs: (total - state.modelMs) / runs, modelMs: state.modelMs / runs }
}

/** Heap and RSS growth while IN_FLIGHT runs wait in their model call. */
async function memoryInFlight(boss: PgBoss): Promise<{ heap: number; rss: number }> {
  const { provider, state } = instrumented(instantStub())
  const { sink, counter } = countingSink()
  const queue = createAgentQueue({
    boss,
    agents: [trivialAgent],
    sink,
    runOptions: { providers: createProviderRegistry().register('stub', provider) },
  })
  await queue.start()
  await boss.deleteAllJobs(AGENT_QUEUE)
  const workers = await queue.startWorkers({ concurrency: IN_FLIGHT, batchSize: WORKER.batchSize })
  const gate = deferred()
  state.gate = gate.promise
  state.calls = 0
  await new Promise((resolve) => setTimeout(resolve, 500))
  gc()
  gc()
  const before = process.memoryUsage()
  const allCalled = deferred()
  state.onCall = () => state.calls >= IN_FLIGHT && allCalled.resolve()
  counter.finished = 0
  await queue.enqueueRuns(
    trivialAgent,
    Array.from({ length: IN_FLIGHT }, (_, n) => ({ input: { n } })),
  )
  await allCalled.promise
  gc()
  gc()
  const during = process.memoryUsage()
  const finished = deferred()
  counter.onFinished = () => counter.finished >= IN_FLIGHT && finished.resolve()
  gate.resolve()
  await finished.promise
  await workers.stop()
  await queue.stop()
  return { heap: during.heapUsed - before.heapUsed, rss: during.rss - before.rss }
}

// --- main -------------------------------------------------------------------------------------------------

async function main() {
  const external = process.env.BENCH_DATABASE_URL
  const dataDir = external ? undefined : await mkdtemp(join(tmpdir(), 'bizosaas-bench-agents-'))
  const server: PostgresServer = external
    ? externalPostgres(external)
    : await startEmbeddedPostgres({ dataDir: dataDir as string, port: await freePort(), persistent: false })
  const name = `bench_agents_${Date.now()}`
  await ensureDatabase(server.adminUrl, name)
  const url = databaseUrl(server.adminUrl, name)
  const boss = new PgBoss({ connectionString: url, useListenNotify: true })
  boss.on('error', (error) => console.error('[pg-boss]', error))
  try {
    await boss.start()
    const rawQueue = 'bench.raw-noop'
    const configuredQueue = 'bench.raw-configured'
    await boss.createQueue(rawQueue, { notify: true })
    await boss.createQueue(`${configuredQueue}.dead`)
    // The options an agent queue gets by default (agent timeout 120 s + 30 s margin).
    await boss.createQueue(configuredQueue, {
      policy: 'exclusive',
      notify: true,
      retryLimit: 3,
      retryDelay: 5,
      retryBackoff: true,
      retryDelayMax: 600,
      expireInSeconds: 150,
      heartbeatSeconds: 30,
      deadLetter: `${configuredQueue}.dead`,
    })

    log(`agent queue benchmark — node ${process.version}, ${RUNS} runs x ${REPS} repetitions`)
    log(`worker settings (all sides): batchSize ${WORKER.batchSize}, ${WORKER.loops} fetch loops, burstWhenBatchFull`)
    log('')
    const raw: number[] = []
    const configured: number[] = []
    const agent: number[] = []
    // All sides share pg-boss's job table: empty and vacuum it before each drain so none pays for another's
    // dead rows, and rotate who goes first.
    const vacuum = async () => {
      for (const queue of [rawQueue, configuredQueue, AGENT_QUEUE]) await boss.deleteAllJobs(queue).catch(() => {})
      await boss.getDb().executeSql('VACUUM ANALYZE pgboss.job_common')
    }
    for (let rep = 0; rep < REPS; rep++) {
      const sides = [
        async () => raw.push(await rawThroughput(boss, rawQueue)),
        async () => configured.push(await rawThroughput(boss, configuredQueue, true)),
        async () => agent.push(await agentThroughput(boss)),
      ]
      for (let k = 0; k < sides.length; k++) {
        await vacuum()
        await sides[(k + rep) % sides.length]?.()
      }
      log(
        `  rep ${rep + 1}: raw pg-boss ${fmt(raw[rep] ?? 0, 0)} jobs/s, ` +
          `raw pg-boss with agent-queue options ${fmt(configured[rep] ?? 0, 0)} jobs/s, agent queue ${fmt(agent[rep] ?? 0, 0)} runs/s`,
      )
    }
    await vacuum()
    const rawMedian = median(raw)
    const configuredMedian = median(configured)
    const agentMedian = median(agent)
    const queueCostMs = 1000 / agentMedian - 1000 / rawMedian

    const rawLat = await rawLatency(boss, rawQueue)
    const agentLat = await agentLatency(boss)
    const overhead = await runtimeOverhead()
    const memories: Array<{ heap: number; rss: number }> = []
    for (let rep = 0; rep < 3; rep++) memories.push(await memoryInFlight(boss))
    const memory = { heap: median(memories.map((m) => m.heap)), rss: median(memories.map((m) => m.rss)) }

    log('')
    log('Throughput, draining queued work (median of repetitions)')
    log(`  raw pg-boss, no-op jobs:                          ${fmt(rawMedian, 0)} jobs/s`)
    log(`  raw pg-boss, no-op jobs, agent-queue options:     ${fmt(configuredMedian, 0)} jobs/s`)
    log(`  agent queue, trivial agent + stub model:          ${fmt(agentMedian, 0)} runs/s`)
    log(`  ratio agent queue / raw pg-boss:                  ${fmt(agentMedian / rawMedian, 2)} (target >= 0.70)`)
    log(`  ratio agent queue / raw pg-boss, same options:    ${fmt(agentMedian / configuredMedian, 2)}`)
    log('')
    log(`Latency, enqueue -> first model call (${LATENCY_SAMPLES} single runs, idle workers, LISTEN/NOTIFY)`)
    log(
      `  agent queue:  p50 ${fmt(percentile(agentLat, 50))} ms, p99 ${fmt(percentile(agentLat, 99))} ms (target p50 <= 50 ms)`,
    )
    log(`  raw pg-boss (send -> handler): p50 ${fmt(percentile(rawLat, 50))} ms, p99 ${fmt(percentile(rawLat, 99))} ms`)
    log('')
    log('Overhead per run, model time excluded')
    log(
      `  runAgent in process (sequential):        ${fmt(overhead.perRunMs * 1000, 0)} µs (stub model ${fmt(overhead.modelMs * 1000, 0)} µs)`,
    )
    log(
      `  queue vs raw pg-boss at full drain:      ${fmt(queueCostMs * 1000, 0)} µs per run (1/agent rate - 1/raw rate)`,
    )
    log('')
    log(`Memory with ${IN_FLIGHT} runs in flight (all waiting in their model call, after GC; median of 3)`)
    log(
      `  heap +${mb(memory.heap)}, RSS +${mb(memory.rss)}  => ${mb((memory.heap / IN_FLIGHT) * 1000)} heap per 1,000 runs`,
    )
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
