import type { MedusaContainer } from '@medusajs/framework/types'
import { ContainerRegistrationKeys } from '@medusajs/framework/utils'
import { createStep, StepResponse } from '@medusajs/framework/workflows-sdk'

/** A tenant's storefront as it is in Medusa; the key and the location may be missing. */
export interface FoundTenantStorefront {
  salesChannelId: string
  salesChannelName: string
  /** The first live (not revoked) publishable key linked to the channel. */
  publishableKey: { id: string; token: string } | null
  /** The first stock location linked to the channel, with its fulfillment sets' names. */
  stockLocation: { id: string; fulfillmentSets: string[] } | null
}

interface ChannelRow {
  id: string
  name: string
  created_at: string | Date
  metadata: Record<string, unknown> | null
  publishable_api_keys?: { id: string; token: string; revoked_at: string | Date | null; created_at: string | Date }[]
  stock_locations?: { id: string; fulfillment_sets?: { name: string }[] | null }[]
}

const time = (value: string | Date) => new Date(value).getTime()

/**
 * The tenant's sales channel (the oldest one whose `metadata.tenant` is `slug`) with its publishable
 * key and stock location, or null when the tenant has no channel.
 */
export async function findTenantStorefront(
  container: MedusaContainer,
  slug: string,
): Promise<FoundTenantStorefront | null> {
  const query = container.resolve(ContainerRegistrationKeys.QUERY)
  // Query cannot filter on a JSON field; there is one channel per tenant, so reading them all is cheap.
  const { data } = await query.graph({
    entity: 'sales_channel',
    fields: [
      'id',
      'name',
      'created_at',
      'metadata',
      'publishable_api_keys.id',
      'publishable_api_keys.token',
      'publishable_api_keys.revoked_at',
      'publishable_api_keys.created_at',
      'stock_locations.id',
      'stock_locations.fulfillment_sets.name',
    ],
  })
  const channel = (data as ChannelRow[])
    .filter((c) => c.metadata?.tenant === slug)
    .sort((a, b) => time(a.created_at) - time(b.created_at))[0]
  if (!channel) return null
  const key = (channel.publishable_api_keys ?? [])
    .filter((k) => k && !k.revoked_at)
    .sort((a, b) => time(a.created_at) - time(b.created_at))[0]
  const location = (channel.stock_locations ?? []).find(Boolean)
  return {
    salesChannelId: channel.id,
    salesChannelName: channel.name,
    publishableKey: key ? { id: key.id, token: key.token } : null,
    stockLocation: location
      ? { id: location.id, fulfillmentSets: (location.fulfillment_sets ?? []).map((set) => set.name) }
      : null,
  }
}

export const findTenantStorefrontStepId = 'find-tenant-storefront'

/** Looks up the tenant's sales channel, publishable key and stock location (null: no channel yet). */
export const findTenantStorefrontStep = createStep(
  findTenantStorefrontStepId,
  async (input: { slug: string }, { container }) => new StepResponse(await findTenantStorefront(container, input.slug)),
)
