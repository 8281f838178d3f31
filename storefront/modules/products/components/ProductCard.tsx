import { type ProductCard as Card, fromPrice } from '@lib/data/products'
import { formatMoney } from '@lib/money'
import { getImageProps } from 'next/image'
import Link from 'next/link'

export default function ProductCard({ product, priority = false }: { product: Card; priority?: boolean }) {
  const price = fromPrice(product)
  return (
    // Not prefetched: a grid of cards would fetch every product page while the shopper is still looking
    // (product pages come from the cache in milliseconds anyway).
    <Link href={`/products/${product.handle}`} prefetch={false} className="card" data-testid="product-card">
      {product.thumbnail ? (
        <img
          {...getImageProps({
            src: product.thumbnail,
            alt: '',
            // A card is 13–24rem wide (one column on a phone, .grid): 1x/2x candidates of a 400 px box
            // (640 and 828 px files) fit every screen, and keep the srcset two URLs long (a `sizes` in vw
            // would list every width, in the HTML and again in its RSC payload).
            width: 400,
            height: 400,
            loading: priority ? 'eager' : 'lazy',
            fetchPriority: priority ? 'high' : undefined,
          }).props}
          alt=""
        />
      ) : (
        <div style={{ aspectRatio: '1/1', background: 'var(--soft)' }} />
      )}
      <div className="card-body">
        <h3>{product.title}</h3>
        {price && (
          <span className="price">
            {product.variants.length > 1 ? 'from ' : ''}
            {formatMoney(price.calculated_amount, price.currency_code)}
          </span>
        )}
      </div>
    </Link>
  )
}
