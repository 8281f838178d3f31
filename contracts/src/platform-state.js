// The platform's state as the CMS database holds it, read the same way by `pnpm status` (scripts/status.ts)
// and the alerts job (cms/src/ops/alerts.ts); written by every worker process (cms/src/ops/heartbeat.ts):
// the `worker_heartbeats` table, pg-boss's queues with their dead-letter queues, and failed agent runs.
// Plain SQL on any `query(text, values)` (a pg Client or Pool). Types: platform-state.d.ts.

/** How often a worker process beats. */
export const HEARTBEAT_INTERVAL_MS = 10_000

/** A worker whose last beat is older than this many intervals is missing. */
export const MISSING_AFTER_BEATS = 3

/**
 * A missing worker's row is deleted this long after its last beat (by the alerts check, once its incident
 * was notified), so a crashed worker does not keep `pnpm status` red forever.
 */
export const FORGET_WORKER_AFTER_SECONDS = 600

/** The pg-boss schema the platform's queues live in. */
export const PGBOSS_SCHEMA = 'pgboss'

/** The table every worker process upserts its row into (made by the CMS migration `worker_heartbeats`). */
export function createHeartbeatsTable() {
  return `
    CREATE TABLE IF NOT EXISTS worker_heartbeats (
      id text PRIMARY KEY,
      kind text NOT NULL,
      host text NOT NULL,
      pid integer NOT NULL,
      version text NOT NULL,
      queues text[] NOT NULL DEFAULT '{}',
      started_at timestamptz NOT NULL DEFAULT now(),
      beat_at timestamptz NOT NULL DEFAULT now()
    );
  `
}

export function dropHeartbeatsTable() {
  return 'DROP TABLE IF EXISTS worker_heartbeats;'
}

/** Upserts a worker's row ($1 id, $2 kind, $3 host, $4 pid, $5 version, $6 queues). */
export const UPSERT_HEARTBEAT = `
  INSERT INTO worker_heartbeats (id, kind, host, pid, version, queues, started_at, beat_at)
  VALUES ($1, $2, $3, $4, $5, $6, now(), now())
  ON CONFLICT (id) DO UPDATE SET beat_at = now(), queues = EXCLUDED.queues
`

/** Deletes the rows of workers that have not beaten for $1 seconds. */
export const DELETE_STALE_HEARTBEATS =
  'DELETE FROM worker_heartbeats WHERE beat_at < now() - make_interval(secs => $1::float8)'

/** Deletes a worker's row ($1 id) when it stops gracefully. */
export const DELETE_HEARTBEAT = 'DELETE FROM worker_heartbeats WHERE id = $1'

/**
 * @param {import('./platform-state.d.ts').Query} query
 * @param {string} name
 */
async function relationExists(query, name) {
  const { rows } = await query('SELECT to_regclass($1) IS NOT NULL AS present', [name])
  return Boolean(/** @type {{ present: boolean }} */ (rows[0])?.present)
}

/**
 * Every worker that has a row, oldest first, with `missing` when its last beat is older than
 * MISSING_AFTER_BEATS intervals (by the database's clock, so hosts' clocks do not matter).
 * @param {import('./platform-state.d.ts').Query} query
 * @param {{ intervalMs?: number }} [options]
 * @returns {Promise<import('./platform-state.d.ts').WorkerState[]>}
 */
export async function readWorkers(query, { intervalMs = HEARTBEAT_INTERVAL_MS } = {}) {
  if (!(await relationExists(query, 'worker_heartbeats'))) return []
  const { rows } = await query(
    `SELECT id, kind, host, pid, version, queues, started_at,  beat_at,
            extract(epoch FROM now() - started_at)::float8 AS uptime_seconds,
            extract(epoch FROM now() - beat_at)::float8 AS beat_age_seconds,
            beat_at < now() - make_interval(secs => $1::float8 / 1000) AS missing
       FROM worker_heartbeats ORDER BY started_at, id`,
    [intervalMs * MISSING_AFTER_BEATS],
  )
  return /** @type {any[]} */ (rows).map((row) => ({
    id: row.id,
    kind: row.kind,
    host: row.host,
    pid: Number(row.pid),
    version: row.version,
    queues: row.queues ?? [],
    startedAt: new Date(row.started_at).toISOString(),
    beatAt: new Date(row.beat_at).toISOString(),
    uptimeSeconds: Math.round(row.uptime_seconds),
    beatAgeSeconds: Math.round(row.beat_age_seconds),
    missing: Boolean(row.missing),
  }))
}

/**
 * Live counts of every pg-boss queue that is not itself a dead-letter queue: ready, deferred, active,
 * retrying, the age of the oldest job ready to run, and the jobs waiting in its dead-letter queue.
 * A queue is a dead-letter queue when another queue names it as `dead_letter` (agents' `agent.<slug>.dead`,
 * the bridge's `medusa.product-sync.dead`). pg-boss's own `__pgboss__*` queues are left out.
 * @param {import('./platform-state.d.ts').Query} query
 * @param {{ schema?: string }} [options]
 * @returns {Promise<import('./platform-state.d.ts').QueueState[]>}
 */
export async function readQueues(query, { schema = PGBOSS_SCHEMA } = {}) {
  if (!/^[a-z_][a-z0-9_]*$/.test(schema)) throw new Error(`not a schema name: ${schema}`)
  if (!(await relationExists(query, `${schema}.queue`))) return []
  const { rows } = await query(
    `WITH live AS (
       SELECT name,
              count(*) FILTER (WHERE state = 'created' AND start_after <= now())::int AS queued,
              count(*) FILTER (WHERE state = 'created' AND start_after > now())::int AS deferred,
              count(*) FILTER (WHERE state = 'active')::int AS active,
              count(*) FILTER (WHERE state = 'retry')::int AS retry,
              count(*) FILTER (WHERE state IN ('created', 'retry'))::int AS waiting,
              extract(epoch FROM now() - min(created_on) FILTER (WHERE state = 'created' AND start_after <= now()))::float8
                AS oldest_queued_seconds,
              extract(epoch FROM now() - max(created_on) FILTER (WHERE state IN ('created', 'retry')))::float8
                AS newest_waiting_seconds
         FROM ${schema}.job
        WHERE state IN ('created', 'retry', 'active')
        GROUP BY name
     )
     SELECT q.name, q.dead_letter,
            coalesce(l.queued, 0) AS queued, coalesce(l.deferred, 0) AS deferred,
            coalesce(l.active, 0) AS active, coalesce(l.retry, 0) AS retry,
            l.oldest_queued_seconds, coalesce(d.waiting, 0) AS dead_letters,
            d.newest_waiting_seconds AS newest_dead_letter_seconds
       FROM ${schema}.queue q
       LEFT JOIN live l ON l.name = q.name
       LEFT JOIN live d ON d.name = q.dead_letter
      WHERE NOT EXISTS (SELECT 1 FROM ${schema}.queue o WHERE o.dead_letter = q.name)
        AND q.name NOT LIKE '\\_\\_pgboss\\_\\_%'
      ORDER BY q.name`,
  )
  return /** @type {any[]} */ (rows).map((row) => ({
    name: row.name,
    deadLetterQueue: row.dead_letter ?? null,
    queued: Number(row.queued),
    deferred: Number(row.deferred),
    active: Number(row.active),
    retry: Number(row.retry),
    oldestQueuedSeconds: row.oldest_queued_seconds == null ? null : Math.round(row.oldest_queued_seconds),
    deadLetters: Number(row.dead_letters),
    newestDeadLetterSeconds: row.newest_dead_letter_seconds == null ? null : Math.round(row.newest_dead_letter_seconds),
  }))
}

/**
 * Agent runs that ended `failed` in the last `sinceSeconds`, per tenant (most first).
 * @param {import('./platform-state.d.ts').Query} query
 * @param {{ sinceSeconds?: number }} [options]
 * @returns {Promise<import('./platform-state.d.ts').FailedRuns[]>}
 */
export async function readFailedRuns(query, { sinceSeconds = 3600 } = {}) {
  if (!(await relationExists(query, 'agent_runs'))) return []
  const { rows } = await query(
    `SELECT r.tenant_id, t.slug, count(*)::int AS failed, max(coalesce(r.finished_at, r.updated_at)) AS last_at
       FROM agent_runs r LEFT JOIN tenants t ON t.id = r.tenant_id
      WHERE r.status = 'failed' AND coalesce(r.finished_at, r.updated_at) > now() - make_interval(secs => $1::float8)
      GROUP BY r.tenant_id, t.slug
      ORDER BY failed DESC, r.tenant_id`,
    [sinceSeconds],
  )
  return /** @type {any[]} */ (rows).map((row) => ({
    tenantId: row.tenant_id == null ? null : Number(row.tenant_id),
    tenant: row.slug ?? null,
    failed: Number(row.failed),
    lastAt: new Date(row.last_at).toISOString(),
  }))
}

/**
 * The server's version and the current database's size.
 * @param {import('./platform-state.d.ts').Query} query
 * @returns {Promise<import('./platform-state.d.ts').PostgresState>}
 */
export async function readPostgres(query) {
  const { rows } = await query(
    `SELECT current_setting('server_version') AS version, current_database() AS database,
            pg_database_size(current_database())::float8 AS size_bytes`,
  )
  const row = /** @type {any} */ (rows[0])
  return { version: row.version, database: row.database, sizeBytes: Number(row.size_bytes) }
}
