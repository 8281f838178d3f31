/**
 * The bridge's raw SQL, as functions of the pg-boss schema name (STYLE: SQL has one home per package).
 * Live queue counts come from the runtime's `countLiveJobs` (`@bizosaas/agents/queue`).
 */
import { JOB_STATE } from '@bizosaas/agents/queue'

/**
 * The newest failed jobs of one queue (`$1` queue name, `$2` how many), newest first: the products
 * whose sync gave up, with pg-boss's output (the error) and when.
 */
export function recentFailedJobs(schema: string): string {
  return `
    SELECT data, output, completed_on FROM ${schema}.job
    WHERE name = $1 AND state = '${JOB_STATE.failed}'
    ORDER BY completed_on DESC LIMIT $2
  `
}
