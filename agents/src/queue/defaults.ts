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

/**
 * Crash recovery (see `CrashRecoveryOptions` in options.ts). A live worker refreshes its runs' heartbeat every
 * 2 s; a run whose heartbeat is 6 s old (three refreshes missed) belongs to a dead worker and is handed back
 * by the next sweep (every second), so a killed worker's runs resume, and free their tenant's slots, within
 * about 7 s of the kill. pg-boss's own heartbeat expiry (`heartbeatSeconds`, checked each supervise pass)
 * stays as the backstop when no worker sweeps.
 */
export const DEFAULT_CRASH_RECOVERY = Object.freeze({
  heartbeatRefreshSeconds: 2,
  releaseAfterSeconds: 6,
  sweepIntervalSeconds: 1,
  crashLimit: 5,
})

export const DEFAULT_STOP = Object.freeze({
  graceMs: 30_000,
  /** After the grace period: how long aborted runs get to unwind before the instance stops anyway. */
  abortWaitMs: 5_000,
})
