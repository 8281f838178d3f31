'use client'
import { type ActionResult, approve, reject } from '@modules/approvals/actions'
import { useActionState, useState, useTransition } from 'react'

/** Approve, or reject with feedback (and optionally re-run). Shown only to roles that may decide. */
export function ApprovalActions({ tenant, id, canRerun }: { tenant: string; id: string; canRerun: boolean }) {
  const [result, setResult] = useState<ActionResult>({})
  const [pending, start] = useTransition()
  const [rejected, rejectAction, rejecting] = useActionState<ActionResult, FormData>(reject.bind(null, tenant, id), {})
  const shown = rejected.ok || rejected.error ? rejected : result
  return (
    <div data-approval-actions>
      <button
        type="button"
        disabled={pending || rejecting}
        onClick={() => start(async () => setResult(await approve(tenant, id)))}
      >
        Approve
      </button>
      <form action={rejectAction} style={{ marginTop: '1rem' }}>
        <label>
          Feedback for the agent
          <textarea name="feedback" rows={3} maxLength={5000} />
        </label>
        {canRerun && (
          <label>
            <input type="checkbox" name="rerun" /> Re-run the agent with this feedback
          </label>
        )}
        <button type="submit" className="danger" disabled={pending || rejecting}>
          Reject
        </button>
      </form>
      {shown.message && (
        <p className="ok" role="status">
          {shown.message}
        </p>
      )}
      {shown.error && (
        <p className="error" role="alert">
          {shown.error}
        </p>
      )}
    </div>
  )
}
