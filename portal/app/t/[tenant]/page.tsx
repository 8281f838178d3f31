import { listApprovals } from '@lib/data/approvals'
import { failingRuns, orderFigures, runFigures } from '@lib/data/dashboard'
import { requireTenantAndLoad } from '@lib/session'
import { DashboardTemplate } from '@modules/dashboard/templates/dashboard-template'

export default async function DashboardPage({ params }: { params: Promise<{ tenant: string }> }) {
  const { tenant, data } = await requireTenantAndLoad((await params).tenant, (token, id) =>
    Promise.all([runFigures(token, id), listApprovals(token, id, 'pending', 5), failingRuns(token, id)]),
  )
  // Orders need the tenant's sales channel, which comes with the session.
  const [[runs, pending, failing], orders] = await Promise.all([data, orderFigures(tenant.salesChannelId)])
  return <DashboardTemplate data={{ tenant, runs, pending, failing, orders }} />
}
