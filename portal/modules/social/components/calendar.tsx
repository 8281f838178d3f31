'use client'
/**
 * The content calendar grid (week or month, UTC days): posts at their time, coloured by status; drag a
 * post onto another day to move it there at the same time of day (or use its Move form — the keyboard
 * way); awaiting-approval posts carry Approve / Reject (with a note) for managers. A refused move (the
 * past, a post already publishing) is said above the grid in the server's words.
 */
import type { VariantStatus } from '@bizosaas/contracts/social'
import { approvePost, rejectPost, reschedulePost, type SocialActionResult } from '@modules/social/actions'
import styles from '@modules/social/social.module.css'
import { STATUS_COLOUR, STATUS_LABEL, timeOf } from '@modules/social/status'
import Link from 'next/link'
import { useRouter } from 'next/navigation'
import { useState, useTransition } from 'react'

/** What a calendar chip needs of a post. */
export interface CalendarPost {
  id: string
  title: string
  status: VariantStatus
  scheduledAt: string | null
  platforms: string[]
  rejectionNote: string | null
}

const MOVABLE = new Set<VariantStatus>(['draft', 'awaiting-approval', 'scheduled'])
const WEEKDAYS = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun']

export function Calendar({
  tenant,
  view,
  days,
  month,
  today,
  posts,
  unscheduled,
  canAct,
  canReview,
}: {
  tenant: string
  view: 'week' | 'month'
  days: string[]
  /** `2026-12` in the month view: days of other months are dimmed. */
  month: string | null
  today: string
  posts: CalendarPost[]
  /** Drafts and awaiting-approval posts not placed in this range: the side list. */
  unscheduled: CalendarPost[]
  canAct: boolean
  canReview: boolean
}) {
  const router = useRouter()
  const [result, setResult] = useState<SocialActionResult>({})
  const [over, setOver] = useState<string | null>(null)
  const [pending, start] = useTransition()
  const byDay = new Map<string, CalendarPost[]>()
  for (const p of posts) {
    const key = p.scheduledAt?.slice(0, 10)
    if (key) byDay.set(key, [...(byDay.get(key) ?? []), p])
  }

  const run = (action: () => Promise<SocialActionResult>) =>
    start(async () => {
      const res = await action()
      setResult(res)
      if (res.ok) router.refresh()
    })

  const moveTo = (post: CalendarPost, day: string) => {
    const time = post.scheduledAt?.slice(11, 19) ?? '09:00:00'
    if (post.scheduledAt?.slice(0, 10) === day) return
    run(() => reschedulePost(tenant, post.id, `${day}T${time}.000Z`))
  }

  return (
    <div className={styles.layout}>
      <div data-calendar={view}>
        <output aria-live="polite" data-calendar-message>
          {result.error && (
            <span className="error" role="alert">
              {result.error}
            </span>
          )}
          {result.ok && result.message && <span className="ok">{result.message}</span>}
        </output>
        <div className={`${styles.grid} ${view === 'week' ? styles.week : ''}`} aria-busy={pending}>
          {WEEKDAYS.map((d) => (
            <div key={d} className={styles.head}>
              {d}
            </div>
          ))}
          {days.map((day) => (
            <section
              key={day}
              aria-label={day}
              data-day={day}
              data-over={over === day}
              data-past={day < today}
              data-other-month={month !== null && !day.startsWith(month)}
              className={styles.day}
              onDragOver={(e) => {
                if (!canAct) return
                e.preventDefault()
                e.dataTransfer.dropEffect = 'move'
                setOver(day)
              }}
              onDragLeave={() => setOver((o) => (o === day ? null : o))}
              onDrop={(e) => {
                e.preventDefault()
                setOver(null)
                const id = e.dataTransfer.getData('text/plain')
                const post = posts.find((p) => p.id === id) ?? unscheduled.find((p) => p.id === id)
                if (post) moveTo(post, day)
              }}
            >
              <div className={styles.dayNumber}>
                {view === 'week' ? day.slice(5) : Number(day.slice(8))}
                {day === today && ' · today'}
              </div>
              {(byDay.get(day) ?? []).map((post) => (
                <PostChip
                  key={`${post.id}@${post.scheduledAt ?? ''}`}
                  tenant={tenant}
                  post={post}
                  draggable={canAct && MOVABLE.has(post.status)}
                  canReview={canReview}
                  busy={pending}
                  run={run}
                />
              ))}
            </section>
          ))}
        </div>
      </div>
      <aside className={styles.side} data-unscheduled aria-label="Drafts and posts awaiting approval">
        <h2>Not on the calendar</h2>
        {unscheduled.length === 0 && <p className="note">No drafts or posts awaiting approval.</p>}
        {unscheduled.map((post) => (
          <PostChip
            key={`${post.id}@${post.scheduledAt ?? ''}`}
            tenant={tenant}
            post={post}
            draggable={canAct && MOVABLE.has(post.status)}
            canReview={canReview}
            busy={pending}
            run={run}
          />
        ))}
      </aside>
    </div>
  )
}

function PostChip({
  tenant,
  post,
  draggable,
  canReview,
  busy,
  run,
}: {
  tenant: string
  post: CalendarPost
  draggable: boolean
  canReview: boolean
  busy: boolean
  run: (action: () => Promise<SocialActionResult>) => void
}) {
  const [rejecting, setRejecting] = useState(false)
  const [note, setNote] = useState('')
  const [when, setWhen] = useState(post.scheduledAt?.slice(0, 16) ?? '')
  return (
    <article
      className={styles.chip}
      data-post={post.id}
      data-status={post.status}
      style={{ background: STATUS_COLOUR[post.status] }}
      draggable={draggable}
      onDragStart={(e) => {
        e.dataTransfer.setData('text/plain', post.id)
        e.dataTransfer.effectAllowed = 'move'
      }}
    >
      <div className={styles.chipStatus}>
        {timeOf(post.scheduledAt)} · {STATUS_LABEL[post.status]}
      </div>
      <Link href={`/t/${tenant}/social/posts/${post.id}`}>{post.title}</Link>
      <div className={styles.chipStatus}>{post.platforms.join(' · ')}</div>
      {canReview && post.status === 'awaiting-approval' && (
        <div className={styles.inline} data-approval>
          <button type="button" disabled={busy} onClick={() => run(() => approvePost(tenant, post.id))}>
            Approve
          </button>
          <button type="button" className="secondary" disabled={busy} onClick={() => setRejecting((r) => !r)}>
            Reject
          </button>
          {rejecting && (
            <form
              onSubmit={(e) => {
                e.preventDefault()
                run(() => rejectPost(tenant, post.id, note))
              }}
            >
              <label>
                Note for the author
                <textarea rows={2} value={note} maxLength={2000} onChange={(e) => setNote(e.target.value)} />
              </label>
              <button type="submit" className="danger" disabled={busy}>
                Send back
              </button>
            </form>
          )}
        </div>
      )}
      {draggable && (
        <details>
          <summary>Move</summary>
          <form
            onSubmit={(e) => {
              e.preventDefault()
              run(() => reschedulePost(tenant, post.id, `${when}:00.000Z`))
            }}
          >
            <label>
              New time (UTC)
              <input type="datetime-local" value={when} onChange={(e) => setWhen(e.target.value)} required />
            </label>
            <button type="submit" disabled={busy}>
              Move
            </button>
          </form>
        </details>
      )}
    </article>
  )
}
