import { listRuns, RUN_STATUSES, runFilters } from '@lib/data/runs'
import { requireTenantAndLoad } from '@lib/session'
import { AutoRefresh } from '@modules/layout/components/auto-refresh'
import Link from 'next/link'

export default async function RunsPage({
  params,
  searchParams,
}: {
  params: Promise<{ tenant: string }>
  searchParams: Promise<Record<string, string | undefined>>
}) {
  const filters = runFilters.parse(await searchParams)
  const { tenant, data } = await requireTenantAndLoad((await params).tenant, (token, id) =>
    listRuns(token, id, filters),
  )
  const { docs, total } = await data
  return (
    <>
      <h1>Runs</h1>
      <form method="get" style={{ display: 'flex', gap: '0.5rem', alignItems: 'end' }} data-run-filters>
        <label>
          Agent <input name="agent" defaultValue={filters.agent} placeholder="seo-meta" />
        </label>
        <label>
          Status
          <select name="status" defaultValue={filters.status ?? ''}>
            <option value="">any</option>
            {RUN_STATUSES.map((s) => (
              <option key={s}>{s}</option>
            ))}
          </select>
        </label>
        <label>
          From <input type="date" name="from" defaultValue={filters.from} />
        </label>
        <label>
          To <input type="date" name="to" defaultValue={filters.to} />
        </label>
        <button type="submit">Filter</button>
      </form>
      <p>{total} runs</p>
      <table data-runs>
        <thead>
          <tr>
            <th>Agent</th>
            <th>Status</th>
            <th>Cost</th>
            <th>Started</th>
          </tr>
        </thead>
        <tbody>
          {docs.map((r) => (
            <tr key={r.id} data-run={r.id}>
              <td>
                <Link href={`/t/${tenant.id}/runs/${r.id}`}>{r.agent}</Link>
              </td>
              <td>
                <span className="pill" data-status={r.status}>
                  {r.status}
                </span>
              </td>
              <td>${(r.costUsd ?? 0).toFixed(4)}</td>
              <td>{new Date(r.createdAt).toLocaleString('en-GB', { timeZone: 'UTC' })}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <AutoRefresh intervalMs={8000} />
    </>
  )
}
