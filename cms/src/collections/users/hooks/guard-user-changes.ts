/**
 * The server-side check of every change to a user by someone other than a super-admin (see ../access.ts
 * for the rules): memberships change row by row, only in tenants the actor administers, and rows of
 * other tenants are kept as stored even when the request leaves them out (a tenant-admin only ever
 * sees their own tenants' rows); identity fields change only for the user, or for an admin of every
 * tenant the user is in; platform-owned accounts not at all. Refusals are 403s with the reason.
 */
import { APIError, type CollectionBeforeChangeHook } from 'payload'
import { type AccessUser, idOf, isSuperAdmin } from '../../../access/roles.ts'
import { administeredTenants, type MemberUser, mayManageIdentity } from '../access.ts'

type Row = { id?: unknown; tenant?: unknown; roles?: string[] | null }

const tenantKey = (row: Row) => String(idOf(row.tenant as never))
const rowKey = (row: Row | undefined) => (row ? [...(row.roles ?? [])].sort().join(',') : '')

const forbidden = (message: string) => new APIError(message, 403, null, true)

/** Identity fields a request changes on `original` (a password or API key sent at all is a change). */
export function changedIdentityFields(data: Record<string, unknown>, original: Record<string, unknown>): string[] {
  const changed: string[] = []
  const text = (v: unknown) => (typeof v === 'string' ? v.trim().toLowerCase() : (v ?? ''))
  if ('email' in data && data.email !== undefined && text(data.email) !== text(original.email)) changed.push('email')
  if ('name' in data && data.name !== undefined && (data.name ?? '') !== (original.name ?? '')) changed.push('name')
  if (typeof data.password === 'string' && data.password) changed.push('password')
  if (typeof data.apiKey === 'string' && data.apiKey) changed.push('API key')
  else if (
    'enableAPIKey' in data &&
    data.enableAPIKey !== undefined &&
    Boolean(data.enableAPIKey) !== Boolean(original.enableAPIKey)
  )
    changed.push('API key')
  if (
    'sessions' in data &&
    data.sessions !== undefined &&
    JSON.stringify(data.sessions) !== JSON.stringify(original.sessions ?? [])
  )
    changed.push('sessions')
  return [...new Set(changed)]
}

export const guardUserChanges: CollectionBeforeChangeHook = ({ req, data, originalDoc, operation }) => {
  const actor = req.user as AccessUser
  if (!actor || isSuperAdmin(actor) || req.user?.collection !== 'users') return data
  const target = originalDoc as MemberUser | undefined
  const self = operation === 'update' && String(target?.id) === String(actor.id)

  if (operation === 'update' && target) {
    if (isSuperAdmin(target) && !self) throw forbidden('Only a super-admin can change a super-admin account.')
    if (target.serviceAccount)
      throw forbidden(
        `${target.email ?? 'This user'} is a service account of the platform; only a super-admin can change it.`,
      )
    const identity = changedIdentityFields(data, target as Record<string, unknown>)
    if (identity.length && !mayManageIdentity(actor, target))
      throw forbidden(
        `You cannot change ${target.email ?? 'this user'}'s ${identity.join(', ')}: they also belong to tenants you do not ` +
          'administer. Only they or a platform admin can; you can change their roles in your tenants or remove them from your tenants.',
      )
  }
  if (!('tenants' in data) || data.tenants === undefined) return data

  const administered = administeredTenants(actor)
  const before = new Map<string, Row>()
  for (const row of (target?.tenants ?? []) as Row[]) before.set(tenantKey(row), row)
  const after = new Map<string, Row>()
  for (const row of (data.tenants ?? []) as Row[]) after.set(tenantKey(row), row)

  const merged: Row[] = []
  for (const tenant of new Set([...before.keys(), ...after.keys()])) {
    if (administered.has(tenant)) {
      const row = after.get(tenant)
      if (row) merged.push(row)
      continue
    }
    // Not the actor's tenant: left out means "not mine to show", a different row is an attempt to change it.
    if (after.has(tenant) && rowKey(after.get(tenant)) !== rowKey(before.get(tenant)))
      throw forbidden(`You can only assign roles in tenants you administer (tenant ${tenant} is not one of them).`)
    const row = before.get(tenant)
    if (row) merged.push(row)
  }
  data.tenants = merged
  return data
}
