import { shopOf, type Tenant } from '@lib/data/tenants'
import RegionSelect from './RegionSelect'

export default function ShopFooter({ tenant, regionKey }: { tenant: Tenant; regionKey: string }) {
  const shop = shopOf(tenant)
  return (
    <footer className="footer">
      <span>
        © {new Date().getFullYear()} {tenant.name}
      </span>
      {shop && <RegionSelect context={{ tenant, shop }} regionKey={regionKey} />}
    </footer>
  )
}
