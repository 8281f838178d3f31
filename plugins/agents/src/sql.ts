/**
 * The statements Payload's Local API cannot express atomically, against the tables Payload creates
 * for this plugin's collections (snake_case columns). PostgreSQL only.
 */
import type { Payload } from 'payload'
import type { Id } from './types.ts'

interface Pool {
  query<R = Record<string, unknown>>(text: string, values?: unknown[]): Promise<{ rows: R[]; rowCount: number | null }>
}

/** The `pg` pool of Payload's PostgreSQL adapter. */
export function poolOf(payload: Payload): Pool {
  const pool = (payload.db as unknown as { pool?: Pool }).pool
  if (!pool) throw new Error('@bizosaas/plugin-agents needs @payloadcms/db-postgres')
  return pool
}

/**
 * Moves an approval from `pending` to `approved`/`rejected` exactly once. Returns false when it was
 * not pending (already decided, expired) — the caller answers 409.
 */
export async function decideApproval(
  payload: Payload,
  args: { id: Id; status: 'approved' | 'rejected'; reviewer: Id; feedback?: string },
): Promise<boolean> {
  const { rowCount } = await poolOf(payload).query(
    `UPDATE approvals
        SET status = $2, reviewer_id = $3, feedback = $4, decided_at = now(), updated_at = now()
      WHERE id = $1 AND status = 'pending' AND (expires_at IS NULL OR expires_at > now())`,
    [args.id, args.status, args.reviewer, args.feedback ?? null],
  )
  return rowCount === 1
}

/** Marks an approved approval applied; false if it already was (so apply effects are recorded once). */
export async function markApplied(payload: Payload, id: Id): Promise<boolean> {
  const { rowCount } = await poolOf(payload).query(
    `UPDATE approvals SET status = 'applied', applied_at = now(), error = NULL, updated_at = now()
      WHERE id = $1 AND status = 'approved'`,
    [id],
  )
  return rowCount === 1
}

/** Expires pending approvals whose time ran out; returns their run ids. */
export async function expireApprovals(payload: Payload): Promise<string[]> {
  const { rows } = await poolOf(payload).query<{ run_id: string }>(
    `UPDATE approvals SET status = 'expired', updated_at = now()
      WHERE status = 'pending' AND expires_at <= now() RETURNING run_id`,
  )
  return rows.map((r) => r.run_id)
}

/** What a tenant's runs of an agent cost since the start of this calendar month (UTC), in USD. */
export async function monthlySpendUsd(payload: Payload, tenant: Id, agent: string): Promise<number> {
  const { rows } = await poolOf(payload).query<{ spent: string | null }>(
    `SELECT coalesce(sum(cost_usd), 0) AS spent FROM agent_steps
      WHERE tenant_id = $1 AND agent = $2 AND kind = 'model-call'
        AND created_at >= date_trunc('month', now() AT TIME ZONE 'utc') AT TIME ZONE 'utc'`,
    [tenant, agent],
  )
  return Number(rows[0]?.spent ?? 0)
}

/** The next free step number of a run (steps survive a crashed worker, so count from the rows). */
export async function nextStepSeq(payload: Payload, runId: string): Promise<number> {
  const { rows } = await poolOf(payload).query<{ seq: number | null }>(
    'SELECT max(seq) AS seq FROM agent_steps WHERE run_id = $1',
    [runId],
  )
  return (rows[0]?.seq ?? 0) + 1
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
         FROM ${schema}.job WHERE name = $1 AND state IN ('created', 'retry', 'active', 'failed')
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
    queued: sum((r) => r.state === 'created' && !r.deferred),
    deferred: sum((r) => r.state === 'created' && r.deferred),
    active: sum((r) => r.state === 'active'),
    retrying: sum((r) => r.state === 'retry'),
    failed: sum((r) => r.state === 'failed'),
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
            count(*) FILTER (WHERE status = 'queued')::int AS queued,
            count(*) FILTER (WHERE status = 'running')::int AS running,
            count(*) FILTER (WHERE status = 'awaiting-approval')::int AS awaiting,
            count(*) FILTER (WHERE status = 'failed' AND updated_at > now() - interval '24 hours')::int AS failed
       FROM agent_runs
      WHERE tenant_id = ANY($1) AND status IN ('queued', 'running', 'awaiting-approval', 'failed')
      GROUP BY agent`,
    [tenants],
  )
  for (const r of rows)
    result.set(r.agent, { queued: r.queued, running: r.running, awaitingApproval: r.awaiting, failed24h: r.failed })
  return result
}
