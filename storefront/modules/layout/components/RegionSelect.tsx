import { chooseRegion } from '@lib/data/cart-actions'
import type { ShopContext } from '@lib/data/context'
import { listRegions, regionByKey } from '@lib/data/regions'
import HydrateLater from './HydrateLater'

/** Region (currency) chooser; a plain form, so it works without JavaScript. */
export default async function RegionSelect({ context, regionKey }: { context: ShopContext; regionKey: string }) {
  const [regions, region] = await Promise.all([listRegions(context), regionByKey(context, regionKey)])
  return (
    <HydrateLater>
      <form action={chooseRegion}>
        <label htmlFor="region" className="visually-hidden">
          Region and currency
        </label>
        <select id="region" name="regionId" defaultValue={region.id}>
          {regions.map((r) => (
            <option key={r.id} value={r.id}>
              {`${r.name} (${r.currency_code.toUpperCase()})`}
            </option>
          ))}
        </select>
        <button type="submit" className="btn btn-secondary">
          Change region
        </button>
      </form>
    </HydrateLater>
  )
}
