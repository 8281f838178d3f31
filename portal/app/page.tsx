import { requireSession } from '@lib/session'
import { redirect } from 'next/navigation'

/** Home: the user's first tenant (a user in several switches tenants from the header). */
export default async function Home() {
  const session = await requireSession()
  const first = session.tenants[0]
  if (!first)
    return (
      <main className="sign-in">
        <h1>No tenant yet</h1>
        <p>Your account belongs to no tenant; ask a tenant admin to add you.</p>
      </main>
    )
  redirect(`/t/${first.id}`)
}
