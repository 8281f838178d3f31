import { type ProductCard as Card, fromPrice } from '@lib/data/products'
import { formatMoney } from '@lib/money'
import Link from 'next/link'

export default function ProductCard({ product, priority = false }: { product: Card; priority?: boolean }) {
  const price = fromPrice(product)
  return (
    <Link href={`/products/${product.handle}`} className="card" data-testid="product-card">
      {product.thumbnail ? (
        <img
          src={product.thumbnail}
          alt=""
          width={400}
          height={400}
          loading={priority ? 'eager' : 'lazy'}
          decoding="async"
          fetchPriority={priority ? 'high' : undefined}
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
