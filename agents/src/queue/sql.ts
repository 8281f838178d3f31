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
