import type { CmsPage } from '@lib/data/content'
import type { ShopContext } from '@lib/data/context'
import type { Region } from '@lib/data/regions'
import Blocks from '@modules/content/components/Blocks'
import FeaturedProducts from '@modules/products/components/FeaturedProducts'

/**
 * The tenant's `home` page from Payload; a shop whose home page has no featured-products block still
 * shows its newest products.
 */
export default function HomeTemplate({
  tenantName,
  page,
  shop,
}: {
  tenantName: string
  page: CmsPage | null
  shop: (ShopContext & { region: Region }) | null
}) {
  const hasFeatured = page?.layout.some((b) => b.blockType === 'featuredProducts') ?? false
  return (
    <>
      {page ? <Blocks blocks={page.layout} shop={shop} /> : <h1>{tenantName}</h1>}
      {shop && !hasFeatured && (
        <FeaturedProducts
          id="featured"
          block={{ heading: 'Featured products', source: 'newest', limit: 8 }}
          shop={shop}
          first={!page?.layout.length}
        />
      )}
    </>
  )
}
