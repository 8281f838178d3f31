import type { ProductCard, SortKey } from '@lib/data/products'
import Pagination from '../components/Pagination'
import ProductGrid from '../components/ProductGrid'
import SortForm from '../components/SortForm'

export default function ListingTemplate({
  title,
  intro,
  products,
  count,
  page,
  pages,
  sort,
  basePath,
  q,
}: {
  title: string
  intro?: string | null
  products: ProductCard[]
  count: number
  page: number
  pages: number
  sort: SortKey
  basePath: string
  q?: string
}) {
  return (
    <>
      <h1>{title}</h1>
      {intro && <p className="muted">{intro}</p>}
      <div className="toolbar">
        <p className="muted" aria-live="polite">
          {count} {count === 1 ? 'product' : 'products'}
        </p>
        <SortForm sort={sort} q={q} />
      </div>
      <ProductGrid products={products} />
      <Pagination
        page={page}
        pages={pages}
        basePath={basePath}
        query={{ sort: sort === 'newest' ? undefined : sort, q }}
      />
    </>
  )
}
