import { SORTS, type SortKey } from '@lib/data/products'

/** Sort order as a GET form: works without JavaScript and keeps the search term. */
export default function SortForm({ sort, q }: { sort: SortKey; q?: string }) {
  return (
    <form method="get" style={{ display: 'flex', gap: '.5rem', alignItems: 'end' }}>
      {q && <input type="hidden" name="q" value={q} />}
      <div>
        <label htmlFor="sort">Sort by</label>
        <select id="sort" name="sort" defaultValue={sort}>
          {Object.entries(SORTS).map(([key, { label }]) => (
            <option key={key} value={key}>
              {label}
            </option>
          ))}
        </select>
      </div>
      <button type="submit" className="btn btn-secondary">
        Apply
      </button>
    </form>
  )
}
