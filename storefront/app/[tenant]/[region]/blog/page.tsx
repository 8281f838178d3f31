import { listPosts } from '@lib/data/content'
import { tenantBySlug } from '@lib/data/context'
import PostList from '@modules/content/templates/PostList'
import type { Metadata } from 'next'

export const metadata: Metadata = { title: 'Blog', alternates: { canonical: '/blog' } }

export default async function BlogPage({ params }: { params: Promise<{ tenant: string; region: string }> }) {
  const tenant = await tenantBySlug((await params).tenant)
  return <PostList posts={(await listPosts(tenant)).docs} />
}
