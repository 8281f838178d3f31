import type { ProductCard as Card } from '@lib/data/products'
import ProductCard from './ProductCard'

export default function ProductGrid({ products }: { products: Card[] }) {
  if (!products.length) return <p className="muted">No products found.</p>
  return (
    <ul className="grid">
      {products.map((product, index) => (
        <li key={product.id}>
          <ProductCard product={product} priority={index < 2} />
        </li>
      ))}
    </ul>
  )
}
