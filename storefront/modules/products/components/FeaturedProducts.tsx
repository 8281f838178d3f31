import type { ShopContext } from '@lib/data/context'
import { type FeaturedBlock, listFeatured } from '@lib/data/products'
import type { Region } from '@lib/data/regions'
import Link from 'next/link'
import ProductGrid from './ProductGrid'

/**
 * A Payload featured-products block: products from the shop, priced in the page's region. `first`: the
 * block opens the page, so its first cards load at once; below a hero they wait their turn.
 */
export default async function FeaturedProducts({
  id,
  block,
  shop,
  first = false,
}: {
  id: string
  block: FeaturedBlock
  shop: ShopContext & { region: Region }
  first?: boolean
}) {
  const headingId = `${id}-heading`
  const products = await listFeatured(shop, shop.region.id, block)
  if (products.length === 0) return null
  const more =
    (block.source === 'collection' || block.source === 'category') && block.handle
      ? `/${block.source === 'collection' ? 'collections' : 'categories'}/${block.handle}`
      : '/store'
  return (
    <section aria-labelledby={headingId} data-testid="featured-products">
      <div className="toolbar">
        <h2 id={headingId} style={{ margin: 0 }}>
          {block.heading || 'Featured products'}
        </h2>
        <Link href={more} prefetch={false}>
          Shop all
        </Link>
      </div>
      <ProductGrid products={products} eager={first ? 2 : 0} />
    </section>
  )
}
