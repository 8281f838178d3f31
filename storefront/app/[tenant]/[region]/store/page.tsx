import { type RouteParams, shopPageContext } from '@lib/data/context'
import { listProducts } from '@lib/data/products'
import { parseListQuery } from '@lib/list-query'
import ListingTemplate from '@modules/products/templates/ListingTemplate'
import type { Metadata } from 'next'

// Per shopper (cookies or the query string): never cached.
export const dynamic = 'force-dynamic'

type Props = {
  params: Promise<RouteParams>
  searchParams: Promise<Record<string, string | string[] | undefined>>
}

export const metadata: Metadata = { title: 'Shop', alternates: { canonical: '/store' } }

export default async function StorePage({ params, searchParams }: Props) {
  const context = await shopPageContext(params)
  const query = parseListQuery(await searchParams)
  const list = await listProducts(context, context.region.id, query)
  return <ListingTemplate title="All products" basePath="/store" sort={query.sort} page={query.page} {...list} />
}
