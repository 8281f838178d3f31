/** Medusa 2 amounts are in major units (89 is €89.00). */
export function formatMoney(amount: number | null | undefined, currency: string): string {
  return new Intl.NumberFormat('en-GB', { style: 'currency', currency: currency.toUpperCase() }).format(amount ?? 0)
}
