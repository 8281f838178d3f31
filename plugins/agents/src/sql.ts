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
