import { listApprovals } from '@lib/data/approvals'
import { can } from '@lib/roles'
import { requireTenantAndLoad } from '@lib/session'
import { ApprovalsTable } from '@modules/approvals/components/approvals-table'
import { AutoRefresh } from '@modules/layout/components/auto-refresh'

export default async function ApprovalsPage({ params }: { params: Promise<{ tenant: string }> }) {
  const { tenant, role, data } = await requireTenantAndLoad((await params).tenant, (token, id) =>
    listApprovals(token, id),
  )
  const { docs, total } = await data
  return (
    <>
      <h1>Approvals</h1>
      <p>{total} pending</p>
      <ApprovalsTable tenant={tenant.id} approvals={docs} canReview={can(role, 'review')} />
      <AutoRefresh />
    </>
  )
}
