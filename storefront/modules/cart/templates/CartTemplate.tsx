import type { Cart } from '@lib/data/cart-types'
import { formatMoney } from '@lib/money'
import Link from 'next/link'
import CartLineRow from '../components/CartLineRow'
import CartSummary from '../components/CartSummary'

export default function CartTemplate({ cart }: { cart: Cart | null }) {
  if (!cart || cart.items.length === 0)
    return (
      <>
        <h1>Your cart</h1>
        <p>Your cart is empty.</p>
        <Link href="/store" className="btn">
          Continue shopping
        </Link>
      </>
    )
  const money = (amount: number) => formatMoney(amount, cart.currency_code)
  return (
    <>
      <h1>Your cart</h1>
      <div style={{ overflowX: 'auto' }}>
        <table className="cart-table">
          <caption className="visually-hidden">Items in your cart</caption>
          <thead>
            <tr>
              <th scope="col">
                <span className="visually-hidden">Image</span>
              </th>
              <th scope="col">Item</th>
              <th scope="col">Quantity</th>
              <th scope="col">Total</th>
              <th scope="col">
                <span className="visually-hidden">Remove</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {[...cart.items]
              .sort((a, b) => a.id.localeCompare(b.id))
              .map((item) => (
                <CartLineRow
                  key={item.id}
                  id={item.id}
                  title={item.product_title ?? item.title}
                  variantTitle={item.variant_title}
                  thumbnail={item.thumbnail}
                  quantity={item.quantity}
                  unitPrice={money(item.unit_price)}
                  total={money(item.total)}
                />
              ))}
          </tbody>
        </table>
      </div>
      <CartSummary cart={cart} />
      <p style={{ textAlign: 'right', marginTop: '1rem' }}>
        <Link href="/checkout" className="btn">
          Go to checkout
        </Link>
      </p>
    </>
  )
}
