/** The shape of the seed catalogues, and how a product's options expand into priced variants. */

export interface Money {
  /** Major units: 89.5 is €89.50. */
  eur: number
  usd: number
}

export interface CatalogueProduct {
  handle: string
  title: string
  subtitle?: string
  description: string
  /** Handle of a category from the tenant's `categories`. */
  category?: string
  /** Handle of a collection from the tenant's `collections`. */
  collection?: string
  /** Every combination of option values becomes a variant. */
  options: { title: string; values: string[] }[]
  price: Money
  /** Added to `price` for variants with this option value. */
  surcharges?: Record<string, Money>
  /** Background colour of the generated product image. */
  colour: string
  material?: string
  /** Grams. */
  weight?: number
  /** Physical goods track stock at the tenant's location; services and downloads do not. */
  manageInventory: boolean
}

export interface CatalogueVariant {
  title: string
  sku: string
  options: Record<string, string>
  prices: { amount: number; currency_code: 'eur' | 'usd' }[]
}

export interface CatalogueGroup {
  handle: string
  name: string
  description?: string
}

/** A tenant's products with the categories and collections they refer to by handle. */
export interface Catalogue {
  categories: CatalogueGroup[]
  collections: CatalogueGroup[]
  products: CatalogueProduct[]
}

const round = (value: number) => Math.round(value * 100) / 100

/** Every combination of the product's option values, with its SKU and EUR and USD prices. */
export function expandVariants(product: CatalogueProduct): CatalogueVariant[] {
  let combinations: Record<string, string>[] = [{}]
  for (const option of product.options)
    combinations = combinations.flatMap((combo) => option.values.map((value) => ({ ...combo, [option.title]: value })))
  return combinations.map((options) => {
    const values = Object.values(options)
    const extra = values.reduce(
      (sum, value) => ({
        eur: sum.eur + (product.surcharges?.[value]?.eur ?? 0),
        usd: sum.usd + (product.surcharges?.[value]?.usd ?? 0),
      }),
      { eur: 0, usd: 0 },
    )
    return {
      title: values.join(' / '),
      sku: [product.handle, ...values]
        .join('-')
        .toUpperCase()
        .replace(/[^A-Z0-9]+/g, '-'),
      options,
      prices: [
        { amount: round(product.price.eur + extra.eur), currency_code: 'eur' },
        { amount: round(product.price.usd + extra.usd), currency_code: 'usd' },
      ],
    }
  })
}

/** A stable stock figure between 8 and 60 for a SKU, so that seeded stock looks real but never changes. */
export function stockFor(sku: string): number {
  let hash = 0
  for (const char of sku) hash = (hash * 31 + char.charCodeAt(0)) >>> 0
  return 8 + (hash % 53)
}
