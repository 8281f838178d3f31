import { getPage } from '@lib/data/content'
import { optionalShopPageContext, type RouteParams, tenantBySlug } from '@lib/data/context'
import { seoMetadata } from '@lib/seo'
import HomeTemplate from '@modules/home/templates/HomeTemplate'
import type { Metadata } from 'next'

type Props = { params: Promise<RouteParams> }

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const tenant = await tenantBySlug((await params).tenant)
  const page = await getPage(tenant, 'home')
  return seoMetadata(tenant.name, page?.seo, '/')
}

export default async function HomePage({ params }: Props) {
  const tenant = await tenantBySlug((await params).tenant)
  const [page, shop] = await Promise.all([getPage(tenant, 'home'), optionalShopPageContext(params)])
  return <HomeTemplate tenantName={tenant.name} page={page} shop={shop} />
}
