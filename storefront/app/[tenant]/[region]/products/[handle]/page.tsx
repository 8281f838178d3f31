import { getProductContent } from '@lib/data/content'
import { type RouteParams, shopPageContext } from '@lib/data/context'
import { getProduct } from '@lib/data/products'
import ProductTemplate from '@modules/products/templates/ProductTemplate'
import type { Metadata } from 'next'
import { notFound } from 'next/navigation'

type Props = { params: Promise<RouteParams & { handle: string }> }

// Rendered on first request, then served from the cache until its tags are revalidated.
export async function generateStaticParams() {
  return []
}

async function load(params: Props['params']) {
  const context = await shopPageContext(params)
  const product = await getProduct(context, (await params).handle, context.region.id)
  if (!product) notFound()
  return { context, product }
}

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const { context, product } = await load(params)
  const content = await getProductContent(context.tenant, product.id)
  const title = content?.seo?.metaTitle || product.title
  const description = content?.seo?.metaDescription || product.description || undefined
  const path = `/products/${product.handle}`
  return {
    title,
    description,
    alternates: { canonical: path },
    openGraph: { title, description, url: path, images: product.thumbnail ? [product.thumbnail] : undefined },
  }
}

export default async function ProductPage({ params }: Props) {
  const { context, product } = await load(params)
  const content = await getProductContent(context.tenant, product.id)
  return <ProductTemplate product={product} content={content} />
}
