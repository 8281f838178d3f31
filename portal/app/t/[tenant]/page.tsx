import { listApprovals } from '@lib/data/approvals'
import { failingRuns, orderFigures, runFigures } from '@lib/data/dashboard'
import { requireTenant } from '@lib/session'
import { DashboardTemplate } from '@modules/dashboard/templates/dashboard-template'

export default async function DashboardPage({ params }: { params: Promise<{ tenant: string }> }) {
  const { session, tenant } = await requireTenant((await params).tenant)
  const [runs, pending, failing, orders] = await Promise.all([
    runFigures(session.token, tenant.id),
    listApprovals(session.token, tenant.id, 'pending', 5),
    failingRuns(session.token, tenant.id),
    orderFigures(tenant.salesChannelId),
  ])
  return <DashboardTemplate data={{ tenant, runs, pending, failing, orders }} />
}
