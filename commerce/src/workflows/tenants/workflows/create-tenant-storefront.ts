import {
  createApiKeysWorkflow,
  createSalesChannelsWorkflow,
  createStockLocationsWorkflow,
  linkSalesChannelsToApiKeyWorkflow,
  linkSalesChannelsToStockLocationWorkflow,
} from '@medusajs/core-flows'
import { createWorkflow, transform, WorkflowResponse } from '@medusajs/framework/workflows-sdk'
import type { CommerceTenant } from '../../../scripts/tenants'

/** What a storefront is made from; a CommerceTenant is one. */
export interface CreateTenantStorefrontInput {
  /** Tenant slug, kept as the sales channel's `metadata.tenant`. */
  slug: string
  salesChannel: { name: string; description?: string }
  publishableKeyTitle: string
  stockLocation: { name: string; address?: CommerceTenant['stockLocation']['address'] }
  /** User id recorded as the key's creator. @default '' (the system) */
  createdBy?: string
}

export interface TenantStorefront {
  salesChannelId: string
  publishableKeyId: string
  /** The token storefronts send as `x-publishable-api-key`. */
  publishableKey: string
  stockLocationId: string
}

export const createTenantStorefrontWorkflowId = 'create-tenant-storefront'

/**
 * Gives a tenant its storefront in Medusa: a sales channel tagged with the tenant's slug, a publishable
 * API key scoped to it, and a stock location that serves it. All or nothing: a failure undoes the rest.
 */
export const createTenantStorefrontWorkflow = createWorkflow(
  createTenantStorefrontWorkflowId,
  (input: CreateTenantStorefrontInput) => {
    const channelInput = transform({ input }, ({ input }) => ({
      salesChannelsData: [{ ...input.salesChannel, metadata: { tenant: input.slug } }],
    }))
    const channels = createSalesChannelsWorkflow.runAsStep({ input: channelInput })

    const keyInput = transform({ input }, ({ input }) => ({
      api_keys: [{ title: input.publishableKeyTitle, type: 'publishable' as const, created_by: input.createdBy ?? '' }],
    }))
    const keys = createApiKeysWorkflow.runAsStep({ input: keyInput })
    linkSalesChannelsToApiKeyWorkflow.runAsStep({
      input: transform({ keys, channels }, ({ keys, channels }) => ({ id: keys[0]!.id, add: [channels[0]!.id] })),
    })

    const locationInput = transform({ input }, ({ input }) => ({
      locations: [{ name: input.stockLocation.name, address: input.stockLocation.address }],
    }))
    const locations = createStockLocationsWorkflow.runAsStep({ input: locationInput })
    linkSalesChannelsToStockLocationWorkflow.runAsStep({
      input: transform({ locations, channels }, ({ locations, channels }) => ({
        id: locations[0]!.id,
        add: [channels[0]!.id],
      })),
    })

    return new WorkflowResponse(
      transform(
        { channels, keys, locations },
        ({ channels, keys, locations }): TenantStorefront => ({
          salesChannelId: channels[0]!.id,
          publishableKeyId: keys[0]!.id,
          publishableKey: keys[0]!.token,
          stockLocationId: locations[0]!.id,
        }),
      ),
    )
  },
)
