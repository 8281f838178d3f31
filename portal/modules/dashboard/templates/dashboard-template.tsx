import type { ApprovalRow } from '@lib/data/approvals'
import type { DayFigure, FailingRun, OrdersFigure } from '@lib/data/dashboard'
import { OrdersChart, RunsChart } from '@modules/dashboard/components/charts'
import Link from 'next/link'

export interface DashboardData {
  tenant: { id: string; name: string }
  runs: { days: DayFigure[]; total: number }
  pending: { docs: ApprovalRow[]; total: number }
  failing: { docs: FailingRun[]; total: number }
  orders: OrdersFigure
}

export function DashboardTemplate({ data }: { data: DashboardData }) {
  const spend = data.runs.days.reduce((sum, d) => sum + d.spendUsd, 0)
  const base = `/t/${data.tenant.id}`
  return (
    <>
      <h1>{data.tenant.name}</h1>
      <div className="cards">
        <div className="card" data-figure="runs">
          Runs (30 days)<strong>{data.runs.days.reduce((s, d) => s + d.runs, 0)}</strong>
        </div>
        <div className="card" data-figure="spend">
          Spend (30 days)<strong>${spend.toFixed(2)}</strong>
        </div>
        <div className="card" data-figure="pending">
          <Link href={`${base}/approvals`}>Pending approvals</Link>
          <strong>{data.pending.total}</strong>
        </div>
        <div className="card" data-figure="failing">
          <Link href={`${base}/runs?status=failed`}>Failed runs</Link>
          <strong>{data.failing.total}</strong>
        </div>
      </div>
      <div className="grid2">
        <RunsChart days={data.runs.days} />
        <OrdersChart orders={data.orders} />
      </div>
      <div className="grid2">
        <section>
          <h2>Waiting for you</h2>
          <ul>
            {data.pending.docs.map((a) => (
              <li key={a.id}>
                <Link href={`${base}/approvals/${a.id}`}>
                  {a.agent} on {a.target.collection} {a.target.docId}
                </Link>
              </li>
            ))}
            {!data.pending.docs.length && <li>Nothing pending.</li>}
          </ul>
        </section>
        <section>
          <h2>Failing runs</h2>
          <ul>
            {data.failing.docs.map((r) => (
              <li key={r.id}>
                <Link href={`${base}/runs/${r.id}`}>{r.agent}</Link>: {r.error?.message ?? 'failed'}
              </li>
            ))}
            {!data.failing.docs.length && <li>No failures.</li>}
          </ul>
        </section>
      </div>
    </>
  )
}
