/** The parts of a Medusa cart the storefront shows. */
export interface CartAddress {
  first_name?: string | null
  last_name?: string | null
  address_1?: string | null
  address_2?: string | null
  city?: string | null
  postal_code?: string | null
  province?: string | null
  country_code?: string | null
  phone?: string | null
}

export interface CartLine {
  id: string
  title: string
  product_title?: string | null
  variant_title?: string | null
  product_handle?: string | null
  thumbnail?: string | null
  quantity: number
  unit_price: number
  total: number
  variant_id?: string | null
}

export interface Cart {
  id: string
  email?: string | null
  currency_code: string
  region_id?: string | null
  sales_channel_id?: string | null
  completed_at?: string | null
  items: CartLine[]
  subtotal: number
  item_subtotal?: number
  shipping_total: number
  tax_total: number
  total: number
  shipping_address?: CartAddress | null
  shipping_methods?: { id: string; shipping_option_id: string; name?: string; amount: number }[] | null
  region?: {
    id: string
    name: string
    currency_code: string
    countries?: { iso_2: string; display_name: string }[]
  } | null
}

export interface ShippingOption {
  id: string
  name: string
  amount: number
  calculated_price?: { calculated_amount: number } | null
}

/** What a cart or checkout action returns to its form. */
export interface ActionState {
  ok?: boolean
  message?: string
  fieldErrors?: Record<string, string>
  /** What the shopper entered, so a refused form shows it again (React resets forms after an action). */
  values?: Record<string, string>
}
