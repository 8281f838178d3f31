/**
 * Workers of agent queues: each job runs the agent with a signal tied to job expiry, heartbeat loss and
 * shutdown; its result decides whether the job completes, is retried, or goes straight to the dead-letter queue.
 * Beside them, the crash sweep: dead workers' runs handed back, dead letters reported to the host.
 */
import type { Job, PgBoss } from 'pg-boss'
import { AgentInputError, type AnyAgent } from '../agent.ts'
import type { RunResult } from '../run.ts'
import {
  DEAD_LETTER_SUFFIX,
  deadLetterName,
  JOB_DISPOSITION,
  type JobDisposition,
  QUEUE_PREFIX,
  queueName,
  RETRYABLE_ERROR_CODES,
} from './constants.ts'
import { DEFAULT_STOP } from './defaults.ts'
import {
  type AgentJobData,
  type DeadLetter,
  type ExecuteRun,
  jobDataSchema,
  parseOptions,
  type ResolvedCrashRecovery,
  resolveBatching,
  type StopOptions,
  stopOptionsSchema,
  type WorkerOptions,
} from './options.ts'
import {
  exhaustRetries,
  markDeadLettersReported,
  notifyQueue,
  releaseActiveJobs,
  releaseCrashedJobs,
  unreportedDeadLetters,
} from './sql.ts'

/** The reason a run's signal carries when shutdown's grace period ends; the job goes back to the queue. */
export class QueueShutdownError extends Error {
  override name = 'QueueShutdownError'
  constructor() {
    super('Worker shut down: run handed back to the queue')
  }
}

/** Running workers of one `startWorkers` call. */
export interface AgentWorkers {
  /** Queues worked, e.g. `agent.seo-writer`. */
  readonly queues: readonly string[]
  /** Runs in flight in this process. */
  inFlight(): number
  /**
   * Stops fetching, lets in-flight runs finish within `graceMs`, then aborts the rest and hands their jobs back
   * to the queue without spending an attempt. Resolves when every handler has settled.
   */
  stop(options?: StopOptions): Promise<void>
}

/** What a worker pool needs from its queue. */
export interface WorkerContext {
  boss: PgBoss
  schema: string
  execute: ExecuteRun
  onError: (error: unknown) => void
}

export interface ResolvedWorkerOptions {
  agents: readonly AnyAgent[]
  concurrency: number
  batchSize?: number
  perTenantConcurrency?: number
  perTenantScope: 'cluster' | 'process'
  pollingIntervalSeconds: number
  notifyPollingIntervalSeconds: number
  crashRecovery: ResolvedCrashRecovery | false
  onDeadLetter?: WorkerOptions['onDeadLetter']
}

interface InFlightRun {
  job: Job<AgentJobData>
  queue: string
  controller: AbortController
  released: boolean
}

/** How one job of a batch settles. */
interface Settlement {
  job: Job<AgentJobData>
  status: JobDisposition
  output: object
}

/** The output stored on a failed job (and copied to the dead-letter queue as `sourceOutput`). */
export interface RunSummary {
  runId: string
  status: RunResult['status']
  error?: RunResult['error']
  usage?: RunResult['usage']
  steps?: number
  applied?: boolean
}

/** How a job settles for a run result: retried only when another attempt could end differently. */
export function dispositionOf(result: Pick<RunResult, 'status' | 'error'>): JobDisposition {
  if (result.status === 'succeeded' || result.status === 'awaiting-approval') return JOB_DISPOSITION.completed
  // Cancelled here means pg-boss aborted the job (expiry, lost heartbeat); a shutdown release never settles.
  if (result.status === 'cancelled') return JOB_DISPOSITION.failed
  return result.error && RETRYABLE_ERROR_CODES.has(result.error.code)
    ? JOB_DISPOSITION.failed
    : JOB_DISPOSITION.deadletter
}

function errorOutput(error: unknown): { error: { name: string; message: string; code?: string } } {
  if (error instanceof AgentInputError)
    return { error: { name: error.name, message: error.message, code: 'invalid-input' } }
  if (error instanceof Error) return { error: { name: error.name, message: error.message } }
  return { error: { name: 'Error', message: String(error) } }
}

/** Dead letters read per sweep. */
const DEAD_LETTER_BATCH = 100

/** The run error a dead letter's `sourceOutput` carries: a run summary, a thrown error, or pg-boss's expiry. */
export function deadLetterReason(sourceOutput: unknown): DeadLetter['reason'] {
  const output = (sourceOutput ?? {}) as {
    error?: { code?: string; message?: string; name?: string }
    value?: { message?: string }
    message?: string
  }
  if (output.error?.message) return { code: output.error.code ?? 'internal', message: output.error.message }
  const message = output.value?.message ?? output.message
  if (message === 'job heartbeat timeout')
    return { code: 'worker-lost', message: 'The worker running it stopped responding (job heartbeat timeout)' }
  if (message === 'job timed out') return { code: 'timeout', message: 'The run outlasted its queue expiry' }
  return { code: 'internal', message: message ?? 'The run failed for good (no reason recorded)' }
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined
  const timeout = new Promise<boolean>((resolve) => {
    timer = setTimeout(() => resolve(false), ms)
  })
  return Promise.race([promise.then(() => true), timeout]).finally(() => clearTimeout(timer))
}

/** Starts pg-boss workers on the agents' queues. */
export async function startAgentWorkers(context: WorkerContext, options: ResolvedWorkerOptions): Promise<AgentWorkers> {
  const { boss, schema, execute, onError } = context
  const inFlight = new Map<string, InFlightRun>()
  const queues = options.agents.map((agent) => queueName(agent.slug))
  const registrations: Array<{ queue: string; workId: string }> = []
  let stopping = false
  let releasing: Promise<unknown> | undefined
  let stopped: Promise<void> | undefined

  /** Hands active jobs back to their queue; returns the ids the database actually released. */
  const release = async (jobs: ReadonlyArray<{ job: Job<AgentJobData>; queue: string }>): Promise<Set<string>> => {
    const released = new Set<string>()
    const byQueue = new Map<string, Array<Job<AgentJobData>>>()
    for (const { job, queue } of jobs) byQueue.set(queue, [...(byQueue.get(queue) ?? []), job])
    for (const [queue, list] of byQueue) {
      const ids = list.map((job) => job.id)
      const attempts = list.map((job) => `${job.id}:${job.retryCount}`)
      const { rows } = await boss.getDb().executeSql(releaseActiveJobs(schema), [queue, ids, attempts])
      for (const row of rows as Array<{ id: string }>) released.add(row.id)
    }
    return released
  }

  /**
   * Fails the batch's failed runs one by one (they are rare) before pg-boss completes the rest. A run that no
   * retry will fix first gets its retry limit set to the attempts it has used, so the same `fail` ends it and
   * pg-boss dead-letters it. An error here rejects the handler, and pg-boss then fails (retries) the batch.
   */
  const settleFailures = async (queue: string, settlements: Array<Settlement | undefined>) => {
    const failed = settlements.filter((s): s is Settlement => s !== undefined && s.status !== JOB_DISPOSITION.completed)
    const dead = failed.filter((s) => s.status === JOB_DISPOSITION.deadletter)
    if (dead.length) {
      const ids = dead.map((s) => s.job.id)
      const attempts = dead.map((s) => `${s.job.id}:${s.job.retryCount}`)
      await boss.getDb().executeSql(exhaustRetries(schema), [queue, ids, attempts])
    }
    for (const { job, output } of failed) await boss.fail(queue, { id: job.id, retryCount: job.retryCount }, output)
  }

  const runJob = async (agent: AnyAgent, queue: string, job: Job<AgentJobData>): Promise<Settlement | undefined> => {
    // Claimed while shutting down (a fetch already on its way): hand it straight back.
    if (stopping) {
      await release([{ job, queue }]).catch(onError)
      return undefined
    }
    const data = jobDataSchema.safeParse(job.data)
    if (!data.success) {
      const message = `Job ${job.id} of ${queue} has no valid agent payload: ${data.error.message}`
      return { job, status: JOB_DISPOSITION.deadletter, output: { error: { name: 'InvalidJob', message } } }
    }
    const entry: InFlightRun = { job, queue, controller: new AbortController(), released: false }
    inFlight.set(job.id, entry)
    const runId = data.data.runId ?? job.id
    // pg-boss aborts job.signal on expiry, lost heartbeat or its own shutdown; forward it to the run's signal.
    const forward = () => entry.controller.abort(job.signal.reason)
    if (job.signal?.aborted) forward()
    else job.signal?.addEventListener('abort', forward, { once: true })
    try {
      const signal = entry.controller.signal
      let settle: Settlement
      try {
        const result = await execute({
          agent,
          input: data.data.input,
          runId,
          tenant: data.data.tenant,
          signal,
          jobId: job.id,
          attempt: job.retryCount,
          crashes: data.data.crashes ?? 0,
          schedule: data.data.schedule,
          requestId: data.data.requestId,
        })
        const status = dispositionOf(result)
        const summary: RunSummary = {
          runId,
          status: result.status,
          error: result.error,
          usage: result.usage,
          steps: result.steps,
          applied: result.applied,
        }
        settle = { job, status, output: summary }
      } catch (error) {
        // Input the schema no longer accepts will not pass on a retry either.
        const status = error instanceof AgentInputError ? JOB_DISPOSITION.deadletter : JOB_DISPOSITION.failed
        settle = { job, status, output: { runId, status: 'failed', ...errorOutput(error) } }
      }
      // A release in progress decides whether this job is still ours to settle.
      if (releasing) await releasing
      return entry.released ? undefined : settle
    } finally {
      job.signal?.removeEventListener('abort', forward)
      inFlight.delete(job.id)
    }
  }

  for (const agent of options.agents) {
    const queue = queueName(agent.slug)
    const { batchSize, loops } = resolveBatching(options.concurrency, options.batchSize)
    const workOptions = {
      batchSize,
      localConcurrency: loops,
      // Fetch again at once while batches come back full (ignored by pg-boss at batchSize 1).
      burstWhenBatchFull: batchSize > 1,
      pollingIntervalSeconds: options.pollingIntervalSeconds,
      notifyPollingIntervalSeconds: options.notifyPollingIntervalSeconds,
      // Often enough that the crash sweep tells a dead worker from a live one within seconds (see sweep below).
      ...(options.crashRecovery ? { heartbeatRefreshSeconds: options.crashRecovery.heartbeatRefreshSeconds } : {}),
      // Tenant = pg-boss group. `groupConcurrency` counts active jobs in the database, across every worker
      // (fetches racing each other can overshoot briefly); `localGroupConcurrency` counts in memory, exact but
      // for this process only. pg-boss takes one or the other.
      ...(options.perTenantConcurrency
        ? options.perTenantScope === 'process'
          ? { localGroupConcurrency: options.perTenantConcurrency }
          : { groupConcurrency: options.perTenantConcurrency }
        : {}),
    }
    const workId = await boss.work<AgentJobData>(queue, workOptions, async (jobs) => {
      const settlements = await Promise.all(jobs.map((job) => runJob(agent, queue, job)))
      await settleFailures(queue, settlements)
      // Returning lets pg-boss complete the batch in one statement. Its settle is fenced to jobs still active
      // under this attempt, so the ones failed above, and the ones handed back, are left as they are.
    })
    registrations.push({ queue, workId })
  }

  // --- the crash sweep ---------------------------------------------------------------------------------------
  const recovery = options.crashRecovery
  const recoverQueues = recovery ? [...new Set([...queues, ...recovery.queues])] : []
  const deadQueues = options.agents.map((agent) => deadLetterName(agent.slug))

  /** Hands back dead workers' jobs; fails into the dead-letter queue the ones past the crash limit. */
  const releaseCrashed = async (limits: ResolvedCrashRecovery) => {
    const db = boss.getDb()
    const { rows } = await db.executeSql(releaseCrashedJobs(schema), [
      recoverQueues,
      limits.releaseAfterSeconds,
      limits.crashLimit,
    ])
    const found = rows as Array<{ name: string; id: string; retryCount: number; crashes: number; overLimit: boolean }>
    for (const name of new Set(found.filter((row) => !row.overLimit).map((row) => row.name)))
      await db.executeSql(notifyQueue(schema), [name])
    for (const row of found.filter((r) => r.overLimit)) {
      // `crashes` counts the earlier hand-backs; this crash is one more.
      const message = `Its worker died while running it, ${row.crashes + 1} time(s) (crash limit ${limits.crashLimit})`
      const output = { error: { name: 'WorkerCrashed', code: 'worker-crashed', message } }
      await db.executeSql(exhaustRetries(schema), [row.name, [row.id], [`${row.id}:${row.retryCount}`]])
      await boss.fail(row.name, { id: row.id, retryCount: row.retryCount }, output)
    }
  }

  /** Reports dead letters not reported yet to the host, then marks them. */
  const reportDeadLetters = async (report: NonNullable<WorkerOptions['onDeadLetter']>) => {
    const db = boss.getDb()
    const { rows } = await db.executeSql(unreportedDeadLetters(schema), [deadQueues, DEAD_LETTER_BATCH])
    const jobs = rows as Array<{ name: string; id: string; data: unknown; sourceId?: string; sourceOutput?: unknown }>
    if (!jobs.length) return
    const letters = jobs.map((job): DeadLetter => {
      const data = jobDataSchema.safeParse(job.data)
      const agent = job.name.slice(QUEUE_PREFIX.length, -DEAD_LETTER_SUFFIX.length)
      return {
        agent,
        runId: (data.success ? data.data.runId : undefined) ?? job.sourceId ?? job.id,
        ...(data.success && data.data.tenant ? { tenant: data.data.tenant } : {}),
        reason: deadLetterReason(job.sourceOutput),
        jobId: job.id,
        ...(job.sourceId ? { sourceJobId: job.sourceId } : {}),
      }
    })
    await report(letters)
    const reportedAt = new Date().toISOString()
    await db.executeSql(markDeadLettersReported(schema), [
      deadQueues,
      jobs.map((job) => job.id),
      JSON.stringify({ reportedAt }),
    ])
  }

  let sweepTimer: NodeJS.Timeout | undefined
  let sweeping: Promise<void> | undefined
  if (recovery) {
    const sweep = async () => {
      try {
        await releaseCrashed(recovery)
        if (options.onDeadLetter) await reportDeadLetters(options.onDeadLetter)
      } catch (error) {
        onError(error)
      }
    }
    sweepTimer = setInterval(() => {
      // One sweep at a time: a slow one is not stacked on.
      sweeping ??= sweep().finally(() => {
        sweeping = undefined
      })
    }, recovery.sweepIntervalSeconds * 1000)
    sweepTimer.unref()
  }

  const stop = async (stopOptions?: StopOptions): Promise<void> => {
    const { graceMs } = parseOptions(stopOptionsSchema, stopOptions, 'stop')
    stopping = true
    clearInterval(sweepTimer)
    await sweeping
    // offWork stops the fetch loops at once; the promise settles when their batches have been settled.
    // By id, so other workers on the same queues (another startWorkers call) keep running.
    const drained = Promise.allSettled(
      registrations.map(({ queue, workId }) => boss.offWork(queue, { id: workId, wait: true })),
    )
    if (await withTimeout(drained, graceMs)) return
    const pending = [...inFlight.values()]
    releasing = release(pending)
      .then((ids) => {
        for (const entry of pending) entry.released = ids.has(entry.job.id)
      })
      .catch(onError)
    await releasing
    for (const entry of pending) if (entry.released) entry.controller.abort(new QueueShutdownError())
    if (!(await withTimeout(drained, DEFAULT_STOP.abortWaitMs))) {
      onError(new Error(`${inFlight.size} run(s) ignored their abort signal; their jobs were handed back anyway`))
    }
  }

  return {
    queues,
    inFlight: () => inFlight.size,
    stop(stopOptions) {
      stopped ??= stop(stopOptions)
      return stopped
    },
  }
}
