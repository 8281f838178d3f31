/**
 * The pg-boss binding of the agent runtime: one queue per agent (`agent.<slug>`) with retries, backoff,
 * expiry, heartbeat and a dead-letter queue; enqueueing with input validation and de-duplication; cron
 * schedules; workers; queue health. `createAgentQueue` wires the steps of ./setup, ./enqueue, ./schedules,
 * ./workers and ./health to one pg-boss instance.
 */
import { createLogger, type Logger } from '@bizosaas/observability/logger'
import type { PgBoss } from 'pg-boss'
import type { AgentInput, AnyAgent } from '../agent.ts'
import { type AgentRegistry, createAgentRegistry } from '../registry.ts'
import { type EnqueueManyResult, type EnqueueResult, insertRuns, prepareRun } from './enqueue.ts'
import { type QueueHealth, queueHealth } from './health.ts'
import {
  type AgentQueueOptions,
  agentQueueOptionsSchema,
  type EnqueueItem,
  type EnqueueManyOptions,
  type EnqueueOptions,
  enqueueManyOptionsSchema,
  parseOptions,
  type ScheduleOptions,
  type StopOptions,
  type WorkerOptions,
  workerOptionsSchema,
} from './options.ts'
import { type ScheduleRef, scheduleRuns, unscheduleRuns } from './schedules.ts'
import { ensureQueues, ownedBoss, runAgentExecute } from './setup.ts'
import { type AgentWorkers, startAgentWorkers } from './workers.ts'

export type { EnqueueManyResult, EnqueueResult, QueueHealth, ScheduleRef }

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
  /**
   * Enqueues many runs of one agent with one pg-boss `insert` (one round trip; one more look-up when some keys
   * were taken). Each run is validated like `enqueueRun`; any invalid run refuses the whole batch (the error names
   * its index) and nothing is enqueued. De-duplication is the same as `enqueueRun`'s: a run whose `dedupeKey`
   * (or `runId`) a live run holds, or an earlier run of the same batch took, is not inserted and is reported
   * `deduplicated` with the ids of the run it was folded into.
   */
  enqueueRuns(
    agent: AnyAgent | string,
    runs: readonly EnqueueItem[],
    options?: EnqueueManyOptions,
  ): Promise<EnqueueManyResult>
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

let defaultLogger: Logger | undefined
/** Where errors go when the caller gives no `onError`: a pino line of service `agents`. */
const queueLogger = () => (defaultLogger ??= createLogger('agents'))

/** Creates the queue binding. Nothing touches the database until `start` (or the first call that needs it). */
export function createAgentQueue(options: AgentQueueOptions): AgentQueue {
  const config = parseOptions(agentQueueOptionsSchema, options, 'createAgentQueue')
  const registry = isRegistry(config.agents) ? config.agents : createAgentRegistry(config.agents)
  const { schema } = config
  const onError = config.onError ?? ((error: unknown) => queueLogger().error({ err: error }, 'agents queue error'))
  const owned = !config.boss
  const boss = config.boss ?? ownedBoss(config)
  if (owned) boss.on('error', onError)
  const execute =
    config.execute ?? runAgentExecute(config as Pick<AgentQueueOptions, 'sink' | 'runOptions' | 'loadState'>)
  const target = { boss, schema }
  const workerSets = new Set<AgentWorkers>()
  let started: Promise<void> | undefined
  let stopping: Promise<void> | undefined

  const agentOf = (ref: AnyAgent | string) => registeredAgent(registry, ref)

  const start = () => {
    started ??= (async () => {
      if (owned) await boss.start()
      await ensureQueues(boss, registry.all(), config)
    })()
    return started
  }

  const enqueueRun = async (ref: AnyAgent | string, input: unknown, options?: EnqueueOptions) => {
    const agent = agentOf(ref)
    const run = prepareRun(agent, { ...options, input }, 'enqueueRun')
    await start()
    const { runs } = await insertRuns(target, agent, [run])
    return runs[0] as EnqueueResult
  }

  const enqueueRuns = async (ref: AnyAgent | string, items: readonly EnqueueItem[], options?: EnqueueManyOptions) => {
    const agent = agentOf(ref)
    const { db } = parseOptions(enqueueManyOptionsSchema, options, 'enqueueRuns')
    const runs = items.map((item, index) => prepareRun(agent, item, 'enqueueRuns', index))
    await start()
    return insertRuns(target, agent, runs, db)
  }

  const startWorkers = async (options?: WorkerOptions) => {
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
  }

  const stop = (options?: StopOptions) => {
    stopping ??= (async () => {
      await Promise.all([...workerSets].map((workers) => workers.stop(options)))
      if (owned && started) {
        await started.catch(() => {})
        await boss.stop({ graceful: true, timeout: 2_000 })
      }
    })()
    return stopping
  }

  return {
    boss,
    start,
    enqueueRun: enqueueRun as AgentQueue['enqueueRun'],
    enqueueRuns,
    schedule: (ref, cron, input, options) => scheduleRuns(boss, agentOf(ref), cron, input, options, start),
    unschedule: (ref, options) => unscheduleRuns(boss, agentOf(ref), options, start),
    startWorkers,
    getQueueHealth: async () => {
      await start()
      return queueHealth(boss, schema, registry.all())
    },
    stop,
    stopOnSignals: (options) => stopOnSignals(stop, onError, options),
  }
}

function isRegistry(agents: AgentRegistry | readonly AnyAgent[]): agents is AgentRegistry {
  return !Array.isArray(agents)
}

/** The registered agent for a slug or an agent object (which must be the very agent registered). */
function registeredAgent(registry: AgentRegistry, ref: AnyAgent | string): AnyAgent {
  const agent = registry.get(typeof ref === 'string' ? ref : ref.slug)
  if (typeof ref !== 'string' && agent !== ref) {
    throw new Error(`Agent "${ref.slug}" is not the agent registered with this queue under that slug`)
  }
  return agent
}

/** Calls `stop` on the signals; returns a function that removes the handlers. */
function stopOnSignals(
  stop: (options?: StopOptions) => Promise<void>,
  onError: (error: unknown) => void,
  options?: StopOptions & { signals?: readonly NodeJS.Signals[] },
): () => void {
  const { signals = ['SIGTERM', 'SIGINT'], ...stopOptions } = options ?? {}
  const handler = () => {
    stop(stopOptions).catch(onError)
  }
  for (const signal of signals) process.once(signal, handler)
  return () => {
    for (const signal of signals) process.removeListener(signal, handler)
  }
}
