'use client'
/** What can be done with a post as a whole, by its state: submit a draft, approve or reject, unschedule. */
import type { VariantStatus } from '@bizosaas/contracts/social'
import { approvePost, rejectPost, type SocialActionResult, submitPost, unschedulePost } from '@modules/social/actions'
import styles from '@modules/social/social.module.css'
import Link from 'next/link'
import { useRouter } from 'next/navigation'
import { useState, useTransition } from 'react'

export function PostActions({
  tenant,
  id,
  status,
  canAct,
  canReview,
}: {
  tenant: string
  id: string
  status: VariantStatus
  canAct: boolean
  canReview: boolean
}) {
  const router = useRouter()
  const [note, setNote] = useState('')
  const [result, setResult] = useState<SocialActionResult>({})
  const [pending, start] = useTransition()
  const run = (action: () => Promise<SocialActionResult>) =>
    start(async () => {
      const res = await action()
      setResult(res)
      if (res.ok) router.refresh()
    })
  if (!canAct) return null
  return (
    <div data-post-actions>
      <div className={styles.inline}>
        {status === 'draft' && (
          <>
            <Link href={`/t/${tenant}/social/posts/${id}/edit`}>Edit draft</Link>
            <button type="button" disabled={pending} onClick={() => run(() => submitPost(tenant, id))}>
              Submit for approval
            </button>
          </>
        )}
        {status === 'awaiting-approval' && canReview && (
          <button type="button" disabled={pending} onClick={() => run(() => approvePost(tenant, id))}>
            Approve
          </button>
        )}
        {status === 'scheduled' && (
          <button
            type="button"
            className="secondary"
            disabled={pending}
            onClick={() => run(() => unschedulePost(tenant, id))}
          >
            Unschedule
          </button>
        )}
      </div>
      {status === 'awaiting-approval' && canReview && (
        <form
          onSubmit={(e) => {
            e.preventDefault()
            run(() => rejectPost(tenant, id, note))
          }}
        >
          <label>
            Note for the author
            <textarea rows={2} value={note} maxLength={2000} onChange={(e) => setNote(e.target.value)} />
          </label>
          <button type="submit" className="danger" disabled={pending}>
            Reject
          </button>
        </form>
      )}
      {result.message && (
        <p className="ok" role="status">
          {result.message}
        </p>
      )}
      {result.error && (
        <p className="error" role="alert">
          {result.error}
        </p>
      )}
      {result.issues?.map((i) => (
        <p key={`${i.platform}-${i.rule}-${i.message}`} className="error">
          {i.message}
        </p>
      ))}
    </div>
  )
}
