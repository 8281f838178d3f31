import Link from 'next/link'

/** Page links that keep the other query parameters (sort, q). */
export default function Pagination({
  page,
  pages,
  basePath,
  query,
}: {
  page: number
  pages: number
  basePath: string
  query: Record<string, string | undefined>
}) {
  if (pages <= 1) return null
  const href = (p: number) => {
    const params = new URLSearchParams(
      Object.entries({ ...query, page: p > 1 ? String(p) : undefined }).filter((entry): entry is [string, string] =>
        Boolean(entry[1]),
      ),
    )
    const qs = params.toString()
    return qs ? `${basePath}?${qs}` : basePath
  }
  return (
    <nav aria-label="Pages">
      <ul className="pagination">
        {Array.from({ length: pages }, (_, i) => i + 1).map((p) => (
          <li key={p}>
            {p === page ? (
              <span aria-current="page">{p}</span>
            ) : (
              <Link href={href(p)} aria-label={`Page ${p}`}>
                {p}
              </Link>
            )}
          </li>
        ))}
      </ul>
    </nav>
  )
}
