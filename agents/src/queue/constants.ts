/** Names and status values of the queue binding, frozen so code compares against one spelling. */

/** Every agent has its own queue `agent.<slug>`; failed runs land in `agent.<slug>.dead`. */
export const QUEUE_PREFIX = 'agent.'
export const DEAD_LETTER_SUFFIX = '.dead'

/** The queue that runs an agent. */
export const queueName = (slug: string): string => `${QUEUE_PREFIX}${slug}`

/** The dead-letter queue of an agent's queue. */
export const deadLetterName = (slug: string): string => `${QUEUE_PREFIX}${slug}${DEAD_LETTER_SUFFIX}`

/**
 * pg-boss job states (its `job_state` enum), as this package reads them in SQL and health reports.
 * Ordered as in the enum: `created < retry < active < completed < cancelled < failed`.
 */
export const JOB_STATE = Object.freeze({
  created: 'created',
  retry: 'retry',
  active: 'active',
  completed: 'completed',
  cancelled: 'cancelled',
  failed: 'failed',
} as const)

export type JobState = (typeof JOB_STATE)[keyof typeof JOB_STATE]

/**
 * How a worker settles a job after its run (pg-boss `perJobResults` dispositions):
 * `completed` — the run reached a final state that retrying cannot change (succeeded, awaiting approval);
 * `failed` — a transient failure, retried with backoff until the retry limit, then dead-lettered;
 * `deadletter` — a failure no retry will fix (invalid input or output, budget, step limit): straight to the DLQ.
 */
export const JOB_DISPOSITION = Object.freeze({
  completed: 'completed',
  failed: 'failed',
  deadletter: 'deadletter',
} as const)

export type JobDisposition = (typeof JOB_DISPOSITION)[keyof typeof JOB_DISPOSITION]

/** Version of the job payload shape (`AgentJobData`); bump when it changes incompatibly. */
export const JOB_DATA_VERSION = 1

/**
 * Run error codes worth another attempt: a provider outage, a timeout, a failed (idempotent) apply or a bug
 * that may be a race. Everything else (invalid input/output, step limit, budget) fails the same way again.
 */
export const RETRYABLE_ERROR_CODES: ReadonlySet<string> = Object.freeze(
  new Set(['provider', 'timeout', 'apply-failed', 'internal']),
)

/** Singleton-key prefixes: one live job per key on an `exclusive` queue (see README, "De-duplication"). */
export const SINGLETON_KEY = Object.freeze({
  dedupe: 'dedupe:',
  run: 'run:',
  schedule: 'schedule:',
} as const)
