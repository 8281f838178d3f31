'use server'
/** Register, log in, log out and save an address: Medusa's customer auth behind server actions. */
import { refresh } from 'next/cache'
import { cookies } from 'next/headers'
import { redirect } from 'next/navigation'
import { z } from 'zod'
import { consumePerIp, shopperIp, storefrontLimits } from '../rate-limits'
import { shopperCookie } from './cart'
import type { ActionState } from './cart-types'
import { actionShopContext, type ShopContext } from './context'
import { authCookieName, customerToken } from './customer'
import { medusaFor, medusaMessage, medusaStatus } from './medusa'

const email = z.string().trim().toLowerCase().email('Enter an email address like name@example.com')
const password = z.string().min(8, 'Use at least 8 characters').max(128, 'Use at most 128 characters')
const name = (label: string) => z.string().trim().min(1, `Enter your ${label}`).max(60, `Your ${label} is too long`)

const registerSchema = z.object({ email, password, first_name: name('first name'), last_name: name('last name') })
const loginSchema = z.object({ email, password: z.string().min(1, 'Enter your password') })

/** The entered text fields except passwords, to show a refused form again. */
function values(formData: FormData): Record<string, string> {
  const out: Record<string, string> = {}
  for (const [key, value] of formData)
    if (typeof value === 'string' && !key.startsWith('$') && key !== 'password') out[key] = value.slice(0, 200)
  return out
}

function fieldErrors(error: z.ZodError): Record<string, string> {
  const out: Record<string, string> = {}
  for (const issue of error.issues) out[String(issue.path[0])] ??= issue.message
  return out
}

async function authenticate(
  context: ShopContext,
  kind: 'register' | 'login',
  body: { email: string; password: string },
) {
  const path = kind === 'register' ? '/auth/customer/emailpass/register' : '/auth/customer/emailpass'
  // Straight through the client: the sdk's auth helpers keep the token on the (shared) client.
  const { token } = await medusaFor(context.shop).client.fetch<{ token: string }>(path, { method: 'POST', body })
  return token
}

async function keepToken(context: ShopContext, token: string) {
  ;(await cookies()).set(authCookieName(context.tenant.slug), token, await shopperCookie(7))
}

export async function register(_prev: ActionState, formData: FormData): Promise<ActionState> {
  const input = registerSchema.safeParse(Object.fromEntries(formData))
  if (!input.success)
    return {
      message: 'Please correct the highlighted fields.',
      fieldErrors: fieldErrors(input.error),
      values: values(formData),
    }
  const refused = await consumePerIp(storefrontLimits().account)
  if (refused) return { message: refused.message, values: values(formData) }
  const context = await actionShopContext()
  const { email: mail, password: pass, ...names } = input.data
  try {
    const registration = await authenticate(context, 'register', { email: mail, password: pass })
    await medusaFor(context.shop).client.fetch('/store/customers', {
      method: 'POST',
      body: { email: mail, ...names },
      headers: { authorization: `Bearer ${registration}` },
    })
    await keepToken(context, await authenticate(context, 'login', { email: mail, password: pass }))
  } catch (error) {
    if (/exist/i.test(medusaMessage(error)))
      return {
        message: 'An account with this email already exists. Log in instead.',
        fieldErrors: { email: 'Already registered' },
        values: values(formData),
      }
    return { message: 'We could not create your account just now. Please try again.', values: values(formData) }
  }
  redirect('/account')
}

export async function login(_prev: ActionState, formData: FormData): Promise<ActionState> {
  const input = loginSchema.safeParse(Object.fromEntries(formData))
  if (!input.success)
    return {
      message: 'Please correct the highlighted fields.',
      fieldErrors: fieldErrors(input.error),
      values: values(formData),
    }
  // Every attempt spends a point per IP and per email before Medusa checks the password; a successful
  // one resets its email and gives its IP point back, so both count failures only.
  const limits = storefrontLimits()
  const ip = await shopperIp()
  const refused =
    (ip ? await limits.signInIp.consume(ip) : null) ?? (await limits.signInEmail.consume(input.data.email))
  if (refused) return { message: refused.message, values: values(formData) }
  const context = await actionShopContext()
  try {
    await keepToken(context, await authenticate(context, 'login', input.data))
  } catch (error) {
    if (medusaStatus(error) === 401)
      return { message: 'That email and password do not match an account.', values: values(formData) }
    return { message: 'We could not log you in just now. Please try again.', values: values(formData) }
  }
  await Promise.all([limits.signInEmail.reset(input.data.email), ip ? limits.signInIp.reward(ip) : undefined])
  redirect('/account')
}

export async function logout(): Promise<void> {
  const context = await actionShopContext()
  ;(await cookies()).delete(authCookieName(context.tenant.slug))
  redirect('/account')
}

const addressSchema = z.object({
  first_name: name('first name'),
  last_name: name('last name'),
  address_1: z.string().trim().min(1, 'Enter your street address').max(150),
  city: z.string().trim().min(1, 'Enter your town or city').max(80),
  postal_code: z
    .string()
    .trim()
    .regex(/^[A-Za-z0-9][A-Za-z0-9 -]{1,10}$/, 'Enter a valid postcode'),
  country_code: z
    .string()
    .trim()
    .toLowerCase()
    .regex(/^[a-z]{2}$/, 'Choose a country'),
})

export async function addAddress(_prev: ActionState, formData: FormData): Promise<ActionState> {
  const input = addressSchema.safeParse(Object.fromEntries(formData))
  if (!input.success)
    return {
      message: 'Please correct the highlighted fields.',
      fieldErrors: fieldErrors(input.error),
      values: values(formData),
    }
  const refused = await consumePerIp(storefrontLimits().account)
  if (refused) return { message: refused.message, values: values(formData) }
  const context = await actionShopContext()
  const token = await customerToken(context)
  if (!token) return { message: 'Please log in again.' }
  try {
    await medusaFor(context.shop).client.fetch('/store/customers/me/addresses', {
      method: 'POST',
      body: input.data,
      headers: { authorization: `Bearer ${token}` },
    })
  } catch {
    return { message: 'We could not save this address. Please try again.' }
  }
  refresh()
  return { ok: true, message: 'Address saved.' }
}
