/**
 * The tenants that sell through Medusa. In Medusa a tenant is a sales channel with its own publishable
 * API key and stock location; the seed creates them from this list and tags each sales channel with
 * `metadata.tenant = slug`, which is how other code (the CMS tenant link, tests) finds them again.
 */
import { bizoholicCatalogue } from './data/bizoholic-catalogue'
import type { Catalogue } from './data/catalogue'
import { coreldoveCatalogue } from './data/coreldove-catalogue'

export type CommerceTenantSlug = 'bizoholic' | 'coreldove'

export interface ShippingOptionData {
  /** Shipping option type code, e.g. `standard`. */
  code: string
  label: string
  description: string
  /** Flat price in major units (10.5 = €10.50). */
  prices: { eur: number; usd: number }
}

export interface CommerceTenant {
  /** Same slug as the tenant in the CMS. */
  slug: CommerceTenantSlug
  name: string
  salesChannel: { name: string; description: string }
  /** Title of the tenant's publishable API key (the storefront sends its token). */
  publishableKeyTitle: string
  stockLocation: {
    name: string
    address: { address_1: string; city: string; postal_code: string; country_code: string }
  }
  /** Name of the fulfillment set at the tenant's stock location; its service zones follow the regions. */
  fulfillmentSetName: string
  shippingOptions: ShippingOptionData[]
  catalogue: Catalogue
}

export const commerceTenants: readonly CommerceTenant[] = [
  {
    slug: 'bizoholic',
    name: 'Bizoholic',
    salesChannel: { name: 'Bizoholic', description: 'Bizoholic marketing services and digital packages' },
    publishableKeyTitle: 'Bizoholic storefront',
    stockLocation: {
      name: 'Bizoholic Studio',
      address: { address_1: 'Torstraße 102', city: 'Berlin', postal_code: '10119', country_code: 'de' },
    },
    fulfillmentSetName: 'Bizoholic digital delivery',
    shippingOptions: [
      {
        code: 'digital',
        label: 'Digital delivery',
        description: 'Delivered by email; sessions are booked after payment.',
        prices: { eur: 0, usd: 0 },
      },
    ],
    catalogue: bizoholicCatalogue,
  },
  {
    slug: 'coreldove',
    name: 'CoreLDove',
    salesChannel: { name: 'CoreLDove', description: 'CoreLDove lighting and home decor shop' },
    publishableKeyTitle: 'CoreLDove storefront',
    stockLocation: {
      name: 'CoreLDove Warehouse',
      address: { address_1: 'Havenstraat 18', city: 'Rotterdam', postal_code: '3024 SH', country_code: 'nl' },
    },
    fulfillmentSetName: 'CoreLDove warehouse shipping',
    shippingOptions: [
      {
        code: 'standard',
        label: 'Standard',
        description: 'Delivered in 3–5 working days.',
        prices: { eur: 6.95, usd: 8.95 },
      },
      {
        code: 'express',
        label: 'Express',
        description: 'Delivered in 1–2 working days.',
        prices: { eur: 14.95, usd: 19.95 },
      },
    ],
    catalogue: coreldoveCatalogue,
  },
]

/** The tenant with `slug`; throws for an unknown slug. */
export function commerceTenant(slug: CommerceTenantSlug): CommerceTenant {
  const tenant = commerceTenants.find((t) => t.slug === slug)
  if (!tenant) throw new Error(`Unknown commerce tenant "${slug}"`)
  return tenant
}
