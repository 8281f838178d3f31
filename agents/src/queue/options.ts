/**
 * Options of the queue binding and their validation: every argument check of src/queue lives here.
 * The interfaces document each option; the zod schemas enforce them at the boundary.
 */
import { type Db, PgBoss } from 'pg-boss'
import { z } from 'zod'
import type { AnyAgent } from '../agent.ts'
import type { EventSink } from '../events.ts'
import type { AgentRegistry } from '../registry.ts'
import type { RunOptions, RunResult } from '../run.ts'
import type { RunState } from '../state.ts'
import {
  DEFAULT_CRASH_RECOVERY,
  DEFAULT_QUEUE_POLICY,
  DEFAULT_SCHEMA,
  DEFAULT_STOP,
  DEFAULT_WORKERS,
} from './defaults.ts'

/** Retry, expiry and retention of an agent's queue. Applied to the queue row, so existing jobs follow it. */
export interface QueuePolicy {
  /** Retries after the first attempt before the job is dead-lettered. @default 3 */
  retryLimit?: number
  /** Delay before a retry, in seconds (the base of the backoff). @default 5 */
  retryDelaySeconds?: number
  /** Exponential backoff with jitter: about `retryDelaySeconds * 2^retry`. @default true */
  retryBackoff?: boolean
  /** Upper bound of the backoff, in seconds. @default 600 */
  retryDelayMaxSeconds?: number
  /**
   * Seconds a run may stay active before pg-boss aborts it (its signal) and retries it.
   * @default the agent's `timeoutMs` plus 30 s
   */
  expireInSeconds?: number
  /**
   * Heartbeat interval in seconds (>= 10), or `null` for none. Workers refresh it every half interval, so a
   * crashed worker's run is retried after about this long instead of after the full expiry.
   * @default 30
   */
  heartbeatSeconds?: number | null
  /** How long finished jobs are kept, in seconds (0 keeps them). @default 7 days */
  deleteAfterSeconds?: number
  /** How long a job may wait in the queue before it is dropped, in seconds. @default 14 days */
  retentionSeconds?: number
  /** How long a dead-lettered run waits in `agent.<slug>.dead` for a redrive, in seconds. @default 30 days */
  deadLetterRetentionSeconds?: number
}

/** What the worker hands to `execute` for each job. */
export interface AgentJob {
  agent: AnyAgent
  /** Input as enqueued (validated against the agent's schema at enqueue time). */
  input: unknown
  runId: string
  tenant?: string
  /** Aborted on job expiry, lost heartbeat, or when shutdown's grace period ends. */
  signal: AbortSignal
  /** pg-boss job id. */
  jobId: string
  /** 0 for the first attempt; retries count up (a crashed worker's hand-back counts too, see `crashes`). */
  attempt: number
  /** How often a worker died while holding this run (each hand-back counts one; none spends a model retry). */
  crashes: number
  /** Name of the schedule that created the job, if any. */
  schedule?: string
  /** The `x-request-id` of the request that started the run, if any. */
  requestId?: string
}

/** Runs one job. The default calls `runAgent` (with `sink`, `runOptions` and saved state from `loadState`). */
export type ExecuteRun = (job: AgentJob) => Promise<RunResult>

/** Options of `createAgentQueue`. Give exactly one of `connectionString` and `boss`. */
export interface AgentQueueOptions {
  /** PostgreSQL URL; the queue then owns a pg-boss instance (LISTEN/NOTIFY on) and starts and stops it. */
  connectionString?: string
  /**
   * A pg-boss instance you start and stop yourself. For low latency construct it with `useListenNotify: true`;
   * `schema` below must be the schema it was constructed with.
   */
  boss?: PgBoss
  /** pg-boss schema. @default 'pgboss' */
  schema?: string
  /** The agents this queue can run: a registry or a list (slugs must be unique). */
  agents: AgentRegistry | readonly AnyAgent[]
  /** Where runs send their events (the Payload plugin's Postgres sink). */
  sink?: EventSink
  /** Extra `runAgent` options (providers, per-tenant provider options, budgets), fixed or per job. */
  runOptions?: RunOptionsInput | ((job: AgentJob) => RunOptionsInput | Promise<RunOptionsInput>)
  /** Saved state of a run, read on retries so a crashed run resumes instead of starting over. */
  loadState?: (runId: string, job: AgentJob) => Promise<RunState | undefined>
  /** Replaces the run itself (tests, custom runtimes). @default runAgent */
  execute?: ExecuteRun
  /** Policy of every agent queue. */
  policy?: QueuePolicy
  /** Per-agent overrides of `policy`, by slug. */
  policies?: Record<string, QueuePolicy>
  /** Wake workers by LISTEN/NOTIFY when a run is enqueued (polling stays as a backstop). @default true */
  notify?: boolean
  /** Extra pg-boss constructor options for the owned instance (e.g. `superviseIntervalSeconds`). */
  pgBoss?: Record<string, unknown>
  /** pg-boss and worker errors. @default a pino error line (service `agents`, LOG_LEVEL) */
  onError?: (error: unknown) => void
}

/** `runAgent` options the queue lets you set (it sets run id, tenant, signal, sink and resume itself). */
export type RunOptionsInput = Omit<RunOptions, 'runId' | 'tenant' | 'signal' | 'resume'>

/** Options of `enqueueRun`. */
export interface EnqueueOptions {
  /** Tenant the run belongs to: its jobs form one pg-boss group (per-tenant fairness). */
  tenant?: string
  /**
   * At most one queued or running run per key (per agent and tenant): a second enqueue returns the live run
   * with `deduplicated: true`. Once that run finishes, the key is free again.
   */
  dedupeKey?: string
  /** Not before this time: a Date, an ISO string, or seconds from now. */
  startAfter?: Date | string | number
  /** Higher runs first. @default 0 */
  priority?: number
  /** Id of the run (e.g. the run row's id). @default the job id */
  runId?: string
  /** The `x-request-id` of the request that started the run; kept in the job (`requestId`) for the worker's logs. */
  requestId?: string
}

/** One run of `enqueueRuns`. */
export interface EnqueueItem extends EnqueueOptions {
  input: unknown
}

/** Options of the whole batch of `enqueueRuns`. */
export interface EnqueueManyOptions {
  /**
   * Connection to insert the jobs with, e.g. the caller's open transaction on the same database, so the runs
   * are enqueued only if the caller's own writes commit. @default pg-boss's pool
   */
  db?: Db
}

/** Options of `schedule`. */
export interface ScheduleOptions {
  tenant?: string
  /** Distinguishes several schedules of one agent and tenant. @default 'default' */
  key?: string
  /** IANA time zone of the cron expression. @default 'UTC' */
  tz?: string
  priority?: number
  /**
   * Connection to write the schedule row with, e.g. the caller's open transaction on the same database,
   * so the schedule commits or rolls back with the caller's own writes. @default pg-boss's pool
   */
  db?: Db
}

/** Options of `startWorkers`. */
export interface WorkerOptions {
  /** Slugs of the agents to work. @default every agent of the queue */
  agents?: readonly string[]
  /**
   * How these workers run a job, given when they start (a host wires its runtime here, so producers that
   * only enqueue never load it). @default the queue's `execute`, else `runAgent` with the queue's options
   */
  execute?: ExecuteRun
  /** Most runs in flight per agent queue in this process. @default 10 */
  concurrency?: number
  /**
   * Jobs claimed per fetch. A batch holds its fetch loop until its slowest run ends, so keep it small for long,
   * uneven runs and raise it for throughput (full batches are fetched back to back: `burstWhenBatchFull`).
   * Each agent queue gets `ceil(concurrency / batchSize)` fetch loops.
   * @default min(concurrency, 5)
   */
  batchSize?: number
  /** Most runs of one tenant in flight per agent queue (pg-boss group concurrency; the tenant is the group). */
  perTenantConcurrency?: number
  /**
   * Where `perTenantConcurrency` is counted: `cluster` — active jobs in the database, across every worker
   * process (concurrent fetches can overshoot it briefly); `process` — in memory, exact, this process only.
   * @default 'cluster'
   */
  perTenantScope?: 'cluster' | 'process'
  /** Poll interval when LISTEN/NOTIFY is off or down, in seconds (>= 0.5). @default 2 */
  pollingIntervalSeconds?: number
  /** Backstop poll while NOTIFY is active (retries and deferred runs are found by polling). @default 5 */
  notifyPollingIntervalSeconds?: number
  /** Finding and handing back a dead worker's runs; `false` leaves it to pg-boss's heartbeat expiry. */
  crashRecovery?: CrashRecoveryOptions | false
  /**
   * Called (from the sweep, see `crashRecovery`) with runs that reached their agent's dead-letter queue, however
   * they got there: a run error no retry fixes, the last retry, pg-boss's expiry, the crash limit. Each is
   * reported once (marked on its dead-letter job) after this resolves; a throw reports them again on the next
   * sweep, so make it idempotent. The host marks its run rows failed here.
   */
  onDeadLetter?: (letters: DeadLetter[]) => Promise<void>
}

/**
 * How a worker process finds the runs of a worker that died (SIGKILL, OOM, a lost host) and hands them back.
 * Every worker refreshes its runs' heartbeat every `heartbeatRefreshSeconds`; every `sweepIntervalSeconds` each
 * worker process hands back the active jobs whose heartbeat is `releaseAfterSeconds` old: at once, with a
 * NOTIFY, and without spending one of the retries meant for model and provider errors (crashes are counted
 * apart, up to `crashLimit`). The queue's `heartbeatSeconds` (pg-boss's own expiry, which does spend a retry)
 * stays the backstop for when no worker runs. Every worker process of a queue must use the same timings.
 */
export interface CrashRecoveryOptions {
  /** Heartbeat refresh of this process's runs, in seconds. @default 2 */
  heartbeatRefreshSeconds?: number
  /** Heartbeat age after which a run's worker counts as dead, in seconds (>= 2 refreshes). @default 6 */
  releaseAfterSeconds?: number
  /** How often this process looks for dead workers' runs and unreported dead letters, in seconds. @default 1 */
  sweepIntervalSeconds?: number
  /** Crashes one run may go through; the next one dead-letters it (reason `worker-crashed`). @default 5 */
  crashLimit?: number
  /**
   * Other queues whose crashed jobs this process hands back too (worked elsewhere with `heartbeatSeconds` on the
   * queue and this `heartbeatRefreshSeconds`), e.g. a host's apply queue.
   */
  queues?: readonly string[]
}

/** A run that reached its agent's dead-letter queue: it will not run again unless redriven or retried. */
export interface DeadLetter {
  /** Agent slug. */
  agent: string
  runId: string
  tenant?: string
  /** Why it ended: the run's error, a worker crash, or pg-boss's expiry (`job heartbeat timeout`, `job timed out`). */
  reason: { code: string; message: string }
  /** Id of the job in `agent.<slug>.dead`. */
  jobId: string
  /** Id of the job that failed. */
  sourceJobId?: string
}

/** Options of `stop`. */
export interface StopOptions {
  /** How long in-flight runs may take to finish before they are aborted and handed back. @default 30000 */
  graceMs?: number
}

// --- schemas ---------------------------------------------------------------------------------------------

const IDENTIFIER = /^[a-z_][a-z0-9_]{0,62}$/
/** Characters pg-boss accepts in schedule keys; tenant ids and keys are used there. */
const KEY = /^[\w.\-/]+$/
const isFunction = (value: unknown) => typeof value === 'function'

const seconds = (min: number, max = 365 * 24 * 3600) => z.number().int().min(min).max(max)

export const queuePolicySchema = z
  .object({
    retryLimit: z.number().int().min(0).max(1000).optional(),
    retryDelaySeconds: seconds(0).optional(),
    retryBackoff: z.boolean().optional(),
    retryDelayMaxSeconds: seconds(1).optional(),
    // pg-boss caps expiry at 24 hours.
    expireInSeconds: seconds(1, 24 * 3600).optional(),
    heartbeatSeconds: seconds(10).nullable().optional(),
    deleteAfterSeconds: seconds(0).optional(),
    retentionSeconds: seconds(1).optional(),
    deadLetterRetentionSeconds: seconds(1).optional(),
  })
  .strict()

const tenantSchema = z.string().regex(KEY, 'tenant may only contain letters, digits, _ . - /').max(200)

export const agentQueueOptionsSchema = z
  .object({
    connectionString: z.string().min(1).optional(),
    boss: z.instanceof(PgBoss).optional(),
    schema: z.string().regex(IDENTIFIER, 'schema must be a lower-case SQL identifier').default(DEFAULT_SCHEMA),
    agents: z.custom<AgentRegistry | readonly AnyAgent[]>(
      (value) => Array.isArray(value) || (typeof value === 'object' && value !== null && 'get' in value),
      'agents must be an agent registry or an array of agents',
    ),
    sink: z.custom<EventSink>((value) => typeof value === 'object' && value !== null && 'emit' in value).optional(),
    runOptions: z.union([z.record(z.string(), z.unknown()), z.custom<() => unknown>(isFunction)]).optional(),
    loadState: z.custom<AgentQueueOptions['loadState']>(isFunction).optional(),
    execute: z.custom<ExecuteRun>(isFunction).optional(),
    policy: queuePolicySchema.optional(),
    policies: z.record(z.string(), queuePolicySchema).optional(),
    notify: z.boolean().default(true),
    pgBoss: z.record(z.string(), z.unknown()).optional(),
    onError: z.custom<(error: unknown) => void>(isFunction).optional(),
  })
  .strict()
  .refine((o) => Boolean(o.connectionString) !== Boolean(o.boss), 'give exactly one of connectionString and boss')

export const enqueueOptionsSchema = z
  .object({
    tenant: tenantSchema.optional(),
    dedupeKey: z.string().min(1).max(500).optional(),
    startAfter: z.union([z.date(), z.string().min(1), z.number().min(0)]).optional(),
    priority: z.number().int().min(-1_000_000).max(1_000_000).optional(),
    runId: z.string().min(1).max(200).optional(),
    requestId: z.string().min(1).max(200).optional(),
  })
  .strict()

const dbSchema = z.custom<Db>(
  (value) => typeof (value as Partial<Db> | null)?.executeSql === 'function',
  'db must have executeSql(text, values)',
)

export const enqueueManyOptionsSchema = z.object({ db: dbSchema.optional() }).strict()

export const scheduleOptionsSchema = z
  .object({
    tenant: tenantSchema.optional(),
    key: z.string().regex(KEY, 'key may only contain letters, digits, _ . - /').max(200).default('default'),
    tz: z.string().min(1).optional(),
    priority: z.number().int().min(-1_000_000).max(1_000_000).optional(),
    db: dbSchema.optional(),
  })
  .strict()

export const crashRecoverySchema = z
  .object({
    heartbeatRefreshSeconds: z.number().min(0.5).max(3600).default(DEFAULT_CRASH_RECOVERY.heartbeatRefreshSeconds),
    releaseAfterSeconds: seconds(2, 3600).default(DEFAULT_CRASH_RECOVERY.releaseAfterSeconds),
    sweepIntervalSeconds: z.number().min(0.2).max(3600).default(DEFAULT_CRASH_RECOVERY.sweepIntervalSeconds),
    crashLimit: z.number().int().min(0).max(1000).default(DEFAULT_CRASH_RECOVERY.crashLimit),
    queues: z.array(z.string().min(1)).default([]),
  })
  .strict()
  .refine(
    (o) => o.releaseAfterSeconds >= 2 * o.heartbeatRefreshSeconds,
    'releaseAfterSeconds must be at least twice heartbeatRefreshSeconds (a live worker must not look dead)',
  )

export type ResolvedCrashRecovery = z.output<typeof crashRecoverySchema>

export const workerOptionsSchema = z
  .object({
    agents: z.array(z.string()).optional(),
    execute: z.custom<ExecuteRun>(isFunction, 'execute must be a function').optional(),
    concurrency: z.number().int().min(1).max(100_000).default(DEFAULT_WORKERS.concurrency),
    batchSize: z.number().int().min(1).max(10_000).optional(),
    perTenantConcurrency: z.number().int().min(1).optional(),
    perTenantScope: z.enum(['cluster', 'process']).default('cluster'),
    pollingIntervalSeconds: z.number().min(0.5).default(DEFAULT_WORKERS.pollingIntervalSeconds),
    notifyPollingIntervalSeconds: z.number().min(0.5).default(DEFAULT_WORKERS.notifyPollingIntervalSeconds),
    crashRecovery: z.union([z.literal(false), crashRecoverySchema]).default(() => crashRecoverySchema.parse({})),
    onDeadLetter: z.custom<WorkerOptions['onDeadLetter']>(isFunction).optional(),
  })
  .strict()
  .refine(
    (o) => o.notifyPollingIntervalSeconds >= o.pollingIntervalSeconds,
    'notifyPollingIntervalSeconds must be at least pollingIntervalSeconds',
  )

export const stopOptionsSchema = z.object({ graceMs: z.number().int().min(0).default(DEFAULT_STOP.graceMs) }).strict()

/** The shape every job of an agent queue carries (`AgentJobData`). */
export const jobDataSchema = z.object({
  v: z.literal(1),
  runId: z.string().optional(),
  tenant: z.string().optional(),
  input: z.unknown(),
  schedule: z.string().optional(),
  /** The `x-request-id` of the request that started the run, for the worker's log lines. */
  requestId: z.string().optional(),
  /** Written by the crash sweep (`releaseCrashedJobs`), not by producers. */
  crashes: z.number().int().min(0).optional(),
})

export type AgentJobData = z.infer<typeof jobDataSchema>

/** Parses options, throwing one error that names the function and lists every issue. */
export function parseOptions<S extends z.ZodType>(schema: S, value: unknown, where: string): z.output<S> {
  const parsed = schema.safeParse(value ?? {})
  if (parsed.success) return parsed.data
  const lines = parsed.error.issues.map((issue) => `  - ${issue.path.join('.') || '(options)'}: ${issue.message}`)
  throw new TypeError(`Invalid options for ${where}:\n${lines.join('\n')}`)
}

/** A queue policy with every default filled in. */
export type ResolvedQueuePolicy = Required<Omit<QueuePolicy, 'heartbeatSeconds'>> & { heartbeatSeconds: number | null }

/** Merges defaults, the queue-wide policy and the agent's override; expiry follows the agent's timeout. */
export function resolvePolicy(agent: AnyAgent, policy?: QueuePolicy, override?: QueuePolicy): ResolvedQueuePolicy {
  const merged = { ...policy, ...override }
  const d = DEFAULT_QUEUE_POLICY
  return {
    retryLimit: merged.retryLimit ?? d.retryLimit,
    retryDelaySeconds: merged.retryDelaySeconds ?? d.retryDelaySeconds,
    retryBackoff: merged.retryBackoff ?? d.retryBackoff,
    retryDelayMaxSeconds: merged.retryDelayMaxSeconds ?? d.retryDelayMaxSeconds,
    expireInSeconds: Math.min(
      merged.expireInSeconds ?? Math.ceil(agent.timeoutMs / 1000) + d.expireMarginSeconds,
      24 * 3600,
    ),
    heartbeatSeconds: merged.heartbeatSeconds === undefined ? d.heartbeatSeconds : merged.heartbeatSeconds,
    deleteAfterSeconds: merged.deleteAfterSeconds ?? d.deleteAfterSeconds,
    retentionSeconds: merged.retentionSeconds ?? d.retentionSeconds,
    deadLetterRetentionSeconds: merged.deadLetterRetentionSeconds ?? d.deadLetterRetentionSeconds,
  }
}

/** Batch size and fetch loops per queue for a concurrency. */
export function resolveBatching(concurrency: number, batchSize?: number): { batchSize: number; loops: number } {
  const size = Math.min(batchSize ?? Math.min(concurrency, DEFAULT_WORKERS.maxDefaultBatchSize), concurrency)
  return { batchSize: size, loops: Math.ceil(concurrency / size) }
}
