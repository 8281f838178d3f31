import type { Order } from '@lib/data/orders'
import { formatMoney } from '@lib/money'
import Link from 'next/link'

export default function OrderConfirmed({ order }: { order: Order }) {
  const money = (amount: number) => formatMoney(amount, order.currency_code)
  const a = order.shipping_address
  return (
    <section aria-labelledby="confirmed-heading">
      <h1 id="confirmed-heading">Thank you for your order</h1>
      <p data-testid="order-number">
        Order <strong>#{order.display_id}</strong> is confirmed. We sent a confirmation to {order.email}.
      </p>
      <ul style={{ listStyle: 'none', padding: 0 }}>
        {order.items.map((item) => (
          <li
            key={item.id}
            style={{
              display: 'flex',
              justifyContent: 'space-between',
              padding: '.4rem 0',
              borderBottom: '1px solid var(--line)',
            }}
          >
            <span>
              {item.quantity} × {item.product_title ?? item.title}{' '}
              {item.variant_title && <span className="muted">({item.variant_title})</span>}
            </span>
            <span>{money(item.total)}</span>
          </li>
        ))}
      </ul>
      <div className="summary">
        <dl>
          <dt>Shipping</dt>
          <dd>{money(order.shipping_total)}</dd>
          <dt>Tax</dt>
          <dd>{money(order.tax_total)}</dd>
          <dt>
            <strong>Total</strong>
          </dt>
          <dd>
            <strong>{money(order.total)}</strong>
          </dd>
        </dl>
      </div>
      {a && (
        <p>
          Delivering to {a.first_name} {a.last_name}, {a.address_1}, {a.postal_code} {a.city},{' '}
          {a.country_code?.toUpperCase()}
        </p>
      )}
      <Link href="/store" className="btn">
        Continue shopping
      </Link>
    </section>
  )
}
