/**
 * Medusa's store API through `@medusajs/js-sdk`, one client per tenant with the tenant's publishable
 * key (which scopes products and carts to its sales channel). Catalogue reads go through Next's data
 * cache under tags (`products`, `products:<tenant>`), so a shopper never waits on Medusa's list queries;
 * a product event from Medusa revalidates them.
 */

import { REQUEST_ID_HEADER } from '@bizosaas/observability/request-id'
import { storefrontEnv } from '@lib/env'
import * as jsSdk from '@medusajs/js-sdk'
import type { TenantShop } from './tenants'

// The package ships CommonJS beside ESM; depending on the loader the class is `default` or `default.default`.
const Medusa: typeof jsSdk.default =
  (jsSdk.default as unknown as { default?: typeof jsSdk.default }).default ?? jsSdk.default

export type MedusaSdk = jsSdk.default

const clients = new Map<string, MedusaSdk>()

/**
 * The js-sdk client for a tenant's shop (server only; keeps no session of its own). A shop carrying a
 * request id (server actions) gets a client of its own that sends it as `x-request-id`.
 */
export function medusaFor(shop: TenantShop): MedusaSdk {
  if (shop.requestId)
    return new Medusa({
      baseUrl: storefrontEnv().MEDUSA_URL,
      publishableKey: shop.publishableKey,
      auth: { type: 'jwt', jwtTokenStorageMethod: 'nostore' },
      globalHeaders: { [REQUEST_ID_HEADER]: shop.requestId },
    })
  let client = clients.get(shop.publishableKey)
  if (!client) {
    client = new Medusa({
      baseUrl: storefrontEnv().MEDUSA_URL,
      publishableKey: shop.publishableKey,
      auth: { type: 'jwt', jwtTokenStorageMethod: 'nostore' },
    })
    clients.set(shop.publishableKey, client)
  }
  return client
}

export class ShopUnavailableError extends Error {
  override name = 'ShopUnavailableError'
}

/** A cached GET on the store API (`tags` for revalidation); 404 → null. */
export async function storeGet<T>(
  shop: TenantShop,
  path: string,
  query: Record<string, unknown>,
  cacheOptions: { tags: string[]; revalidate?: number },
): Promise<T | null> {
  try {
    return await medusaFor(shop).client.fetch<T>(path, {
      method: 'GET',
      query,
      cache: 'force-cache',
      next: { tags: cacheOptions.tags, revalidate: cacheOptions.revalidate ?? 600 },
    } as Parameters<MedusaSdk['client']['fetch']>[1])
  } catch (error) {
    const status = (error as { status?: number }).status
    if (status === 404) return null
    if (status === undefined || status >= 500)
      throw new ShopUnavailableError(`The shop service is unreachable (${(error as Error).message})`)
    throw error
  }
}

/** The message Medusa gave, for mapping to words a shopper understands. */
export function medusaMessage(error: unknown): string {
  return String((error as { message?: string })?.message ?? error)
}

export function medusaStatus(error: unknown): number | undefined {
  return (error as { status?: number })?.status
}
