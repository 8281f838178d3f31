/**
 * The social page: toolbar (previous / today / next, week or month, new post, accounts, metrics) over
 * the calendar grid and its side list. Server-rendered; only the grid is a client component.
 */
import { addDays, type CalendarData, type CalendarView, dayKey, type SocialPost } from '@lib/data/social'
import { Calendar, type CalendarPost } from '@modules/social/components/calendar'
import styles from '@modules/social/social.module.css'
import Link from 'next/link'

const chip = (p: SocialPost): CalendarPost => ({
  id: p.id,
  title: p.title,
  status: p.status,
  scheduledAt: p.scheduledAt,
  platforms: [...new Set(p.variants.map((v) => v.account?.name ?? v.platform))],
  rejectionNote: p.rejectionNote,
})

export function CalendarTemplate({
  tenant,
  view,
  date,
  days,
  data,
  canAct,
  canReview,
}: {
  tenant: string
  view: CalendarView
  date: Date
  days: string[]
  data: CalendarData | { error: string }
  canAct: boolean
  canReview: boolean
}) {
  const base = `/t/${tenant}/social`
  const href = (v: CalendarView, d: Date) => `${base}?view=${v}&date=${dayKey(d)}`
  const step = (n: number) =>
    view === 'week' ? addDays(date, 7 * n) : new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + n, 1))
  const title =
    view === 'week'
      ? `Week of ${days[0]}`
      : date.toLocaleDateString('en-GB', { month: 'long', year: 'numeric', timeZone: 'UTC' })
  return (
    <>
      <nav className={styles.toolbar} aria-label="Calendar">
        <Link href={href(view, step(-1))}>← Previous</Link>
        <Link href={href(view, new Date())}>Today</Link>
        <Link href={href(view, step(1))}>Next →</Link>
        <strong data-calendar-title>{title}</strong>
        <span>·</span>
        <Link href={href('week', date)} aria-current={view === 'week' ? 'page' : undefined}>
          Week
        </Link>
        <Link href={href('month', date)} aria-current={view === 'month' ? 'page' : undefined}>
          Month
        </Link>
        <span>·</span>
        {canAct && <Link href={`${base}/new`}>New post</Link>}
        <Link href={`${base}/accounts`}>Accounts</Link>
        <Link href={`${base}/metrics`}>Metrics</Link>
      </nav>
      <p className="note">Times are UTC.{canAct ? ' Drag a post to another day to move it.' : ''}</p>
      {'error' in data ? (
        <p className="error" role="alert">
          {data.error}
        </p>
      ) : (
        <Calendar
          tenant={tenant}
          view={view}
          days={days}
          month={view === 'month' ? dayKey(date).slice(0, 7) : null}
          today={dayKey(new Date())}
          posts={data.scheduled.map(chip)}
          unscheduled={data.unscheduled.map(chip)}
          canAct={canAct}
          canReview={canReview}
        />
      )}
    </>
  )
}
