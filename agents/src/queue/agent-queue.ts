/**
 * The pg-boss binding of the agent runtime: one queue per agent (`agent.<slug>`) with retries, backoff,
 * expiry, heartbeat and a dead-letter queue; enqueueing with input validation and de-duplication; cron
 * schedules; workers; queue health.
 */
import { randomUUID } from 'node:crypto'
import { type JobInsert, PgBoss, type SendOptions } from 'pg-boss'
import { type AgentInput, type AnyAgent, parseAgentInput } from '../agent.ts'
import { type AgentRegistry, createAgentRegistry } from '../registry.ts'
import { runAgent } from '../run.ts'
import { deadLetterName, JOB_DATA_VERSION, JOB_STATE, queueName, SINGLETON_KEY } from './constants.ts'
import {
  type AgentJobData,
  type AgentQueueOptions,
  agentQueueOptionsSchema,
  type EnqueueItem,
  type EnqueueOptions,
  type ExecuteRun,
  enqueueOptionsSchema,
  parseOptions,
  resolvePolicy,
  type ScheduleOptions,
  type StopOptions,
  scheduleOptionsSchema,
  type WorkerOptions,
  workerOptionsSchema,
} from './options.ts'
import { countLiveJobs } from './sql.ts'
import { type AgentWorkers, startAgentWorkers } from './workers.ts'

/** What `enqueueRun` returns. */
export interface EnqueueResult {
  /** pg-boss job id (of the live run when de-duplicated). */
  jobId: string
  runId: string
  /** True when a queued or running run with the same `dedupeKey` (or `runId`) was returned instead. */
  deduplicated: boolean
}

/** What `enqueueRuns` returns. */
export interface EnqueueManyResult {
  inserted: number
  deduplicated: number
  /**
   * In input order. A de-duplicated item gets the live job that holds its key and that job's run id (as
   * `enqueueRun` does), which may be an earlier item of the same call.
   */
  runs: Array<{ jobId: string; runId: string; deduplicated: boolean }>
}

/** Live counts of one agent's queue, for the admin's queue health. */
export interface QueueHealth {
  agent: string
  queue: string
  deadLetterQueue: string
  /** Ready to run now. */
  queued: number
  /** Waiting for their `startAfter`. */
  deferred: number
  active: number
  /** Failed at least once and waiting for their next attempt. */
  retrying: number
  /** Failed for good and still retained in the agent's queue (each also went to the dead-letter queue). */
  failed: number
  /** Waiting in `agent.<slug>.dead` for a look or a redrive. */
  deadLettered: number
}

/** A schedule as `schedule` created it. */
export interface ScheduleRef {
  queue: string
  key: string
}

/** The queue binding of a set of agents. */
export interface AgentQueue {
  /** The pg-boss instance (owned or given). */
  readonly boss: PgBoss
  /** Starts an owned pg-boss and creates or updates the agents' queues. Idempotent; other methods call it. */
  start(): Promise<void>
  /**
   * Validates `input` against the agent's schema (throws `AgentInputError` with the zod issues, nothing is
   * enqueued) and enqueues a run. An unknown agent throws `UnknownAgentError` naming the agents that exist.
   */
  enqueueRun<A extends AnyAgent>(agent: A, input: AgentInput<A>, options?: EnqueueOptions): Promise<EnqueueResult>
  enqueueRun(agent: string, input: unknown, options?: EnqueueOptions): Promise<EnqueueResult>
  /** Enqueues many runs of one agent in one statement; any invalid input refuses the whole batch. */
  enqueueRuns(agent: AnyAgent | string, runs: readonly EnqueueItem[]): Promise<EnqueueManyResult>
  /**
   * Runs the agent on a cron expression (5 fields, or 6 with seconds; pg-boss sends at most one job a minute).
   * One schedule per agent, tenant and key; calling again replaces it. A schedule never overlaps itself: while
   * its previous run is queued or running, the next occurrence is skipped.
   */
  schedule(agent: AnyAgent | string, cron: string, input: unknown, options?: ScheduleOptions): Promise<ScheduleRef>
  unschedule(agent: AnyAgent | string, options?: Pick<ScheduleOptions, 'tenant' | 'key' | 'db'>): Promise<void>
  /** Starts workers on the agents' queues (all by default). */
  startWorkers(options?: WorkerOptions): Promise<AgentWorkers>
  /** Live counts per agent queue. */
  getQueueHealth(): Promise<QueueHealth[]>
  /** Stops every worker gracefully (see `AgentWorkers.stop`), then the owned pg-boss. */
  stop(options?: StopOptions): Promise<void>
  /** Calls `stop` on SIGTERM/SIGINT; returns a function that removes the handlers. */
  stopOnSignals(options?: StopOptions & { signals?: readonly NodeJS.Signals[] }): () => void
}

const LIVE_STATES: ReadonlySet<string> = new Set([JOB_STATE.created, JOB_STATE.retry, JOB_STATE.active])

function isRegistry(agents: AgentRegistry | readonly AnyAgent[]): agents is AgentRegistry {
  return !Array.isArray(agents)
}

/** Creates the queue binding. Nothing touches the database until `start` (or the first call that needs it). */
export function createAgentQueue(options: AgentQueueOptions): AgentQueue {
  const config = parseOptions(agentQueueOptionsSchema, options, 'createAgentQueue')
  const registry = isRegistry(config.agents) ? config.agents : createAgentRegistry(config.agents)
  const schema = config.schema
  const onError = config.onError ?? ((error: unknown) => console.error('[agents/queue]', error))
  const owned = !config.boss
  const boss =
    config.boss ??
    new PgBoss({
      connectionString: config.connectionString,
      schema,
      useListenNotify: true,
      application_name: 'bizosaas-agents',
      ...config.pgBoss,
    })
  if (owned) boss.on('error', onError)

  const runOptions = config.runOptions as AgentQueueOptions['runOptions']
  const execute: ExecuteRun =
    config.execute ??
    (async (job) => {
      const extra = typeof runOptions === 'function' ? await runOptions(job) : (runOptions ?? {})
      const saved = job.attempt > 0 && config.loadState ? await config.loadState(job.runId, job) : undefined
      return runAgent(job.agent, job.input as never, {
        ...extra,
        sink: config.sink ?? extra.sink,
        runId: job.runId,
        tenant: job.tenant,
        signal: job.signal,
        // Only a run that was cut off mid-way resumes; a finished one starts over.
        ...(saved?.status === 'running' ? { resume: saved } : {}),
      })
    })

  const workerSets = new Set<AgentWorkers>()
  let started: Promise<void> | undefined
  let stopping: Promise<void> | undefined

  const agentOf = (ref: AnyAgent | string): AnyAgent => {
    const agent = registry.get(typeof ref === 'string' ? ref : ref.slug)
    if (typeof ref !== 'string' && agent !== ref) {
      throw new Error(`Agent "${ref.slug}" is not the agent registered with this queue under that slug`)
    }
    return agent
  }

  const ensureQueues = async () => {
    for (const agent of registry.all()) {
      const policy = resolvePolicy(agent, config.policy, config.policies?.[agent.slug])
      const dead = deadLetterName(agent.slug)
      const name = queueName(agent.slug)
      const deadOptions = {
        retentionSeconds: policy.deadLetterRetentionSeconds,
        deleteAfterSeconds: policy.deleteAfterSeconds,
      }
      await boss.createQueue(dead, deadOptions)
      await boss.updateQueue(dead, deadOptions)
      const queueOptions = {
        retryLimit: policy.retryLimit,
        retryDelay: policy.retryDelaySeconds,
        retryBackoff: policy.retryBackoff,
        expireInSeconds: policy.expireInSeconds,
        deleteAfterSeconds: policy.deleteAfterSeconds,
        retentionSeconds: policy.retentionSeconds,
        deadLetter: dead,
        notify: config.notify,
      }
      // `exclusive`: at most one queued or active job per singleton key, which is what de-duplicates runs.
      // pg-boss only accepts a backoff cap together with backoff.
      const retryDelayMax = policy.retryBackoff ? policy.retryDelayMaxSeconds : undefined
      await boss.createQueue(name, {
        ...queueOptions,
        policy: 'exclusive',
        ...(retryDelayMax ? { retryDelayMax } : {}),
        ...(policy.heartbeatSeconds ? { heartbeatSeconds: policy.heartbeatSeconds } : {}),
      })
      // createQueue leaves an existing queue alone; this brings it to the configured policy.
      await boss.updateQueue(name, {
        ...queueOptions,
        retryDelayMax: retryDelayMax ?? null,
        heartbeatSeconds: policy.heartbeatSeconds,
      })
      const existing = await boss.getQueue(name)
      if (existing && existing.policy !== 'exclusive') {
        throw new Error(
          `Queue ${name} exists with policy "${existing.policy}"; agent queues need "exclusive" (de-duplication). ` +
            'Delete the queue (boss.deleteQueue) and start again.',
        )
      }
    }
  }

  const start = () => {
    started ??= (async () => {
      if (owned) await boss.start()
      await ensureQueues()
    })()
    return started
  }

  const singletonKey = (tenant: string | undefined, dedupeKey: string | undefined, runId: string) =>
    dedupeKey ? `${SINGLETON_KEY.dedupe}${tenant ?? ''}:${dedupeKey}` : `${SINGLETON_KEY.run}${runId}`

  const jobOptions = (opts: EnqueueOptions, jobId: string, runId: string): SendOptions => ({
    id: jobId,
    singletonKey: singletonKey(opts.tenant, opts.dedupeKey, runId),
    ...(opts.priority !== undefined ? { priority: opts.priority } : {}),
    ...(opts.startAfter !== undefined ? { startAfter: opts.startAfter } : {}),
    ...(opts.tenant ? { group: { id: opts.tenant } } : {}),
  })

  const jobData = (input: unknown, runId: string | undefined, tenant?: string, schedule?: string): AgentJobData => ({
    v: JOB_DATA_VERSION,
    ...(runId ? { runId } : {}),
    ...(tenant ? { tenant } : {}),
    input,
    ...(schedule ? { schedule } : {}),
  })

  const enqueueRun = async (
    ref: AnyAgent | string,
    input: unknown,
    options?: EnqueueOptions,
  ): Promise<EnqueueResult> => {
    const agent = agentOf(ref)
    const opts = parseOptions(enqueueOptionsSchema, options, 'enqueueRun')
    parseAgentInput(agent, input)
    await start()
    const name = queueName(agent.slug)
    const jobId = randomUUID()
    const runId = opts.runId ?? jobId
    const sendOptions = jobOptions(opts, jobId, runId)
    // A refused insert means a live job holds the key; it may finish before we look, so try again.
    for (let attempt = 0; attempt < 3; attempt++) {
      const id = await boss.send(name, jobData(input, runId, opts.tenant), sendOptions)
      if (id) return { jobId: id, runId, deduplicated: false }
      const jobs = await boss.findJobs<AgentJobData>(name, { key: sendOptions.singletonKey })
      const live = jobs.find((job) => LIVE_STATES.has(job.state))
      if (live) return { jobId: live.id, runId: live.data?.runId ?? live.id, deduplicated: true }
    }
    throw new Error(`Could not enqueue a run of "${agent.slug}": key ${sendOptions.singletonKey} stays taken`)
  }

  const enqueueRuns = async (ref: AnyAgent | string, runs: readonly EnqueueItem[]): Promise<EnqueueManyResult> => {
    const agent = agentOf(ref)
    const prepared = runs.map((item, index) => {
      const { input, ...rest } = item
      const opts = parseOptions(enqueueOptionsSchema, rest, `enqueueRuns (run ${index})`)
      try {
        parseAgentInput(agent, input)
      } catch (error) {
        if (error instanceof Error) error.message = `Run ${index}: ${error.message}`
        throw error
      }
      const jobId = randomUUID()
      const runId = opts.runId ?? jobId
      const { id, ...sendOptions } = jobOptions(opts, jobId, runId)
      const job: JobInsert = { id, data: jobData(input, runId, opts.tenant), ...sendOptions } as JobInsert
      return { job, runId }
    })
    await start()
    const name = queueName(agent.slug)
    const result: EnqueueManyResult['runs'] = new Array(prepared.length)
    let pending = prepared.map((p, index) => ({ ...p, index }))
    // As `enqueueRun`: a refused insert means a live job holds the key; it may finish before we look, so
    // the items whose key came free are inserted again (at most three rounds).
    for (let attempt = 0; attempt < 3 && pending.length; attempt++) {
      const ids = new Set(
        (await boss.insert(
          name,
          pending.map((p) => p.job),
          { returnId: true },
        )) ?? [],
      )
      const retry: typeof pending = []
      for (const item of pending) {
        if (ids.has(item.job.id as string)) {
          result[item.index] = { jobId: item.job.id as string, runId: item.runId, deduplicated: false }
          continue
        }
        const jobs = await boss.findJobs<AgentJobData>(name, { key: item.job.singletonKey as string })
        const live = jobs.find((job) => LIVE_STATES.has(job.state))
        if (live) result[item.index] = { jobId: live.id, runId: live.data?.runId ?? live.id, deduplicated: true }
        else retry.push({ ...item, job: { ...item.job, id: randomUUID() } })
      }
      pending = retry
    }
    if (pending.length)
      throw new Error(`Could not enqueue ${pending.length} run(s) of "${agent.slug}": their keys stay taken`)
    const inserted = result.filter((r) => !r.deduplicated).length
    return { inserted, deduplicated: runs.length - inserted, runs: result }
  }

  const scheduleKey = (tenant: string | undefined, key: string) => `${tenant ?? '_'}/${key}`

  const queue: AgentQueue = {
    boss,
    start,
    enqueueRun: enqueueRun as AgentQueue['enqueueRun'],
    enqueueRuns,

    async schedule(ref, cron, input, options) {
      const agent = agentOf(ref)
      const opts = parseOptions(scheduleOptionsSchema, options, 'schedule')
      parseAgentInput(agent, input)
      await start()
      const name = queueName(agent.slug)
      const key = scheduleKey(opts.tenant, opts.key)
      await boss.schedule(name, cron, jobData(input, undefined, opts.tenant, key), {
        key,
        singletonKey: `${SINGLETON_KEY.schedule}${key}`,
        ...(opts.tz ? { tz: opts.tz } : {}),
        ...(opts.priority !== undefined ? { priority: opts.priority } : {}),
        ...(opts.tenant ? { group: { id: opts.tenant } } : {}),
        ...(opts.db ? { db: opts.db } : {}),
      })
      return { queue: name, key }
    },

    async unschedule(ref, options) {
      const agent = agentOf(ref)
      const opts = parseOptions(scheduleOptionsSchema, options, 'unschedule')
      await start()
      await boss.unschedule(queueName(agent.slug), scheduleKey(opts.tenant, opts.key), opts.db ? { db: opts.db } : {})
    },

    async startWorkers(options) {
      const opts = parseOptions(workerOptionsSchema, options, 'startWorkers')
      if (stopping) throw new Error('The agent queue is stopping; start a new one')
      const agents = opts.agents ? opts.agents.map((slug) => registry.get(slug)) : registry.all()
      await start()
      const workers = await startAgentWorkers(
        { boss, schema, execute: opts.execute ?? execute, onError },
        { ...opts, agents },
      )
      workerSets.add(workers)
      return workers
    },

    async getQueueHealth() {
      await start()
      const agents = registry.all()
      const names = agents.flatMap((agent) => [queueName(agent.slug), deadLetterName(agent.slug)])
      const { rows } = await boss.getDb().executeSql(countLiveJobs(schema), [names])
      const count = (name: string, match: (row: { state: string; deferred: boolean }) => boolean) =>
        (rows as Array<{ name: string; state: string; deferred: boolean; count: number }>)
          .filter((row) => row.name === name && match(row))
          .reduce((sum, row) => sum + Number(row.count), 0)
      return agents.map((agent) => {
        const name = queueName(agent.slug)
        const dead = deadLetterName(agent.slug)
        return {
          agent: agent.slug,
          queue: name,
          deadLetterQueue: dead,
          queued: count(name, (r) => r.state === JOB_STATE.created && !r.deferred),
          deferred: count(name, (r) => r.state === JOB_STATE.created && r.deferred),
          active: count(name, (r) => r.state === JOB_STATE.active),
          retrying: count(name, (r) => r.state === JOB_STATE.retry),
          failed: count(name, (r) => r.state === JOB_STATE.failed),
          deadLettered: count(dead, (r) => r.state === JOB_STATE.created || r.state === JOB_STATE.retry),
        }
      })
    },

    stop(options) {
      stopping ??= (async () => {
        await Promise.all([...workerSets].map((workers) => workers.stop(options)))
        if (owned && started) {
          await started.catch(() => {})
          await boss.stop({ graceful: true, timeout: 2_000 })
        }
      })()
      return stopping
    },

    stopOnSignals(options) {
      const { signals = ['SIGTERM', 'SIGINT'], ...stopOptions } = options ?? {}
      const handler = () => {
        queue.stop(stopOptions).catch(onError)
      }
      for (const signal of signals) process.once(signal, handler)
      return () => {
        for (const signal of signals) process.removeListener(signal, handler)
      }
    },
  }
  return queue
}
