import { chooseRegion } from '@lib/data/cart-actions'
import type { ShopContext } from '@lib/data/context'
import { currentRegion, listRegions } from '@lib/data/regions'

/** Region (currency) chooser; a plain form, so it works without JavaScript. */
export default async function RegionSelect({ context }: { context: ShopContext }) {
  const [regions, region] = await Promise.all([listRegions(context), currentRegion(context)])
  return (
    <form action={chooseRegion}>
      <label htmlFor="region" className="visually-hidden">
        Region and currency
      </label>
      <select id="region" name="regionId" defaultValue={region.id}>
        {regions.map((r) => (
          <option key={r.id} value={r.id}>
            {r.name} ({r.currency_code.toUpperCase()})
          </option>
        ))}
      </select>
      <button type="submit" className="btn btn-secondary">
        Change region
      </button>
    </form>
  )
}
