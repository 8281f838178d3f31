/**
 * The tenant ↔ Medusa link: Medusa's `link-tenant-storefront` workflow (an idempotent admin route in
 * commerce/) makes or finds the tenant's sales channel, publishable key and stock location; the ids are
 * recorded on the tenant's `commerce` group. Linking again changes nothing.
 */
import type { Payload, PayloadRequest } from 'payload'
import { z } from 'zod'
import { medusaClientOf, medusaConfigOf, withDeadline } from '../client.ts'

type Id = number | string

const storefrontSchema = z.object({
  storefront: z.object({
    salesChannelId: z.string().min(1),
    publishableKeyId: z.string().min(1),
    publishableKey: z.string().min(1),
    stockLocationId: z.string().min(1),
  }),
  created: z.boolean(),
})

export type TenantStorefront = z.output<typeof storefrontSchema>['storefront']

export interface TenantLinkResult {
  tenant: string
  storefront: TenantStorefront
  /** Medusa made something (a new channel, key or location). */
  createdInMedusa: boolean
  /** The tenant document changed (it had no or other ids). */
  recorded: boolean
}

interface TenantDoc {
  id: Id
  name: string
  slug: string
  commerce?: {
    enabled?: boolean | null
    salesChannelId?: string | null
    publishableKey?: string | null
    publishableKeyId?: string | null
    stockLocationId?: string | null
  } | null
}

/** Context flag on tenant writes made by the link itself (its hook ignores them). */
export const LINK_CONTEXT = 'medusaTenantLink'

/** Links a tenant to its Medusa storefront and records the ids on the tenant. */
export async function linkTenantCommerce(
  payload: Payload,
  tenantId: Id,
  options: { req?: PayloadRequest } = {},
): Promise<TenantLinkResult> {
  const tenant = (await payload.findByID({
    collection: 'tenants' as never,
    id: tenantId,
    depth: 0,
    overrideAccess: true,
    req: options.req,
  })) as unknown as TenantDoc
  const config = medusaConfigOf(payload)
  const path = `/admin/bizosaas/tenants/${encodeURIComponent(tenant.slug)}/storefront`
  const response = await withDeadline(
    medusaClientOf(payload).client.fetch<unknown>(path, { method: 'POST', body: { name: tenant.name } }),
    config.timeoutMs,
    `POST ${path}`,
  )
  const parsed = storefrontSchema.safeParse(response)
  if (!parsed.success) throw new Error(`Medusa answered ${path} with an unexpected body: ${parsed.error.message}`)
  const { storefront, created } = parsed.data
  const current = tenant.commerce ?? {}
  const recorded =
    current.salesChannelId !== storefront.salesChannelId ||
    current.publishableKey !== storefront.publishableKey ||
    current.publishableKeyId !== storefront.publishableKeyId ||
    current.stockLocationId !== storefront.stockLocationId
  if (recorded || current.enabled !== true)
    await payload.update({
      collection: 'tenants' as never,
      id: tenant.id,
      data: {
        commerce: { enabled: true, ...storefront, linkedAt: new Date().toISOString(), linkError: null },
      } as never,
      overrideAccess: true,
      req: options.req,
      context: { [LINK_CONTEXT]: true },
    })
  return { tenant: tenant.slug, storefront, createdInMedusa: created, recorded }
}

/** Records why linking failed (after the last retry), for the admin to see on the tenant. */
export async function markLinkFailed(
  payload: Payload,
  tenantId: Id,
  reason: string,
  options: { req?: PayloadRequest } = {},
): Promise<void> {
  await payload.update({
    collection: 'tenants' as never,
    id: tenantId,
    data: { commerce: { linkError: reason.slice(0, 2000) } } as never,
    overrideAccess: true,
    req: options.req,
    context: { [LINK_CONTEXT]: true },
  })
}
