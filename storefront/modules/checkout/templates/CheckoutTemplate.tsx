import type { Cart, ShippingOption } from '@lib/data/cart-types'
import { formatMoney } from '@lib/money'
import CartSummary from '@modules/cart/components/CartSummary'
import Link from 'next/link'
import AddressForm from '../components/AddressForm'
import DeliveryForm from '../components/DeliveryForm'

export default function CheckoutTemplate({
  cart,
  shippingOptions,
}: {
  cart: Cart | null
  shippingOptions: ShippingOption[]
}) {
  if (!cart || cart.items.length === 0)
    return (
      <>
        <h1>Checkout</h1>
        <p>Your cart is empty or has expired.</p>
        <Link href="/store" className="btn">
          Continue shopping
        </Link>
      </>
    )
  const hasAddress = Boolean(cart.email && cart.shipping_address?.address_1)
  return (
    <>
      <h1>Checkout</h1>
      <div className="product">
        <div>
          <AddressForm email={cart.email} address={cart.shipping_address} countries={cart.region?.countries ?? []} />
          <div style={{ marginTop: '2rem' }}>
            {hasAddress ? (
              <DeliveryForm
                options={shippingOptions.map((o) => ({
                  id: o.id,
                  name: o.name,
                  price: formatMoney(o.calculated_price?.calculated_amount ?? o.amount, cart.currency_code),
                }))}
                selected={cart.shipping_methods?.[0]?.shipping_option_id}
              />
            ) : (
              <p className="muted">2. Delivery and payment — after your address.</p>
            )}
          </div>
        </div>
        <div>
          <h2>Your order</h2>
          <ul style={{ listStyle: 'none', padding: 0 }}>
            {cart.items.map((item) => (
              <li
                key={item.id}
                style={{ display: 'flex', justifyContent: 'space-between', gap: '1rem', padding: '.4rem 0' }}
              >
                <span>
                  {item.quantity} × {item.product_title ?? item.title}{' '}
                  {item.variant_title && <span className="muted">({item.variant_title})</span>}
                </span>
                <span>{formatMoney(item.total, cart.currency_code)}</span>
              </li>
            ))}
          </ul>
          <CartSummary cart={cart} />
        </div>
      </div>
    </>
  )
}
