import { getPage } from '@lib/data/content'
import { optionalShopPageContext, tenantBySlug } from '@lib/data/context'
import { seoMetadata } from '@lib/seo'
import Blocks from '@modules/content/components/Blocks'
import type { Metadata } from 'next'
import { notFound } from 'next/navigation'

type Props = { params: Promise<{ tenant: string; region: string; slug: string[] }> }

// Rendered on first request, then served from the cache until its tags are revalidated.
export async function generateStaticParams() {
  return []
}

async function load(params: Props['params']) {
  const { tenant: tenantSlug, slug } = await params
  // Payload page slugs are single segments; anything deeper is not a page.
  if (slug.length !== 1 || !/^[a-z0-9-]{1,100}$/.test(slug[0]!)) notFound()
  const tenant = await tenantBySlug(tenantSlug)
  const page = await getPage(tenant, slug[0]!)
  if (!page) notFound()
  return page
}

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const page = await load(params)
  return seoMetadata(page.title, page.seo, `/${page.slug}`)
}

export default async function CmsPage({ params }: Props) {
  const [page, shop] = await Promise.all([load(params), optionalShopPageContext(params)])
  return <Blocks blocks={page.layout} shop={shop} />
}
