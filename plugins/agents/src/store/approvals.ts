/**
 * Approval rows: deciding, applying, expiring and superseding, each in one statement so two people or
 * two workers can never both win.
 */
import type { Payload } from 'payload'
import { APPROVAL_STATUS as A, RUN_STATUS as R } from '../constants.ts'
import type { Id } from '../types.ts'
import { poolOf } from './db.ts'

/**
 * Moves an approval from `pending` to `approved`/`rejected` exactly once. Returns false when it was
 * not pending (already decided, expired) — the caller answers 409.
 */
export async function decideApproval(
  payload: Payload,
  args: { id: Id; status: 'approved' | 'rejected'; reviewer: Id; feedback?: string },
  /** Runs in the decision's transaction once the approval is decided; a throw undoes the decision. */
  within?: (
    decided: { tenant: Id; agent: string },
    query: (text: string, values?: unknown[]) => Promise<unknown>,
  ) => Promise<void>,
): Promise<boolean> {
  const client = await poolOf(payload).connect()
  try {
    await client.query('BEGIN')
    const { rows } = await client.query<{ tenant_id: Id; agent: string }>(
      `UPDATE approvals
          SET status = $2, reviewer_id = $3, feedback = $4, decided_at = now(), updated_at = now()
        WHERE id = $1 AND status = '${A.pending}' AND (expires_at IS NULL OR expires_at > now())
        RETURNING tenant_id, agent`,
      [args.id, args.status, args.reviewer, args.feedback ?? null],
    )
    if (rows.length !== 1) {
      await client.query('ROLLBACK')
      return false
    }
    await within?.({ tenant: rows[0]!.tenant_id, agent: rows[0]!.agent }, (text, values) => client.query(text, values))
    await client.query('COMMIT')
    return true
  } catch (error) {
    await client.query('ROLLBACK').catch(() => {})
    throw error
  } finally {
    client.release()
  }
}

/** Marks an approved approval applied; false if it already was (so apply effects are recorded once). */
export async function markApplied(payload: Payload, id: Id): Promise<boolean> {
  const { rowCount } = await poolOf(payload).query(
    `UPDATE approvals SET status = '${A.applied}', applied_at = now(), error = NULL, updated_at = now()
      WHERE id = $1 AND status = '${A.approved}'`,
    [id],
  )
  return rowCount === 1
}

/** Takes back an approval whose apply could not be queued, so it can be approved again. */
export async function reopenApproval(payload: Payload, id: Id): Promise<void> {
  await poolOf(payload).query(
    `UPDATE approvals SET status = '${A.pending}', decided_at = NULL WHERE id = $1 AND status = '${A.approved}'`,
    [id],
  )
}

/** Expires pending approvals whose time ran out; returns their run ids. */
export async function expireApprovals(payload: Payload): Promise<string[]> {
  const { rows } = await poolOf(payload).query<{ run_id: string }>(
    `UPDATE approvals SET status = '${A.expired}', updated_at = now()
      WHERE status = '${A.pending}' AND expires_at <= now() RETURNING run_id`,
  )
  return rows.map((r) => r.run_id)
}

/** Cancels the runs whose approval expired, while they still await it. */
export async function cancelExpiredRuns(payload: Payload, runIds: string[]): Promise<void> {
  await poolOf(payload).query(
    `UPDATE agent_runs SET status = '${R.cancelled}', updated_at = now(),
            error = jsonb_build_object('code', '${R.cancelled}', 'message', 'the approval expired')
      WHERE run_id = ANY($1) AND status = '${R.awaitingApproval}'`,
    [runIds],
  )
}

/**
 * After approval `appliedId` was applied: the other pending approvals of the same agent, tenant,
 * document and locale propose changes to content that has just changed, so they are closed
 * (`expired`, with the reason) and their runs, still awaiting approval, cancelled. Returns their ids.
 */
export async function supersedeApprovals(payload: Payload, appliedId: Id): Promise<Id[]> {
  const { rows } = await poolOf(payload).query<{ id: Id; run_id: string }>(
    `WITH applied AS (
       SELECT a.id, a.agent, a.tenant_id, a.target_collection, a.target_doc_id,
              coalesce(r.input->>'locale', '') AS locale
         FROM approvals a LEFT JOIN agent_runs r ON r.run_id = a.run_id
        WHERE a.id = $1 AND a.target_doc_id IS NOT NULL
     )
     UPDATE approvals o
        SET status = '${A.expired}', error = 'Superseded by approval ' || applied.id || ', applied to the same document.',
            updated_at = now()
       FROM applied
      WHERE o.status = '${A.pending}' AND o.id <> applied.id AND o.agent = applied.agent
        AND o.tenant_id = applied.tenant_id AND o.target_collection = applied.target_collection
        AND o.target_doc_id = applied.target_doc_id
        AND coalesce((SELECT r.input->>'locale' FROM agent_runs r WHERE r.run_id = o.run_id), '') = applied.locale
  RETURNING o.id, o.run_id`,
    [appliedId],
  )
  if (rows.length)
    await poolOf(payload).query(
      `UPDATE agent_runs SET status = '${R.cancelled}', updated_at = now(),
              error = jsonb_build_object('code', '${R.cancelled}', 'message', 'superseded by approval ' || $2::text)
        WHERE run_id = ANY($1) AND status = '${R.awaitingApproval}'`,
      [rows.map((r) => r.run_id), String(appliedId)],
    )
  return rows.map((r) => r.id)
}
