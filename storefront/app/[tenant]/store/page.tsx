import { shopContext } from '@lib/data/context'
import { listProducts } from '@lib/data/products'
import { currentRegion } from '@lib/data/regions'
import { parseListQuery } from '@lib/list-query'
import ListingTemplate from '@modules/products/templates/ListingTemplate'
import type { Metadata } from 'next'

type Props = {
  params: Promise<{ tenant: string }>
  searchParams: Promise<Record<string, string | string[] | undefined>>
}

export const metadata: Metadata = { title: 'Shop', alternates: { canonical: '/store' } }

export default async function StorePage({ params, searchParams }: Props) {
  const context = await shopContext((await params).tenant)
  const query = parseListQuery(await searchParams)
  const region = await currentRegion(context)
  const list = await listProducts(context, region.id, query)
  return <ListingTemplate title="All products" basePath="/store" sort={query.sort} page={query.page} {...list} />
}
