import type { ProductCard as Card } from '@lib/data/products'
import HydrateLater from '@modules/layout/components/HydrateLater'
import ProductCard from './ProductCard'

/** Product cards; the first `eager` load at once (the top of a listing), the rest when scrolled near. */
export default function ProductGrid({ products, eager = 2 }: { products: Card[]; eager?: number }) {
  if (!products.length) return <p className="muted">No products found.</p>
  return (
    <HydrateLater>
      <ul className="grid">
        {products.map((product, index) => (
          <li key={product.id}>
            <ProductCard product={product} priority={index < eager} />
          </li>
        ))}
      </ul>
    </HydrateLater>
  )
}
