'use server'
/**
 * Cart and checkout server actions. The tenant comes from the proxy's header, every input is checked
 * with zod, and Medusa's refusals become messages a shopper understands; a refused change leaves the
 * cart as it was.
 */
import { refresh } from 'next/cache'
import { cookies, headers } from 'next/headers'
import { redirect } from 'next/navigation'
import { z } from 'zod'
import { consumePerIp, storefrontLimits } from '../rate-limits'
import { cartCookieName, getCart, listShippingOptions, retrieveCart, shopperCookie } from './cart'
import type { ActionState, Cart } from './cart-types'
import { actionShopContext, type ShopContext } from './context'
import { medusaFor, medusaMessage, medusaStatus } from './medusa'
import { currentRegion, listRegions, REGION_COOKIE } from './regions'

const medusaId = (prefix: string) => z.string().regex(new RegExp(`^${prefix}_[A-Za-z0-9]+$`), 'is not valid')
const quantity = z.coerce
  .number({ message: 'Enter a quantity' })
  .int('Enter a whole number')
  .min(1, 'Enter at least 1')
  .max(99, 'You can order at most 99 at once')

/** Words for Medusa's refusals. */
function shopperMessage(error: unknown, what: string): string {
  const message = medusaMessage(error).toLowerCase()
  if (message.includes('inventory') || message.includes('stock'))
    return 'Sorry, we do not have that many in stock. Please choose a smaller quantity.'
  if (message.includes('not found') || medusaStatus(error) === 404)
    return 'That item is no longer available. It may have been removed from the shop.'
  if (medusaStatus(error) === undefined || (medusaStatus(error) ?? 500) >= 500)
    return 'The shop is not answering right now. Please try again in a moment.'
  return `We could not ${what}. Please check and try again.`
}

async function requireCart(context: ShopContext): Promise<Cart> {
  const cart = await getCart(context)
  if (!cart) throw new CartGoneError()
  return cart
}

class CartGoneError extends Error {}
const CART_GONE = 'Your cart has expired. Please add the items again.'

async function ensureCart(context: ShopContext): Promise<Cart> {
  const existing = await getCart(context)
  if (existing) return existing
  const region = await currentRegion(context)
  const { cart } = await medusaFor(context.shop).store.cart.create({ region_id: region.id }, { fields: 'id' })
  ;(await cookies()).set(cartCookieName(context.tenant.slug), cart.id, await shopperCookie())
  return cart as unknown as Cart
}

const addSchema = z.object({ variantId: medusaId('variant'), quantity })

export async function addToCart(_prev: ActionState, formData: FormData): Promise<ActionState> {
  const input = addSchema.safeParse(Object.fromEntries(formData))
  if (!input.success) return { message: issueText(input.error) }
  const refused = await consumePerIp(storefrontLimits().cart)
  if (refused) return { message: refused.message }
  const context = await actionShopContext()
  try {
    const cart = await ensureCart(context)
    await medusaFor(context.shop).store.cart.createLineItem(cart.id, {
      variant_id: input.data.variantId,
      quantity: input.data.quantity,
    })
  } catch (error) {
    return { message: shopperMessage(error, 'add this to your cart') }
  }
  refresh()
  return { ok: true, message: 'Added to your cart.' }
}

const updateSchema = z.object({ lineId: medusaId('cali'), quantity: z.coerce.number().int().min(0).max(99) })

export async function updateLineItem(_prev: ActionState, formData: FormData): Promise<ActionState> {
  const input = updateSchema.safeParse(Object.fromEntries(formData))
  if (!input.success) return { message: 'Enter a quantity between 0 and 99.' }
  const refused = await consumePerIp(storefrontLimits().cart)
  if (refused) return { message: refused.message }
  const context = await actionShopContext()
  try {
    const cart = await requireCart(context)
    if (!cart.items.some((item) => item.id === input.data.lineId))
      return { message: 'That item is no longer in your cart.' }
    const sdk = medusaFor(context.shop)
    if (input.data.quantity === 0) await sdk.store.cart.deleteLineItem(cart.id, input.data.lineId)
    else await sdk.store.cart.updateLineItem(cart.id, input.data.lineId, { quantity: input.data.quantity })
  } catch (error) {
    if (error instanceof CartGoneError) return { message: CART_GONE }
    return { message: shopperMessage(error, 'change the quantity') }
  }
  refresh()
  return { ok: true }
}

export async function removeLineItem(_prev: ActionState, formData: FormData): Promise<ActionState> {
  formData.set('quantity', '0')
  return updateLineItem(_prev, formData)
}

/** Region (and so currency) for the shopper; an open cart moves with them. */
export async function chooseRegion(formData: FormData): Promise<void> {
  const regionId = medusaId('reg').safeParse(formData.get('regionId'))
  const context = await actionShopContext()
  if (!regionId.success) return
  const regions = await listRegions(context)
  if (!regions.some((r) => r.id === regionId.data)) return
  ;(await cookies()).set(REGION_COOKIE, regionId.data, await shopperCookie(365))
  const cart = await getCart(context)
  if (cart && cart.region_id !== regionId.data)
    await medusaFor(context.shop)
      .store.cart.update(cart.id, { region_id: regionId.data })
      .catch(() => {})
  // Pages are cached per region under the route the proxy picks from the cookie: load the page again
  // (same path, never another site) so it comes from the new region's entry.
  redirect(samePath((await headers()).get('referer')))
}

/** The path (and query) of a same-site referring page, else the home page. */
function samePath(referer: string | null): string {
  try {
    const url = new URL(referer ?? '/', 'http://shop.invalid')
    return url.pathname.startsWith('/') && !url.pathname.startsWith('//') ? url.pathname + url.search : '/'
  } catch {
    return '/'
  }
}

const text = (label: string, max = 120) =>
  z.string().trim().min(1, `Enter your ${label}`).max(max, `Your ${label} is too long`)

const addressSchema = z.object({
  email: z.string().trim().email('Enter an email address like name@example.com'),
  first_name: text('first name', 60),
  last_name: text('last name', 60),
  address_1: text('street address', 150),
  address_2: z.string().trim().max(150).optional().default(''),
  city: text('town or city', 80),
  postal_code: z
    .string()
    .trim()
    .regex(/^[A-Za-z0-9][A-Za-z0-9 -]{1,10}$/, 'Enter a valid postcode'),
  country_code: z.string().trim().toLowerCase().length(2, 'Choose a country'),
  phone: z
    .string()
    .trim()
    .regex(/^[+0-9 ()-]{0,20}$/, 'Enter a phone number with digits only')
    .optional()
    .default(''),
})

export async function saveCheckoutAddress(_prev: ActionState, formData: FormData): Promise<ActionState> {
  const values = textValues(formData)
  const input = addressSchema.safeParse(values)
  if (!input.success)
    return { message: 'Please correct the highlighted fields.', fieldErrors: fieldErrors(input.error), values }
  const refused = await consumePerIp(storefrontLimits().cart)
  if (refused) return { message: refused.message, values }
  const context = await actionShopContext()
  try {
    const cart = await requireCart(context)
    const countries = cart.region?.countries?.map((c) => c.iso_2) ?? []
    if (countries.length && !countries.includes(input.data.country_code))
      return {
        message: 'Please correct the highlighted fields.',
        fieldErrors: { country_code: `We do not ship there from the ${cart.region?.name} store` },
        values,
      }
    const { email, ...address } = input.data
    await medusaFor(context.shop).store.cart.update(cart.id, {
      email,
      shipping_address: address,
      billing_address: address,
    })
  } catch (error) {
    if (error instanceof CartGoneError) return { message: CART_GONE }
    return { message: shopperMessage(error, 'save your address'), values }
  }
  refresh()
  return { ok: true }
}

const placeSchema = z.object({ shippingOptionId: medusaId('so') })

export async function placeOrder(_prev: ActionState, formData: FormData): Promise<ActionState> {
  const input = placeSchema.safeParse(Object.fromEntries(formData))
  if (!input.success)
    return { message: 'Choose a delivery method.', fieldErrors: { shippingOptionId: 'Choose a delivery method' } }
  const refused = await consumePerIp(storefrontLimits().cart)
  if (refused) return { message: refused.message }
  const context = await actionShopContext()
  const sdk = medusaFor(context.shop)
  let orderId: string
  try {
    const cart = await requireCart(context)
    if (!cart.items.length) return { message: 'Your cart is empty.' }
    if (!cart.email || !cart.shipping_address?.address_1) return { message: 'Please enter your address first.' }
    const options = await listShippingOptions(context, cart.id)
    if (!options.some((o) => o.id === input.data.shippingOptionId))
      return { message: 'That delivery method is not available for your address.' }
    await sdk.store.cart.addShippingMethod(cart.id, { option_id: input.data.shippingOptionId })
    const fresh = await retrieveCart(context, cart.id)
    if (!fresh) throw new CartGoneError()
    await sdk.store.payment.initiatePaymentSession(fresh as never, { provider_id: 'pp_system_default' })
    const result = await sdk.store.cart.complete(cart.id)
    if (result.type !== 'order') return { message: shopperMessage(result.error, 'place your order') }
    orderId = result.order.id
  } catch (error) {
    if (error instanceof CartGoneError) return { message: CART_GONE }
    return { message: shopperMessage(error, 'place your order') }
  }
  ;(await cookies()).delete(cartCookieName(context.tenant.slug))
  redirect(`/order/${orderId}`)
}

function issueText(error: z.ZodError): string {
  return error.issues.map((i) => `${i.path.join('.') === 'quantity' ? 'Quantity' : 'Item'}: ${i.message}`).join('. ')
}

function textValues(formData: FormData): Record<string, string> {
  const out: Record<string, string> = {}
  for (const [key, value] of formData)
    if (typeof value === 'string' && !key.startsWith('$')) out[key] = value.slice(0, 200)
  return out
}

function fieldErrors(error: z.ZodError): Record<string, string> {
  const out: Record<string, string> = {}
  for (const issue of error.issues) {
    const key = String(issue.path[0])
    out[key] ??= issue.message
  }
  return out
}
