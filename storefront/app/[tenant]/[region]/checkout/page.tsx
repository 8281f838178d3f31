import { getCart, listShippingOptions } from '@lib/data/cart'
import { shopContext } from '@lib/data/context'
import CheckoutTemplate from '@modules/checkout/templates/CheckoutTemplate'
import type { Metadata } from 'next'

// Per shopper (cookies or the query string): never cached.
export const dynamic = 'force-dynamic'

export const metadata: Metadata = { title: 'Checkout', robots: { index: false } }

export default async function CheckoutPage({ params }: { params: Promise<{ tenant: string; region: string }> }) {
  const context = await shopContext((await params).tenant)
  const cart = await getCart(context)
  const shippingOptions = cart?.shipping_address?.address_1 ? await listShippingOptions(context, cart.id) : []
  return <CheckoutTemplate cart={cart} shippingOptions={shippingOptions} />
}
