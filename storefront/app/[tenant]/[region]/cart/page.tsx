import { getCart } from '@lib/data/cart'
import { shopContext } from '@lib/data/context'
import CartTemplate from '@modules/cart/templates/CartTemplate'
import type { Metadata } from 'next'

// Per shopper (cookies or the query string): never cached.
export const dynamic = 'force-dynamic'

export const metadata: Metadata = { title: 'Cart', robots: { index: false } }

export default async function CartPage({ params }: { params: Promise<{ tenant: string; region: string }> }) {
  const context = await shopContext((await params).tenant)
  return <CartTemplate cart={await getCart(context)} />
}
