/**
 * The signed-in customer (Medusa customer auth). The JWT lives in an http-only cookie per tenant and
 * is sent as a bearer token from the server only; the browser never sees it.
 */
import { cookies } from 'next/headers'
import type { ShopContext } from './context'
import { medusaFor, medusaStatus } from './medusa'

export const authCookieName = (tenantSlug: string) => `auth_${tenantSlug}`

export interface CustomerAddress {
  id: string
  first_name?: string | null
  last_name?: string | null
  address_1?: string | null
  city?: string | null
  postal_code?: string | null
  country_code?: string | null
}

export interface Customer {
  id: string
  email: string
  first_name?: string | null
  last_name?: string | null
  addresses: CustomerAddress[]
}

export async function customerToken(context: ShopContext): Promise<string | null> {
  return (await cookies()).get(authCookieName(context.tenant.slug))?.value ?? null
}

/** The customer behind the cookie, or null (no cookie, expired or revoked token). */
export async function getCustomer(context: ShopContext): Promise<Customer | null> {
  const token = await customerToken(context)
  if (!token) return null
  try {
    const { customer } = await medusaFor(context.shop).client.fetch<{ customer: Customer }>('/store/customers/me', {
      method: 'GET',
      query: { fields: 'id,email,first_name,last_name,*addresses' },
      headers: { authorization: `Bearer ${token}` },
      cache: 'no-store',
    } as never)
    return customer
  } catch (error) {
    if (medusaStatus(error) === 401 || medusaStatus(error) === 404) return null
    throw error
  }
}
