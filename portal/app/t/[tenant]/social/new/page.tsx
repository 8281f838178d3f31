import { listSocialAccounts, listSocialMedia } from '@lib/data/social'
import { can } from '@lib/roles'
import { requireTenantAndLoad } from '@lib/session'
import { Composer } from '@modules/social/components/composer'
import Link from 'next/link'

/** A new social post (managers and tenant-admins; clients get a 404 — nothing here they could do). */
export default async function NewSocialPostPage({ params }: { params: Promise<{ tenant: string }> }) {
  const { tenant, role, data } = await requireTenantAndLoad(
    (await params).tenant,
    (token, id) => Promise.all([listSocialAccounts(token, id), listSocialMedia(token, id)]),
    'run',
  )
  const [accounts, media] = await data
  return (
    <>
      <p>
        <Link href={`/t/${tenant.id}/social`}>← Calendar</Link>
      </p>
      <h1>New social post</h1>
      <Composer
        tenant={tenant.id}
        accounts={accounts.filter((a) => a.active)}
        media={media}
        canReview={can(role, 'review')}
      />
    </>
  )
}
