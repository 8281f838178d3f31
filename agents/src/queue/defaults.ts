/** Defaults of the queue binding, resolved once in options.ts. */

/** Per-queue retry, expiry and retention policy (see `QueuePolicy` in options.ts for each field). */
export const DEFAULT_QUEUE_POLICY = Object.freeze({
  retryLimit: 3,
  retryDelaySeconds: 5,
  retryBackoff: true,
  retryDelayMaxSeconds: 600,
  /** Expiry defaults to the agent's own `timeoutMs` plus this margin, so the run times out before the job. */
  expireMarginSeconds: 30,
  heartbeatSeconds: 30 as number | null,
  deleteAfterSeconds: 7 * 24 * 3600,
  retentionSeconds: 14 * 24 * 3600,
  deadLetterRetentionSeconds: 30 * 24 * 3600,
})

export const DEFAULT_SCHEMA = 'pgboss'

export const DEFAULT_WORKERS = Object.freeze({
  concurrency: 10,
  /** Batch size when not given: small, because a batch holds its fetch loop until its slowest run ends. */
  maxDefaultBatchSize: 5,
  pollingIntervalSeconds: 2,
  notifyPollingIntervalSeconds: 5,
})

export const DEFAULT_STOP = Object.freeze({
  graceMs: 30_000,
  /** After the grace period: how long aborted runs get to unwind before the instance stops anyway. */
  abortWaitMs: 5_000,
})
