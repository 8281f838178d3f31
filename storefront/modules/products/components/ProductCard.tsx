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
            width: 400,
            height: 400,
            sizes: '(max-width: 640px) 50vw, (max-width: 1024px) 33vw, 280px',
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
