'use client'
import { PORTAL_ROLES } from '@lib/roles'
import { inviteUser, type UserActionResult } from '@modules/users/actions'
import { useActionState } from 'react'

export function InviteForm({ tenant }: { tenant: string }) {
  const [state, action, pending] = useActionState<UserActionResult, FormData>(inviteUser.bind(null, tenant), {})
  return (
    <form action={action} data-invite-form className="card">
      <h2>Add a user</h2>
      <label>
        Email <input name="email" type="email" required maxLength={254} />
      </label>
      <label>
        Name (optional) <input name="name" maxLength={120} />
      </label>
      <label>
        Role
        <select name="role" defaultValue="client">
          {PORTAL_ROLES.map((r) => (
            <option key={r} value={r}>
              {r}
            </option>
          ))}
        </select>
      </label>
      <button type="submit" disabled={pending}>
        Add
      </button>
      {state.message && (
        <p className="ok" role="status">
          {state.message}
        </p>
      )}
      {state.error && (
        <p className="error" role="alert">
          {state.error}
        </p>
      )}
    </form>
  )
}
