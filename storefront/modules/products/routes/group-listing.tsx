/**
 * The category and collection listing pages: the same page over a different product group, so
 * `app/[tenant]/[region]/{categories,collections}/[handle]/page.tsx` are one line each over these.
 */
import { type RouteParams, shopPageContext } from '@lib/data/context'
import { type ListQuery, listCategories, listCollections, listProducts } from '@lib/data/products'
import { parseListQuery } from '@lib/list-query'
import ListingTemplate from '@modules/products/templates/ListingTemplate'
import type { Metadata } from 'next'
import { notFound } from 'next/navigation'

export type GroupKind = 'categories' | 'collections'

export type GroupRouteProps = {
  params: Promise<RouteParams & { handle: string }>
  searchParams: Promise<Record<string, string | string[] | undefined>>
}

const GROUPS = {
  categories: { list: listCategories, filter: (id: string): Partial<ListQuery> => ({ categoryId: id }) },
  collections: { list: listCollections, filter: (id: string): Partial<ListQuery> => ({ collectionId: id }) },
} as const

async function groupOf(kind: GroupKind, params: GroupRouteProps['params']) {
  const context = await shopPageContext(params)
  const handle = (await params).handle
  const group = (await GROUPS[kind].list(context)).find((g) => g.handle === handle)
  if (!group) notFound()
  return { context, group }
}

export async function groupMetadata(kind: GroupKind, { params }: GroupRouteProps): Promise<Metadata> {
  const { group } = await groupOf(kind, params)
  return {
    title: group.name,
    description: group.description ?? undefined,
    alternates: { canonical: `/${kind}/${group.handle}` },
  }
}

export default async function GroupListing({ kind, params, searchParams }: GroupRouteProps & { kind: GroupKind }) {
  const { context, group } = await groupOf(kind, params)
  const query = parseListQuery(await searchParams)
  const products = await listProducts(context, context.region.id, { ...query, ...GROUPS[kind].filter(group.id) })
  return (
    <ListingTemplate
      title={group.name}
      intro={group.description}
      basePath={`/${kind}/${group.handle}`}
      sort={query.sort}
      page={query.page}
      {...products}
    />
  )
}
