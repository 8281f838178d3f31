/**
 * The raw SQL of the queue binding, as functions of the pg-boss schema name (validated in options.ts, so it
 * is a plain identifier). Everything else goes through pg-boss's API; these are what it does not offer.
 */
import { JOB_STATE } from './constants.ts'

/**
 * Live job counts per queue, state and whether the job waits for its `startAfter` (`$1`: queue names).
 * Reads only the live states, which pg-boss indexes (`job_i14`); completed jobs are never scanned.
 */
export function countLiveJobs(schema: string): string {
  return `
    SELECT name, state::text AS state, (start_after > ${schema}.job_now()) AS deferred, count(*)::int AS count
    FROM ${schema}.job
    WHERE name = ANY($1::text[])
      AND state IN ('${JOB_STATE.created}', '${JOB_STATE.retry}', '${JOB_STATE.active}', '${JOB_STATE.failed}')
    GROUP BY 1, 2, 3
  `
}

/**
 * Hands active jobs back to the queue without spending an attempt (`$1` queue, `$2` ids, `$3` `id:retryCount`
 * pairs). Same effect as pg-boss's internal `restore()`: state `created` and `started_on` cleared, so the next
 * claim does not count as a retry. Fenced like pg-boss's own settles: only the attempt this worker holds, and
 * only while it is still active, so a job another worker has since claimed is left alone.
 */
export function releaseActiveJobs(schema: string): string {
  return `
    UPDATE ${schema}.job
    SET state = '${JOB_STATE.created}', started_on = NULL, heartbeat_on = NULL
    WHERE name = $1
      AND id = ANY($2::uuid[])
      AND state = '${JOB_STATE.active}'
      AND (id::text || ':' || retry_count::text) = ANY($3::text[])
    RETURNING id
  `
}

/**
 * Makes the attempt in hand the last one (`$1` queue, `$2` ids, `$3` `id:retryCount` pairs): the retry limit
 * becomes the retries used, so the `fail` that follows ends the job and pg-boss copies it to the queue's
 * dead-letter queue. For runs no retry will fix. Fenced like `releaseActiveJobs`.
 */
export function exhaustRetries(schema: string): string {
  return `
    UPDATE ${schema}.job
    SET retry_limit = retry_count
    WHERE name = $1
      AND id = ANY($2::uuid[])
      AND state = '${JOB_STATE.active}'
      AND (id::text || ':' || retry_count::text) = ANY($3::text[])
  `
}

/**
 * The wake-up pg-boss's own inserts send: `pg_notify` on the channel pg-boss derives from its schema
 * (`plans.notifyChannelSql` in pg-boss 12; `$1` queue name). Workers listening on the schema fetch that
 * queue at once instead of at their next poll.
 */
export function notifyQueue(schema: string): string {
  return `SELECT pg_notify('pgboss_' || left(encode(sha224('${schema}'::bytea), 'hex'), 24), $1)`
}

/**
 * Hands back the jobs of workers that died (`$1` queue names, `$2` seconds without a heartbeat, `$3` crash
 * limit). A live worker refreshes `heartbeat_on` every `heartbeatRefreshSeconds`, so an active job whose
 * heartbeat is `$2` seconds old belongs to a process that is gone (SIGKILL, OOM, a lost host). Such a job goes
 * back to `created` at once, notified, and without spending a model retry: `retry_count` and `retry_limit` both
 * go up by one (so the dead worker's fenced settles no longer match, and the run resumes as a retry), and
 * `data.crashes` counts the crash. Its priority goes up by one, so live workers take it before the runs queued
 * after it: jobs inserted together share `created_on`, and pg-boss fetches ties in index order, where the
 * updated row now comes last (a handed-back run waited for the rest of its batch of 100). A job that has
 * reached the crash limit is left active and returned with `over_limit`, for the caller to fail into the
 * dead-letter queue.
 */
export function releaseCrashedJobs(schema: string): string {
  return `
    WITH stale AS (
      SELECT name, id, retry_count, COALESCE((data->>'crashes')::int, 0) AS crashes
      FROM ${schema}.job
      WHERE name = ANY($1::text[])
        AND state = '${JOB_STATE.active}'
        AND heartbeat_seconds IS NOT NULL
        AND heartbeat_on < ${schema}.job_now() - $2::int * interval '1 second'
      FOR UPDATE SKIP LOCKED
    ),
    released AS (
      UPDATE ${schema}.job j
      SET state = '${JOB_STATE.created}', started_on = NULL, heartbeat_on = NULL, start_after = ${schema}.job_now(),
        retry_count = j.retry_count + 1, retry_limit = j.retry_limit + 1, priority = j.priority + 1,
        data = COALESCE(j.data, '{}'::jsonb) || jsonb_build_object('crashes', s.crashes + 1)
      FROM stale s
      WHERE j.name = s.name AND j.id = s.id AND s.crashes < $3::int
      RETURNING j.name, j.id, j.retry_count, (j.data->>'crashes')::int AS crashes
    )
    SELECT name, id, retry_count AS "retryCount", crashes, false AS "overLimit" FROM released
    UNION ALL
    SELECT name, id, retry_count AS "retryCount", crashes, true AS "overLimit" FROM stale WHERE crashes >= $3::int
  `
}

/**
 * Dead-lettered runs not yet reported (`$1` dead-letter queue names, `$2` limit): jobs waiting in an agent's
 * dead-letter queue whose `output` is still empty. The report marks them (`markDeadLettersReported`); a redrive
 * clears `output` with the rest of the job, so a run that dies again is reported again.
 */
export function unreportedDeadLetters(schema: string): string {
  return `
    SELECT name, id, data, source_name AS "sourceName", source_id AS "sourceId", source_output AS "sourceOutput"
    FROM ${schema}.job
    WHERE name = ANY($1::text[])
      AND state IN ('${JOB_STATE.created}', '${JOB_STATE.retry}')
      AND output IS NULL
    ORDER BY created_on
    LIMIT $2::int
  `
}

/** Marks dead letters as reported (`$1` queue names, `$2` ids, `$3` the report as JSON). */
export function markDeadLettersReported(schema: string): string {
  return `
    UPDATE ${schema}.job
    SET output = $3::jsonb
    WHERE name = ANY($1::text[]) AND id = ANY($2::uuid[]) AND output IS NULL
  `
}

/**
 * The live job holding each singleton key (`$1` queue, `$2` keys): queued, waiting for a retry or active, the
 * states in which an `exclusive` queue refuses another job with the key. Read after a bulk insert refused some.
 */
export function findLiveJobsByKey(schema: string): string {
  return `
    SELECT id, singleton_key AS key, data->>'runId' AS "runId"
    FROM ${schema}.job
    WHERE name = $1
      AND singleton_key = ANY($2::text[])
      AND state IN ('${JOB_STATE.created}', '${JOB_STATE.retry}', '${JOB_STATE.active}')
  `
}
