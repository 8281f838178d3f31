import type { Cart } from '@lib/data/cart-types'
import { formatMoney } from '@lib/money'

export default function CartSummary({ cart }: { cart: Cart }) {
  const money = (amount: number) => formatMoney(amount, cart.currency_code)
  return (
    <section className="summary" aria-label="Order summary">
      <dl>
        <dt>Subtotal</dt>
        <dd>{money(cart.item_subtotal ?? cart.subtotal)}</dd>
        <dt>Shipping</dt>
        <dd>{cart.shipping_methods?.length ? money(cart.shipping_total) : 'Chosen at checkout'}</dd>
        <dt>Tax</dt>
        <dd>{money(cart.tax_total)}</dd>
        <dt>
          <strong>Total</strong>
        </dt>
        <dd>
          <strong data-testid="cart-total">{money(cart.total)}</strong>
        </dd>
      </dl>
    </section>
  )
}
