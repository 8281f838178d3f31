import type { CmsPage } from '@lib/data/content'
import type { ProductCard } from '@lib/data/products'
import Blocks from '@modules/content/components/Blocks'
import ProductGrid from '@modules/products/components/ProductGrid'
import Link from 'next/link'

export default function HomeTemplate({
  tenantName,
  page,
  featured,
}: {
  tenantName: string
  page: CmsPage | null
  featured: ProductCard[] | null
}) {
  return (
    <>
      {page ? <Blocks blocks={page.layout} /> : <h1>{tenantName}</h1>}
      {featured && featured.length > 0 && (
        <section aria-labelledby="featured-heading">
          <div className="toolbar">
            <h2 id="featured-heading" style={{ margin: 0 }}>
              Featured products
            </h2>
            <Link href="/store">Shop all</Link>
          </div>
          <ProductGrid products={featured} />
        </section>
      )}
    </>
  )
}
