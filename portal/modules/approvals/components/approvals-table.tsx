'use client'
import type { ApprovalRow } from '@lib/data/approvals'
import { type ActionResult, approveMany } from '@modules/approvals/actions'
import Link from 'next/link'
import { useState, useTransition } from 'react'

/** Pending approvals with bulk approve (for roles that may review). */
export function ApprovalsTable({
  tenant,
  approvals,
  canReview,
}: {
  tenant: string
  approvals: ApprovalRow[]
  canReview: boolean
}) {
  const [chosen, setChosen] = useState<Set<string>>(new Set())
  const [result, setResult] = useState<ActionResult>({})
  const [pending, start] = useTransition()
  const toggle = (id: string) =>
    setChosen((prev) => {
      const next = new Set(prev)
      next.has(id) ? next.delete(id) : next.add(id)
      return next
    })
  if (!approvals.length) return <p data-empty>No approvals are waiting.</p>
  return (
    <>
      {canReview && (
        <p>
          <button
            type="button"
            disabled={!chosen.size || pending}
            onClick={() =>
              start(async () => {
                setResult(await approveMany(tenant, [...chosen]))
                setChosen(new Set())
              })
            }
          >
            Approve selected ({chosen.size})
          </button>
        </p>
      )}
      {result.message && (
        <p className="ok" role="status">
          {result.message}
        </p>
      )}
      {result.error && (
        <p className="error" role="alert">
          {result.error}
        </p>
      )}
      <table data-approvals>
        <thead>
          <tr>
            {canReview && <th />}
            <th>Agent</th>
            <th>Target</th>
            <th>Proposed</th>
            <th>Created</th>
          </tr>
        </thead>
        <tbody>
          {approvals.map((a) => (
            <tr key={a.id} data-approval={a.id}>
              {canReview && (
                <td>
                  <input
                    type="checkbox"
                    aria-label={`Choose approval ${a.id}`}
                    checked={chosen.has(String(a.id))}
                    onChange={() => toggle(String(a.id))}
                  />
                </td>
              )}
              <td>
                <Link href={`/t/${tenant}/approvals/${a.id}`}>{a.agent}</Link>
              </td>
              <td>
                {a.target.collection} {a.target.docId}
              </td>
              <td>{a.summary}</td>
              <td>{new Date(a.createdAt).toLocaleString('en-GB', { timeZone: 'UTC' })}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  )
}
