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

export const metadata: Metadata = { title: 'Search', robots: { index: false } }

export default async function SearchPage({ params, searchParams }: Props) {
  const context = await shopPageContext(params)
  const query = parseListQuery(await searchParams)
  if (!query.q)
    return (
      <ListingTemplate title="Search" products={[]} count={0} page={1} pages={1} sort={query.sort} basePath="/search" />
    )
  const list = await listProducts(context, context.region.id, query)
  return (
    <ListingTemplate
      title={`Results for “${query.q}”`}
      basePath="/search"
      sort={query.sort}
      page={query.page}
      q={query.q}
      {...list}
    />
  )
}
