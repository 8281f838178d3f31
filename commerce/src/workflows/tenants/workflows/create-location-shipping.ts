import { createFulfillmentSets, createRemoteLinkStep, createShippingOptionsWorkflow } from '@medusajs/core-flows'
import { Modules } from '@medusajs/framework/utils'
import { createWorkflow, transform, WorkflowResponse } from '@medusajs/framework/workflows-sdk'
import type { ShippingOptionData } from '../../../scripts/tenants'

/** Medusa's built-in manual fulfillment provider. */
export const MANUAL_FULFILLMENT_PROVIDER = 'manual_manual'

export interface CreateLocationShippingInput {
  stockLocationId: string
  shippingProfileId: string
  fulfillmentSetName: string
  /** One service zone per entry, covering its countries (ISO 3166-1 alpha-2, lower case). Names are unique in Medusa. */
  zones: { name: string; countries: string[] }[]
  /** Offered in every zone, priced in EUR and USD. */
  options: ShippingOptionData[]
}

export const createLocationShippingWorkflowId = 'create-location-shipping'

/**
 * Lets a stock location ship: enables the manual provider there, adds a fulfillment set with a service
 * zone per region, and the shipping options of every zone. Each step undoes itself on failure.
 */
export const createLocationShippingWorkflow = createWorkflow(
  createLocationShippingWorkflowId,
  (input: CreateLocationShippingInput) => {
    const sets = createFulfillmentSets(
      transform({ input }, ({ input }) => [
        {
          name: input.fulfillmentSetName,
          type: 'shipping',
          service_zones: input.zones.map((zone) => ({
            name: zone.name,
            geo_zones: zone.countries.map((country_code) => ({ type: 'country' as const, country_code })),
          })),
        },
      ]),
    )

    createRemoteLinkStep(
      transform({ input, sets }, ({ input, sets }) => [
        {
          [Modules.STOCK_LOCATION]: { stock_location_id: input.stockLocationId },
          [Modules.FULFILLMENT]: { fulfillment_provider_id: MANUAL_FULFILLMENT_PROVIDER },
        },
        {
          [Modules.STOCK_LOCATION]: { stock_location_id: input.stockLocationId },
          [Modules.FULFILLMENT]: { fulfillment_set_id: sets[0]!.id },
        },
      ]),
    )

    const optionsInput = transform({ input, sets }, ({ input, sets }) =>
      sets[0]!.service_zones.flatMap((zone) =>
        input.options.map((option) => ({
          name: option.label,
          price_type: 'flat' as const,
          provider_id: MANUAL_FULFILLMENT_PROVIDER,
          service_zone_id: zone.id,
          shipping_profile_id: input.shippingProfileId,
          type: { label: option.label, description: option.description, code: option.code },
          prices: [
            { currency_code: 'eur', amount: option.prices.eur },
            { currency_code: 'usd', amount: option.prices.usd },
          ],
          rules: [
            { attribute: 'enabled_in_store', operator: 'eq' as const, value: 'true' },
            { attribute: 'is_return', operator: 'eq' as const, value: 'false' },
          ],
        })),
      ),
    )
    const shippingOptions = createShippingOptionsWorkflow.runAsStep({ input: optionsInput })

    return new WorkflowResponse({ fulfillmentSet: sets[0], shippingOptions })
  },
)
