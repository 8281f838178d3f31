import { APIError, type CollectionBeforeChangeHook } from 'payload'
import { type AccessUser, ADMIN_ROLES, idOf, isSuperAdmin, tenantIdsWithRole } from '../../../access/roles.ts'

type Row = { tenant?: unknown; roles?: string[] | null }

const key = (row: Row) => `${String(idOf(row.tenant as never))}:${[...(row.roles ?? [])].sort().join(',')}`

/**
 * A tenant-admin may grant, change and remove roles only in the tenants they administer, and may
 * not touch platform super-admins. Refused changes are a 403 with the reason, never silently dropped.
 */
export const guardTenantAssignments: CollectionBeforeChangeHook = ({ req, data, originalDoc, operation }) => {
  const actor = req.user as AccessUser
  if (!actor || isSuperAdmin(actor) || req.user?.collection !== 'users') return data
  if (operation === 'update' && isSuperAdmin(originalDoc as AccessUser) && String(originalDoc?.id) !== String(actor.id))
    throw new APIError('Only a super-admin can change a super-admin account.', 403, null, true)
  if (!('tenants' in data)) return data

  const administered = new Set(tenantIdsWithRole(actor, ADMIN_ROLES).map(String))
  const before = new Map<string, string>()
  for (const row of (originalDoc?.tenants ?? []) as Row[]) before.set(String(idOf(row.tenant as never)), key(row))
  const after = new Map<string, string>()
  for (const row of (data.tenants ?? []) as Row[]) after.set(String(idOf(row.tenant as never)), key(row))

  for (const tenant of new Set([...before.keys(), ...after.keys()])) {
    if (before.get(tenant) === after.get(tenant)) continue
    if (!administered.has(tenant))
      throw new APIError(
        `You can only assign roles in tenants you administer (tenant ${tenant} is not one of them).`,
        403,
        null,
        true,
      )
  }
  return data
}
