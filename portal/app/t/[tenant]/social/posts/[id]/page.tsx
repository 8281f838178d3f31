import { getSocialPost } from '@lib/data/social'
import { can } from '@lib/roles'
import { requireTenantAndLoad } from '@lib/session'
import { PostTemplate } from '@modules/social/templates/post-template'
import { notFound } from 'next/navigation'

/** One social post with its variants' states, links, errors and metrics. */
export default async function SocialPostPage({ params }: { params: Promise<{ tenant: string; id: string }> }) {
  const { tenant: tenantId, id } = await params
  const { tenant, role, data } = await requireTenantAndLoad(tenantId, (token, t) => getSocialPost(token, t, id))
  const post = await data
  if (!post) notFound()
  return <PostTemplate tenant={tenant.id} post={post} canAct={can(role, 'run')} canReview={can(role, 'review')} />
}
