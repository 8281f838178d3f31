import { listApprovals } from '@lib/data/approvals'
import { can } from '@lib/roles'
import { requireTenant } from '@lib/session'
import { ApprovalsTable } from '@modules/approvals/components/approvals-table'
import { AutoRefresh } from '@modules/layout/components/auto-refresh'

export default async function ApprovalsPage({ params }: { params: Promise<{ tenant: string }> }) {
  const { session, tenant, role } = await requireTenant((await params).tenant)
  const { docs, total } = await listApprovals(session.token, tenant.id)
  return (
    <>
      <h1>Approvals</h1>
      <p>{total} pending</p>
      <ApprovalsTable tenant={tenant.id} approvals={docs} canReview={can(role, 'review')} />
      <AutoRefresh />
    </>
  )
}
