/**
 * The statements the Payload Local API cannot express, against the agents plugin's tables (snake_case
 * columns). PostgreSQL only.
 */
import type { Payload } from 'payload'
import type { DescriptionBudget } from './catalog.ts'
import type { Id } from './documents.ts'

interface Pool {
  query<R = Record<string, unknown>>(text: string, values?: unknown[]): Promise<{ rows: R[] }>
}

/** The `pg` pool of Payload's PostgreSQL adapter. */
function poolOf(payload: Payload): Pool {
  const pool = (payload.db as unknown as { pool?: Pool }).pool
  if (!pool) throw new Error('@bizosaas/plugin-commerce-agents needs @payloadcms/db-postgres')
  return pool
}

/**
 * A tenant's spend on an agent this calendar month (UTC, the agents plugin's budget month), the
 * average cost of its finished runs that cost anything, and its runs queued or running.
 */
export async function agentCosts(
  payload: Payload,
  tenant: Id,
  agent: string,
): Promise<Omit<DescriptionBudget, 'monthlyBudgetUsd'>> {
  const { rows } = await poolOf(payload).query<{ spent: string | null; average: string | null; in_flight: number }>(
    `SELECT
       (SELECT coalesce(sum(cost_usd), 0) FROM agent_steps
         WHERE tenant_id = $1 AND agent = $2 AND kind = 'model-call'
           AND created_at >= date_trunc('month', now() AT TIME ZONE 'utc') AT TIME ZONE 'utc') AS spent,
       (SELECT avg(cost_usd) FROM agent_runs
         WHERE tenant_id = $1 AND agent = $2 AND cost_usd > 0
           AND status IN ('awaiting-approval', 'succeeded', 'rejected', 'failed')) AS average,
       (SELECT count(*)::int FROM agent_runs
         WHERE tenant_id = $1 AND agent = $2 AND status IN ('queued', 'running')) AS in_flight`,
    [tenant, agent],
  )
  const row = rows[0]
  return {
    spentUsd: Number(row?.spent ?? 0),
    averageRunUsd: row?.average == null ? null : Number(row.average),
    inFlight: Number(row?.in_flight ?? 0),
  }
}

/** The outputs of a run's successful tool calls, as the agents plugin recorded them, in call order. */
export async function recordedToolOutputs(
  payload: Payload,
  runId: string,
): Promise<{ tool: string; output: unknown }[]> {
  const { rows } = await poolOf(payload).query<{ name: string; data: { output?: unknown } | null }>(
    `SELECT name, data FROM agent_steps
      WHERE run_id = $1 AND kind = 'tool-call' AND NOT coalesce(is_error, false) ORDER BY seq`,
    [runId],
  )
  return rows.map((row) => ({ tool: row.name, output: row.data?.output }))
}
