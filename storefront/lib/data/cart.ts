/**
 * The shopper's cart: its id lives in an http-only cookie per tenant; it is read fresh (never cached)
 * and only if it belongs to the tenant's sales channel and is not completed — otherwise it is treated
 * as gone (an expired or foreign cart never shows up, and adding starts a new one).
 */
import { cookies, headers } from 'next/headers'
import type { Cart, ShippingOption } from './cart-types'
import type { ShopContext } from './context'
import { medusaFor, medusaStatus } from './medusa'

export const cartCookieName = (tenantSlug: string) => `cart_${tenantSlug}`

export const CART_FIELDS =
  'id,email,currency_code,region_id,sales_channel_id,completed_at,subtotal,item_subtotal,shipping_total,tax_total,total,*items,*shipping_address,*shipping_methods,*region,*region.countries'

/** The cart in the cookie, or null when there is none, it expired, or it is not this tenant's. */
export async function getCart(context: ShopContext): Promise<Cart | null> {
  const id = (await cookies()).get(cartCookieName(context.tenant.slug))?.value
  if (!id || !/^cart_[A-Za-z0-9]+$/.test(id)) return null
  return retrieveCart(context, id)
}

export async function retrieveCart(context: ShopContext, id: string): Promise<Cart | null> {
  try {
    const { cart } = await medusaFor(context.shop).client.fetch<{ cart: Cart }>(`/store/carts/${id}`, {
      method: 'GET',
      query: { fields: CART_FIELDS },
      cache: 'no-store',
    } as never)
    if (cart.completed_at) return null
    if (context.shop.salesChannelId && cart.sales_channel_id !== context.shop.salesChannelId) return null
    return cart
  } catch (error) {
    if (medusaStatus(error) === 404) return null
    throw error
  }
}

export async function listShippingOptions(context: ShopContext, cartId: string): Promise<ShippingOption[]> {
  const { shipping_options } = await medusaFor(context.shop).client.fetch<{ shipping_options: ShippingOption[] }>(
    '/store/shipping-options',
    { method: 'GET', query: { cart_id: cartId }, cache: 'no-store' } as never,
  )
  return shipping_options
}

/** Cookie attributes for the cart (and other shopper cookies): http-only, Secure behind https. */
export async function shopperCookie(maxAgeDays = 30) {
  const secure = (await headers()).get('x-forwarded-proto') === 'https'
  return { httpOnly: true, sameSite: 'lax' as const, path: '/', secure, maxAge: maxAgeDays * 24 * 3600 }
}
