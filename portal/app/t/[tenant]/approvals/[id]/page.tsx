import { getApproval } from '@lib/data/approvals'
import { can } from '@lib/roles'
import { requireTenantAndLoad } from '@lib/session'
import { ApprovalActions } from '@modules/approvals/components/approval-actions'
import { ApprovalDiff } from '@modules/approvals/components/approval-diff'
import { AutoRefresh } from '@modules/layout/components/auto-refresh'
import Link from 'next/link'
import { notFound } from 'next/navigation'

export default async function ApprovalPage({ params }: { params: Promise<{ tenant: string; id: string }> }) {
  const { tenant: tenantId, id } = await params
  const { tenant, role, data } = await requireTenantAndLoad(tenantId, (token, t) => getApproval(token, t, id))
  const approval = await data
  if (!approval) notFound()
  const runId = typeof approval.agentRun === 'object' ? approval.agentRun?.id : approval.agentRun
  return (
    <>
      <p>
        <Link href={`/t/${tenant.id}/approvals`}>← Approvals</Link>
      </p>
      <h1>
        {approval.agent} on {approval.target?.collection} {approval.target?.docId}
      </h1>
      <p>
        Status:{' '}
        <span className="pill" data-status={approval.status} data-approval-status>
          {approval.status}
        </span>
        {runId && (
          <>
            {' '}
            · <Link href={`/t/${tenant.id}/runs/${runId}`}>run</Link>
          </>
        )}
      </p>
      <ApprovalDiff current={approval.current} proposed={approval.proposed} />
      {approval.status === 'pending' ? (
        can(role, 'review') ? (
          <ApprovalActions tenant={tenant.id} id={String(approval.id)} canRerun />
        ) : (
          <p className="note" data-read-only>
            Your role (client) can read proposals; a manager or tenant admin approves them.
          </p>
        )
      ) : (
        approval.feedback && <p>Feedback: {approval.feedback}</p>
      )}
      {approval.status === 'approved' && <AutoRefresh intervalMs={1500} />}
    </>
  )
}
