/** Store currencies, regions and the tax rates of their countries (standard VAT / sales tax, in %). */

export const storeCurrencies = [
  { currency_code: 'eur', is_default: true },
  { currency_code: 'usd', is_default: false },
] as const

export interface RegionData {
  name: string
  currency_code: 'eur' | 'usd'
  /** ISO 3166-1 alpha-2, lower case, with the country's standard tax rate. */
  countries: Record<string, number>
}

export const regions: RegionData[] = [
  {
    name: 'Europe',
    currency_code: 'eur',
    countries: { de: 19, fr: 20, es: 21, it: 22, nl: 21, gb: 20, be: 21, at: 20, ie: 23, pt: 23, dk: 25, se: 25 },
  },
  // US sales tax is set per state; the country-level default stays 0 until a tax provider is configured.
  { name: 'North America', currency_code: 'usd', countries: { us: 0, ca: 5 } },
]

/** The manual payment provider Medusa ships with; both regions accept it. */
export const SYSTEM_PAYMENT_PROVIDER = 'pp_system_default'
