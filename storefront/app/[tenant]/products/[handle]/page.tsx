import { getProductContent } from '@lib/data/content'
import { shopContext } from '@lib/data/context'
import { getProduct } from '@lib/data/products'
import { currentRegion } from '@lib/data/regions'
import ProductTemplate from '@modules/products/templates/ProductTemplate'
import type { Metadata } from 'next'
import { notFound } from 'next/navigation'

type Props = { params: Promise<{ tenant: string; handle: string }> }

async function load(params: Props['params']) {
  const { tenant, handle } = await params
  const context = await shopContext(tenant)
  const region = await currentRegion(context)
  const product = await getProduct(context, handle, region.id)
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
