/** The audit page's filters: a GET form, so a filtered view is a link that can be shared. */
import type { AuditFilters as Filters } from '@lib/data/audit'

/** Collections worth offering in the filter (any other slug still works in the URL). */
const COLLECTIONS = [
  'posts',
  'pages',
  'categories',
  'media',
  'users',
  'tenants',
  'connections',
  'connector-apps',
  'webhook-endpoints',
  'approvals',
  'agent-settings',
  'product-content',
  'product-reviews',
] as const

export function AuditFilters({ filters }: { filters: Filters }) {
  return (
    <form method="get" style={{ display: 'flex', gap: '0.5rem', alignItems: 'end' }} data-audit-filters>
      <label>
        Person <input name="person" defaultValue={filters.person} placeholder="name@example.com" />
      </label>
      <label>
        Collection
        <select name="collection" defaultValue={filters.collection ?? ''}>
          <option value="">any</option>
          {COLLECTIONS.map((c) => (
            <option key={c}>{c}</option>
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
  )
}
