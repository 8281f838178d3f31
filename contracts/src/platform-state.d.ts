/** Anything that runs SQL with positional parameters: a pg Client or Pool. */
export type Query = (text: string, values?: unknown[]) => Promise<{ rows: unknown[] }>

/** How often a worker process beats. */
export declare const HEARTBEAT_INTERVAL_MS: 10000
/** A worker whose last beat is older than this many intervals is missing. */
export declare const MISSING_AFTER_BEATS: 3
/** A missing worker's row is deleted this long after its last beat (by the alerts check). */
export declare const FORGET_WORKER_AFTER_SECONDS: 600
/** Deletes the rows of workers that have not beaten for $1 seconds. */
export declare const DELETE_STALE_HEARTBEATS: string
/** The pg-boss schema the platform's queues live in. */
export declare const PGBOSS_SCHEMA: 'pgboss'

export declare function createHeartbeatsTable(): string
export declare function dropHeartbeatsTable(): string
/** Upserts a worker's row ($1 id, $2 kind, $3 host, $4 pid, $5 version, $6 queues). */
export declare const UPSERT_HEARTBEAT: string
/** Deletes a worker's row ($1 id). */
export declare const DELETE_HEARTBEAT: string

export interface WorkerState {
  id: string
  /** `worker` (a `pnpm worker` process) or `cms` (the worker inside the CMS of `pnpm dev`). */
  kind: string
  host: string
  pid: number
  version: string
  queues: string[]
  startedAt: string
  beatAt: string
  uptimeSeconds: number
  beatAgeSeconds: number
  /** The last beat is older than MISSING_AFTER_BEATS intervals. */
  missing: boolean
}

export interface QueueState {
  name: string
  deadLetterQueue: string | null
  /** Ready to run now. */
  queued: number
  /** Waiting for their start time. */
  deferred: number
  active: number
  /** Failed at least once, waiting for the next attempt. */
  retry: number
  /** Age of the oldest job ready to run; null when none is. */
  oldestQueuedSeconds: number | null
  /** Jobs waiting in the dead-letter queue (kept there for a look or a redrive). */
  deadLetters: number
  /** Age of the newest of them; null when there is none. */
  newestDeadLetterSeconds: number | null
}

export interface FailedRuns {
  tenantId: number | null
  tenant: string | null
  failed: number
  lastAt: string
}

export interface PostgresState {
  version: string
  database: string
  sizeBytes: number
}

export declare function readWorkers(query: Query, options?: { intervalMs?: number }): Promise<WorkerState[]>
export declare function readQueues(query: Query, options?: { schema?: string }): Promise<QueueState[]>
export declare function readFailedRuns(query: Query, options?: { sinceSeconds?: number }): Promise<FailedRuns[]>
export declare function readPostgres(query: Query): Promise<PostgresState>
