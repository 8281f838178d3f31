import { getPost } from '@lib/data/content'
import { tenantBySlug } from '@lib/data/context'
import { seoMetadata } from '@lib/seo'
import PostTemplate from '@modules/content/templates/PostTemplate'
import type { Metadata } from 'next'
import { notFound } from 'next/navigation'

type Props = { params: Promise<{ tenant: string; region: string; slug: string }> }

// Rendered on first request, then served from the cache until its tags are revalidated.
export async function generateStaticParams() {
  return []
}

async function load(params: Props['params']) {
  const { tenant: slug, slug: postSlug } = await params
  const tenant = await tenantBySlug(slug)
  const post = await getPost(tenant, postSlug)
  if (!post) notFound()
  return post
}

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const post = await load(params)
  return seoMetadata(post.title, post.seo, `/blog/${post.slug}`, post.excerpt)
}

export default async function PostPage({ params }: Props) {
  return <PostTemplate post={await load(params)} />
}
