/** The plugin's raw SQL (pg-boss tables), as functions of the pg-boss schema name. */

const ident = (schema: string) => {
  if (!/^[a-z_][a-z0-9_]*$/.test(schema)) throw new Error(`Not a valid schema name: ${schema}`)
  return `"${schema}"`
}

/** Jobs not started yet (queued or waiting for a retry) whose data names the tenant; $1 = tenant id as text. */
export const countQueuedJobs = (schema: string) =>
  `SELECT count(*)::int AS count FROM ${ident(schema)}.job
   WHERE state IN ('created', 'retry') AND (data->>'tenant' = $1 OR data->>'tenantId' = $1)`

export const deleteQueuedJobs = (schema: string) =>
  `DELETE FROM ${ident(schema)}.job
   WHERE state IN ('created', 'retry') AND (data->>'tenant' = $1 OR data->>'tenantId' = $1)`

/** Cron schedules made for the tenant (agent settings' schedules carry the tenant in their data and key). */
export const countSchedules = (schema: string) =>
  `SELECT count(*)::int AS count FROM ${ident(schema)}.schedule
   WHERE data->>'tenant' = $1 OR data->>'tenantId' = $1 OR key LIKE $1 || '/%'`

export const deleteSchedules = (schema: string) =>
  `DELETE FROM ${ident(schema)}.schedule
   WHERE data->>'tenant' = $1 OR data->>'tenantId' = $1 OR key LIKE $1 || '/%'`

/** Whether pg-boss has made its tables in this schema yet (a fresh database has none). */
export const pgBossInstalled = `SELECT to_regclass($1) IS NOT NULL AS installed`
