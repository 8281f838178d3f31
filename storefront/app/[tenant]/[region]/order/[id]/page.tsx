import { shopContext } from '@lib/data/context'
import { getOrder } from '@lib/data/orders'
import OrderConfirmed from '@modules/order/templates/OrderConfirmed'
import type { Metadata } from 'next'
import { notFound } from 'next/navigation'

// Per shopper (cookies or the query string): never cached.
export const dynamic = 'force-dynamic'

export const metadata: Metadata = { title: 'Order confirmed', robots: { index: false } }

export default async function OrderPage({
  params,
}: {
  params: Promise<{ tenant: string; region: string; id: string }>
}) {
  const { tenant, id } = await params
  const order = await getOrder(await shopContext(tenant), id)
  if (!order) notFound()
  return <OrderConfirmed order={order} />
}
