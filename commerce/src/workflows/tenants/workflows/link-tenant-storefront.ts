import {
  acquireLockStep,
  createApiKeysWorkflow,
  createStockLocationsWorkflow,
  linkSalesChannelsToApiKeyWorkflow,
  linkSalesChannelsToStockLocationWorkflow,
  releaseLockStep,
} from '@medusajs/core-flows'
import { createWorkflow, transform, WorkflowResponse, when } from '@medusajs/framework/workflows-sdk'
import { findTenantStorefrontStep } from '../steps/find-tenant-storefront'
import {
  type CreateTenantStorefrontInput,
  createTenantStorefrontWorkflow,
  type TenantStorefront,
} from './create-tenant-storefront'

export interface LinkTenantStorefrontInput {
  /** Tenant slug (the sales channel's `metadata.tenant`). */
  slug: string
  /** The tenant's display name; the names below default to it. */
  name: string
  /** @default { name } */
  salesChannel?: CreateTenantStorefrontInput['salesChannel']
  /** @default `${name} storefront` */
  publishableKeyTitle?: string
  /** @default { name: `${name} stock` } */
  stockLocation?: CreateTenantStorefrontInput['stockLocation']
  /** User id recorded as a new key's creator. */
  createdBy?: string
}

export interface LinkTenantStorefrontResult {
  storefront: TenantStorefront
  /** Whether anything (channel, key or location) was made. */
  created: boolean
}

export const linkTenantStorefrontWorkflowId = 'link-tenant-storefront'

/** How long a second call for the same tenant waits for the first one, in seconds. */
const LOCK_TIMEOUT = 30
/** When a lock whose holder died is given up, in seconds. */
const LOCK_TTL = 120

/**
 * Makes sure a tenant has its storefront in Medusa (sales channel tagged with the slug, publishable
 * key, stock location) and returns it, creating only what is missing. Calls for one tenant run one
 * at a time (Medusa's Locking Module: in memory, or Redis with REDIS_URL), so racing calls make one
 * channel. Whatever a failed run made is undone.
 */
export const linkTenantStorefrontWorkflow = createWorkflow(
  linkTenantStorefrontWorkflowId,
  (input: LinkTenantStorefrontInput) => {
    const lockKey = transform({ input }, ({ input }) => `bizosaas:tenant-storefront:${input.slug}`)
    acquireLockStep({ key: lockKey, timeout: LOCK_TIMEOUT, ttl: LOCK_TTL })

    const found = findTenantStorefrontStep(transform({ input }, ({ input }) => ({ slug: input.slug })))
    const wanted = transform(
      { input },
      ({ input }): CreateTenantStorefrontInput => ({
        slug: input.slug,
        salesChannel: input.salesChannel ?? { name: input.name },
        publishableKeyTitle: input.publishableKeyTitle ?? `${input.name} storefront`,
        stockLocation: input.stockLocation ?? { name: `${input.name} stock` },
        createdBy: input.createdBy,
      }),
    )

    const whole = when('no-sales-channel', { found }, ({ found }) => !found).then(() =>
      createTenantStorefrontWorkflow.runAsStep({ input: wanted }),
    )

    const key = when('no-publishable-key', { found }, ({ found }) => !!found && !found.publishableKey).then(() => {
      const keys = createApiKeysWorkflow.runAsStep({
        input: transform({ wanted }, ({ wanted }) => ({
          api_keys: [
            { title: wanted.publishableKeyTitle, type: 'publishable' as const, created_by: wanted.createdBy ?? '' },
          ],
        })),
      })
      linkSalesChannelsToApiKeyWorkflow.runAsStep({
        input: transform({ keys, found }, ({ keys, found }) => ({ id: keys[0]!.id, add: [found!.salesChannelId] })),
      })
      return keys
    })

    const location = when('no-stock-location', { found }, ({ found }) => !!found && !found.stockLocation).then(() => {
      const locations = createStockLocationsWorkflow.runAsStep({
        input: transform({ wanted }, ({ wanted }) => ({
          locations: [{ name: wanted.stockLocation.name, address: wanted.stockLocation.address }],
        })),
      })
      linkSalesChannelsToStockLocationWorkflow.runAsStep({
        input: transform({ locations, found }, ({ locations, found }) => ({
          id: locations[0]!.id,
          add: [found!.salesChannelId],
        })),
      })
      return locations
    })

    releaseLockStep({ key: lockKey })

    return new WorkflowResponse(
      transform({ found, whole, key, location }, ({ found, whole, key, location }): LinkTenantStorefrontResult => {
        if (whole) return { storefront: whole, created: true }
        // Without a channel `whole` is set, so `found` is here.
        const existing = found!
        const publishableKey = key?.[0] ?? existing.publishableKey!
        return {
          storefront: {
            salesChannelId: existing.salesChannelId,
            publishableKeyId: publishableKey.id,
            publishableKey: publishableKey.token,
            stockLocationId: location?.[0]?.id ?? existing.stockLocation!.id,
          },
          created: Boolean(key || location),
        }
      }),
    )
  },
)
