'use client'
import type { TenantUser } from '@lib/data/users'
import { PORTAL_ROLES } from '@lib/roles'
import { changeUserRole, removeUser, type UserActionResult } from '@modules/users/actions'
import { useState, useTransition } from 'react'

/**
 * One member: their role here (changeable) and removal from the tenant; not for the admin's own row,
 * nor for platform accounts (the storefront's service account, super-admins), which the CMS refuses.
 */
export function UserRow({ tenant, user, self }: { tenant: string; user: TenantUser; self: boolean }) {
  const current = user.roles[0] ?? 'client'
  const [role, setRole] = useState(current)
  const [result, setResult] = useState<UserActionResult>({})
  const [pending, start] = useTransition()
  return (
    <tr data-user={user.email}>
      <td>{user.email}</td>
      <td>{user.name || '—'}</td>
      <td>
        {self || user.platform ? (
          <span data-user-roles>
            {user.roles.join(', ')} {self ? '(you)' : '(managed by the platform)'}
          </span>
        ) : (
          <select aria-label={`Role of ${user.email}`} value={role} onChange={(e) => setRole(e.target.value)}>
            {PORTAL_ROLES.map((r) => (
              <option key={r} value={r}>
                {r}
              </option>
            ))}
          </select>
        )}
      </td>
      <td>
        {!self && !user.platform && (
          <>
            <button
              type="button"
              className="secondary"
              disabled={pending || role === current}
              onClick={() => start(async () => setResult(await changeUserRole(tenant, user.id, role)))}
            >
              Save role
            </button>{' '}
            <button
              type="button"
              className="danger"
              disabled={pending}
              onClick={() => start(async () => setResult(await removeUser(tenant, user.id)))}
            >
              Remove
            </button>
          </>
        )}
        {result.message && (
          <span className="ok" role="status">
            {' '}
            {result.message}
          </span>
        )}
        {result.error && (
          <span className="error" role="alert">
            {' '}
            {result.error}
          </span>
        )}
      </td>
    </tr>
  )
}
