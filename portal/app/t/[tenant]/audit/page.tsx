import { auditFilters, listAuditEntries } from '@lib/data/audit'
import { requireTenantAndLoad } from '@lib/session'
import { AuditFilters } from '@modules/audit/components/audit-filters'
import { AuditTable } from '@modules/audit/components/audit-table'
import Link from 'next/link'

/** Tenant-admins only (others get a 404); the CMS scopes the entries to the tenants the user administers. */
export default async function AuditPage({
  params,
  searchParams,
}: {
  params: Promise<{ tenant: string }>
  searchParams: Promise<Record<string, string | undefined>>
}) {
  const query = await searchParams
  const filters = auditFilters.parse(query)
  const { tenant, data } = await requireTenantAndLoad(
    (await params).tenant,
    (token, id) => listAuditEntries(token, id, filters),
    'configure',
  )
  const { entries, total, page, pages, error } = await data
  const pageLink = (n: number) => {
    const next = new URLSearchParams(Object.entries({ ...filters, page: String(n) }).filter(([, v]) => v) as never)
    return `/t/${tenant.id}/audit?${next}`
  }
  return (
    <>
      <h1>Audit log</h1>
      <p>
        Every change, sign-in and decision in {tenant.name}. Entries name the fields that changed, never their values,
        and cannot be edited or deleted.
      </p>
      <AuditFilters filters={filters} />
      {error ? <p role="alert">{error}</p> : <p>{total} entries</p>}
      <AuditTable entries={entries} />
      {pages > 1 ? (
        <nav style={{ display: 'flex', gap: '1rem' }}>
          {page > 1 ? <Link href={pageLink(page - 1)}>← Newer</Link> : null}
          <span>
            Page {page} of {pages}
          </span>
          {page < pages ? <Link href={pageLink(page + 1)}>Older →</Link> : null}
        </nav>
      ) : null}
    </>
  )
}
