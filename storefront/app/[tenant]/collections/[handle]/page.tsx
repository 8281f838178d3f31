import { shopContext } from '@lib/data/context'
import { listCollections, listProducts } from '@lib/data/products'
import { currentRegion } from '@lib/data/regions'
import { parseListQuery } from '@lib/list-query'
import ListingTemplate from '@modules/products/templates/ListingTemplate'
import type { Metadata } from 'next'
import { notFound } from 'next/navigation'

type Props = {
  params: Promise<{ tenant: string; handle: string }>
  searchParams: Promise<Record<string, string | string[] | undefined>>
}

async function groupOf(params: Props['params']) {
  const { tenant, handle } = await params
  const context = await shopContext(tenant)
  const group = (await listCollections(context)).find((g) => g.handle === handle)
  if (!group) notFound()
  return { context, group }
}

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const { group } = await groupOf(params)
  return {
    title: group.name,
    description: group.description ?? undefined,
    alternates: { canonical: `/collections/${group.handle}` },
  }
}

export default async function CollectionsPage({ params, searchParams }: Props) {
  const { context, group } = await groupOf(params)
  const query = parseListQuery(await searchParams)
  const region = await currentRegion(context)
  const list = await listProducts(context, region.id, { ...query, collectionId: group.id })
  return (
    <ListingTemplate
      title={group.name}
      intro={group.description}
      basePath={`/collections/${group.handle}`}
      sort={query.sort}
      page={query.page}
      {...list}
    />
  )
}
