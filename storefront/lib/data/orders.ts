/** Placed orders: the confirmation page and the account's history, only of this tenant's sales channel. */
import type { ShopContext } from './context'
import { medusaFor, medusaStatus } from './medusa'

export interface Order {
  id: string
  display_id: number
  email: string
  created_at: string
  currency_code: string
  sales_channel_id?: string | null
  total: number
  subtotal: number
  shipping_total: number
  tax_total: number
  items: {
    id: string
    title: string
    product_title?: string | null
    variant_title?: string | null
    quantity: number
    total: number
    thumbnail?: string | null
  }[]
  shipping_address?: {
    first_name?: string | null
    last_name?: string | null
    address_1?: string | null
    city?: string | null
    postal_code?: string | null
    country_code?: string | null
  } | null
}

const ORDER_FIELDS =
  'id,display_id,email,created_at,currency_code,sales_channel_id,total,subtotal,shipping_total,tax_total,*items,*shipping_address'

const ofTenant = (context: ShopContext, order: Order) =>
  !context.shop.salesChannelId || order.sales_channel_id === context.shop.salesChannelId

/** An order by id (ids are unguessable), or null when missing or another tenant's. */
export async function getOrder(context: ShopContext, id: string): Promise<Order | null> {
  if (!/^order_[A-Za-z0-9]+$/.test(id)) return null
  try {
    const { order } = await medusaFor(context.shop).client.fetch<{ order: Order }>(`/store/orders/${id}`, {
      method: 'GET',
      query: { fields: ORDER_FIELDS },
      cache: 'no-store',
    } as never)
    return ofTenant(context, order) ? order : null
  } catch (error) {
    if (medusaStatus(error) === 404) return null
    throw error
  }
}

/** The signed-in customer's orders in this shop. */
export async function listCustomerOrders(context: ShopContext, token: string): Promise<Order[]> {
  const { orders } = await medusaFor(context.shop).client.fetch<{ orders: Order[] }>('/store/orders', {
    method: 'GET',
    query: { fields: ORDER_FIELDS, limit: 50, order: '-created_at' },
    headers: { authorization: `Bearer ${token}` },
    cache: 'no-store',
  } as never)
  return orders.filter((o) => ofTenant(context, o))
}
