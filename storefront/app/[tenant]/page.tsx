import { getPage } from '@lib/data/content'
import { tenantBySlug } from '@lib/data/context'
import { listProducts } from '@lib/data/products'
import { currentRegion } from '@lib/data/regions'
import { shopOf } from '@lib/data/tenants'
import { seoMetadata } from '@lib/seo'
import HomeTemplate from '@modules/home/templates/HomeTemplate'
import type { Metadata } from 'next'

type Props = { params: Promise<{ tenant: string }> }

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const tenant = await tenantBySlug((await params).tenant)
  const page = await getPage(tenant, 'home')
  return seoMetadata(page?.title ? `${tenant.name}` : tenant.name, page?.seo, '/')
}

export default async function HomePage({ params }: Props) {
  const tenant = await tenantBySlug((await params).tenant)
  const shop = shopOf(tenant)
  const [page, featured] = await Promise.all([
    getPage(tenant, 'home'),
    shop
      ? currentRegion({ tenant, shop }).then(async (region) =>
          (await listProducts({ tenant, shop }, region.id, { page: 1, sort: 'newest' })).products.slice(0, 8),
        )
      : null,
  ])
  return <HomeTemplate tenantName={tenant.name} page={page} featured={featured} />
}
