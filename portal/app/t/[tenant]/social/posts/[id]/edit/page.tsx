import { getSocialPost, listSocialAccounts, listSocialMedia } from '@lib/data/social'
import { can } from '@lib/roles'
import { requireTenantAndLoad } from '@lib/session'
import { Composer } from '@modules/social/components/composer'
import Link from 'next/link'
import { notFound } from 'next/navigation'

/** Editing a draft in the composer; a post past draft is changed by its actions, not here. */
export default async function EditSocialPostPage({ params }: { params: Promise<{ tenant: string; id: string }> }) {
  const { tenant: tenantId, id } = await params
  const { tenant, role, data } = await requireTenantAndLoad(
    tenantId,
    (token, t) => Promise.all([getSocialPost(token, t, id), listSocialAccounts(token, t), listSocialMedia(token, t)]),
    'run',
  )
  const [post, accounts, media] = await data
  if (!post) notFound()
  return (
    <>
      <p>
        <Link href={`/t/${tenant.id}/social/posts/${post.id}`}>← {post.title}</Link>
      </p>
      <h1>Edit draft</h1>
      {post.status !== 'draft' ? (
        <p className="note">Only drafts can be edited; this post is {post.status}.</p>
      ) : (
        <Composer
          tenant={tenant.id}
          accounts={accounts.filter((a) => a.active)}
          media={media}
          canReview={can(role, 'review')}
          initial={{
            id: post.id,
            title: post.title,
            scheduledAt: post.scheduledAt,
            campaign: post.campaign,
            link: post.link,
            media: post.media,
            variants: post.variants.map((v) => ({ account: v.accountId, text: v.text, thread: v.thread })),
          }}
        />
      )}
    </>
  )
}
