import { calendarRange, getCalendar, parseDay } from '@lib/data/social'
import { can } from '@lib/roles'
import { requireTenantAndLoad } from '@lib/session'
import { CalendarTemplate } from '@modules/social/templates/calendar-template'

/** The content calendar: `?view=week|month&date=YYYY-MM-DD` (UTC). Clients read; managers move and approve. */
export default async function SocialPage({
  params,
  searchParams,
}: {
  params: Promise<{ tenant: string }>
  searchParams: Promise<{ view?: string; date?: string }>
}) {
  const query = await searchParams
  const view = query.view === 'month' ? 'month' : 'week'
  const date = parseDay(query.date) ?? parseDay(new Date().toISOString().slice(0, 10))!
  const range = calendarRange(view, query.date ?? date.toISOString().slice(0, 10))
  const { tenant, role, data } = await requireTenantAndLoad((await params).tenant, (token, id) =>
    getCalendar(token, id, range.from, range.to),
  )
  return (
    <>
      <h1>Social</h1>
      <CalendarTemplate
        tenant={tenant.id}
        view={view}
        date={date}
        days={range.days}
        data={await data}
        canAct={can(role, 'run')}
        canReview={can(role, 'review')}
      />
    </>
  )
}
