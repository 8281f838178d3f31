/** Read-only figures: spend, run counts per state and per day, queue depths, recorded tool outputs. */
import { JOB_STATE as J } from '@bizosaas/agents/queue'
import type { Payload } from 'payload'
import { APPROVAL_STATUS as A, RUN_STATUS as R, STEP_KIND } from '../constants.ts'
import type { Id } from '../types.ts'
import { poolOf } from './db.ts'

/** What a tenant's runs of an agent cost since the start of this calendar month (UTC), in USD. */
export async function monthlySpendUsd(payload: Payload, tenant: Id, agent: string): Promise<number> {
  const { rows } = await poolOf(payload).query<{ spent: string | null }>(
    `SELECT coalesce(sum(cost_usd), 0) AS spent FROM agent_steps
      WHERE tenant_id = $1 AND agent = $2 AND kind = '${STEP_KIND.modelCall}'
        AND created_at >= date_trunc('month', now() AT TIME ZONE 'utc') AT TIME ZONE 'utc'`,
    [tenant, agent],
  )
  return Number(rows[0]?.spent ?? 0)
}

/** The average cost of a tenant's finished runs of an agent that cost anything, and its runs queued or running. */
export async function agentRunStats(
  payload: Payload,
  tenant: Id,
  agent: string,
): Promise<{ averageRunUsd: number | null; inFlight: number }> {
  const { rows } = await poolOf(payload).query<{ average: string | null; in_flight: number }>(
    `SELECT
       (SELECT avg(cost_usd) FROM agent_runs
         WHERE tenant_id = $1 AND agent = $2 AND cost_usd > 0
           AND status IN ('${R.awaitingApproval}', '${R.succeeded}', '${R.rejected}', '${R.failed}')) AS average,
       (SELECT count(*)::int FROM agent_runs
         WHERE tenant_id = $1 AND agent = $2 AND status IN ('${R.queued}', '${R.running}')) AS in_flight`,
    [tenant, agent],
  )
  const row = rows[0]
  return { averageRunUsd: row?.average == null ? null : Number(row.average), inFlight: Number(row?.in_flight ?? 0) }
}

/** The outputs of a run's successful tool calls as recorded in its steps, in call order. */
export async function recordedToolOutputs(
  payload: Payload,
  runId: string,
): Promise<{ tool: string; output: unknown }[]> {
  const { rows } = await poolOf(payload).query<{ name: string; data: { output?: unknown } | null }>(
    `SELECT name, data FROM agent_steps
      WHERE run_id = $1 AND kind = '${STEP_KIND.toolCall}' AND NOT coalesce(is_error, false) ORDER BY seq`,
    [runId],
  )
  return rows.map((row) => ({ tool: row.name, output: row.data?.output }))
}

/** Live jobs of one pg-boss queue by state (the apply queue has no agent behind it). */
export async function applyQueueCounts(
  payload: Payload,
  schema: string,
  queue: string,
): Promise<{ queued: number; deferred: number; active: number; retrying: number; failed: number }> {
  if (!/^[a-z_][a-z0-9_]*$/i.test(schema)) throw new Error(`Invalid pg-boss schema name "${schema}"`)
  const { rows } = await poolOf(payload)
    .query<{ state: string; deferred: boolean; count: number }>(
      `SELECT state::text AS state, (start_after > now()) AS deferred, count(*)::int AS count
         FROM ${schema}.job WHERE name = $1 AND state IN ('${J.created}', '${J.retry}', '${J.active}', '${J.failed}')
        GROUP BY 1, 2`,
      [queue],
    )
    .catch((error: { code?: string }) => {
      // Before the first worker starts, pg-boss has not created its schema yet.
      if (error.code === '42P01' || error.code === '3F000') return { rows: [], rowCount: 0 }
      throw error
    })
  const sum = (match: (r: { state: string; deferred: boolean }) => boolean) =>
    rows.filter(match).reduce((total, r) => total + Number(r.count), 0)
  return {
    queued: sum((r) => r.state === J.created && !r.deferred),
    deferred: sum((r) => r.state === J.created && r.deferred),
    active: sum((r) => r.state === J.active),
    retrying: sum((r) => r.state === J.retry),
    failed: sum((r) => r.state === J.failed),
  }
}

/** Runs of these tenants per agent: waiting, running, waiting for a person, failed in the last 24 hours. */
export async function tenantRunCounts(
  payload: Payload,
  tenants: Id[],
): Promise<Map<string, { queued: number; running: number; awaitingApproval: number; failed24h: number }>> {
  const result = new Map<string, { queued: number; running: number; awaitingApproval: number; failed24h: number }>()
  if (tenants.length === 0) return result
  const { rows } = await poolOf(payload).query<{
    agent: string
    queued: number
    running: number
    awaiting: number
    failed: number
  }>(
    `SELECT agent,
            count(*) FILTER (WHERE status = '${R.queued}')::int AS queued,
            count(*) FILTER (WHERE status = '${R.running}')::int AS running,
            count(*) FILTER (WHERE status = '${R.awaitingApproval}')::int AS awaiting,
            count(*) FILTER (WHERE status = '${R.failed}' AND updated_at > now() - interval '24 hours')::int AS failed
       FROM agent_runs
      WHERE tenant_id = ANY($1) AND status IN ('${R.queued}', '${R.running}', '${R.awaitingApproval}', '${R.failed}')
      GROUP BY agent`,
    [tenants],
  )
  for (const r of rows)
    result.set(r.agent, { queued: r.queued, running: r.running, awaitingApproval: r.awaiting, failed24h: r.failed })
  return result
}

/** One UTC day of a tenant's agent activity. */
export interface DailyRunFigure {
  /** YYYY-MM-DD (UTC). */
  day: string
  runs: number
  failed: number
  spendUsd: number
}

/**
 * A tenant's runs, failed runs and spend per UTC day for the last `days` days (today included, days
 * without runs as zeros), plus the tenant's pending approvals — one aggregate query instead of
 * fetching every run.
 */
export async function dailyRunFigures(
  payload: Payload,
  tenant: Id,
  days: number,
): Promise<{ days: DailyRunFigure[]; pendingApprovals: number }> {
  const pool = poolOf(payload)
  const [figures, pending] = await Promise.all([
    pool.query<{ day: string; runs: number; failed: number; spend: string }>(
      `WITH span AS (
         SELECT generate_series((now() AT TIME ZONE 'utc')::date - ($2::int - 1), (now() AT TIME ZONE 'utc')::date, '1 day')::date AS day
       )
       SELECT to_char(span.day, 'YYYY-MM-DD') AS day,
              count(r.id)::int AS runs,
              (count(r.id) FILTER (WHERE r.status = '${R.failed}'))::int AS failed,
              coalesce(sum(r.cost_usd), 0) AS spend
         FROM span
         LEFT JOIN agent_runs r
           ON r.tenant_id = $1
          AND r.created_at >= span.day::timestamp AT TIME ZONE 'utc'
          AND r.created_at < (span.day + 1)::timestamp AT TIME ZONE 'utc'
        GROUP BY span.day
        ORDER BY span.day`,
      [tenant, days],
    ),
    pool.query<{ pending: number }>(
      `SELECT count(*)::int AS pending FROM approvals
        WHERE tenant_id = $1 AND status = '${A.pending}' AND (expires_at IS NULL OR expires_at > now())`,
      [tenant],
    ),
  ])
  return {
    days: figures.rows.map((row) => ({
      day: row.day,
      runs: Number(row.runs),
      failed: Number(row.failed),
      spendUsd: Number(row.spend),
    })),
    pendingApprovals: Number(pending.rows[0]?.pending ?? 0),
  }
}
