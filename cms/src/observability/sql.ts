/** The SQL of the platform metrics (metrics.ts), as functions of the pg-boss schema names. */

const ident = (name: string) => {
  if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`"${name}" is not a plain schema name`)
  return `"${name}"`
}

/** Which of the schemas ($1, text[]) hold a pg-boss job table (a schema appears once pg-boss first started). */
export const EXISTING_QUEUE_SCHEMAS = `SELECT s AS schema FROM unnest($1::text[]) AS s WHERE to_regclass(s || '.job') IS NOT NULL`

/** Unfinished jobs per queue and state, with the age in seconds of the oldest, over existing pg-boss schemas. */
export function queueJobs(schemas: readonly string[]): string | undefined {
  if (!schemas.length) return undefined
  return schemas
    .map(
      (schema) => `SELECT name AS queue, state::text AS state, count(*)::int AS jobs,
        extract(epoch FROM now() - min(created_on))::float8 AS oldest
      FROM ${ident(schema)}.job
      WHERE state < 'completed'
      GROUP BY name, state`,
    )
    .join('\nUNION ALL\n')
}

export const PLATFORM_SQL = {
  runs: `SELECT agent, status::text AS status, count(*)::int AS runs FROM agent_runs GROUP BY agent, status`,
  models: `SELECT split_part(coalesce(name, 'unknown'), ':', 1) AS provider,
        count(*)::int AS calls,
        count(*) FILTER (WHERE is_error)::int AS errors,
        coalesce(sum(input_tokens), 0)::float8 AS input,
        coalesce(sum(output_tokens), 0)::float8 AS output,
        coalesce(sum(cached_tokens), 0)::float8 AS cached,
        coalesce(sum(cost_usd), 0)::float8 AS cost
      FROM agent_steps WHERE kind = 'model-call' GROUP BY 1`,
  syncFailures: `SELECT tenant_id::text AS tenant, count(*)::int AS failed
      FROM product_content WHERE sync_state = 'failed' GROUP BY tenant_id`,
} as const
