import { listTenantUsers } from '@lib/data/users'
import { requireTenant } from '@lib/session'
import { InviteForm } from '@modules/users/components/invite-form'
import { UserRow } from '@modules/users/components/user-row'

/** Tenant-admins only (others get a 404, as the page offers them nothing). */
export default async function UsersPage({ params }: { params: Promise<{ tenant: string }> }) {
  const { session, tenant } = await requireTenant((await params).tenant, 'configure')
  const users = await listTenantUsers(session.token, tenant.id)
  return (
    <>
      <h1>Users</h1>
      <p>
        Who can use {tenant.name}: clients read, managers act on approvals and runs, tenant admins change everything.
      </p>
      <table data-users>
        <thead>
          <tr>
            <th>Email</th>
            <th>Name</th>
            <th>Role</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {users.map((u) => (
            <UserRow key={u.id} tenant={tenant.id} user={u} self={u.id === session.user.id} />
          ))}
        </tbody>
      </table>
      <InviteForm tenant={tenant.id} />
    </>
  )
}
