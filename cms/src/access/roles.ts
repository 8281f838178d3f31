/**
 * Roles. A user is either a platform `super-admin` (every tenant) or holds per-tenant roles:
 * `tenant-admin` (the tenant's content and users), `manager` (edits content) or `client` (reads).
 */
import type { PayloadRequest } from 'payload'

export const GLOBAL_ROLES = Object.freeze(['super-admin', 'user'] as const)
export type GlobalRole = (typeof GLOBAL_ROLES)[number]

export const TENANT_ROLES = Object.freeze(['tenant-admin', 'manager', 'client'] as const)
export type TenantRole = (typeof TENANT_ROLES)[number]

/** Roles that may write a tenant's content. */
export const EDITOR_ROLES: readonly TenantRole[] = Object.freeze(['tenant-admin', 'manager'])
/** Roles that may manage a tenant's users and settings. */
export const ADMIN_ROLES: readonly TenantRole[] = Object.freeze(['tenant-admin'])

type Id = number | string
type TenantRow = { tenant?: Id | { id: Id } | null; roles?: readonly string[] | null }

/** The shape of a user as far as access control cares. */
export type RoleUser = {
  id: Id
  collection?: string
  roles?: readonly string[] | null
  tenants?: readonly TenantRow[] | null
}

export type AccessUser = RoleUser | null | undefined

export const idOf = (value: Id | { id: Id } | null | undefined): Id | undefined =>
  value && typeof value === 'object' ? value.id : (value ?? undefined)

export function isSuperAdmin(user: AccessUser): boolean {
  return Boolean(user?.roles?.includes('super-admin'))
}

/** Ids of the tenants in which `user` holds one of `roles` (any role when omitted). */
export function tenantIdsWithRole(user: AccessUser, roles?: readonly TenantRole[]): Id[] {
  if (!user?.tenants) return []
  const ids: Id[] = []
  for (const row of user.tenants) {
    const id = idOf(row.tenant)
    if (id === undefined) continue
    if (!roles || row.roles?.some((r) => roles.includes(r as TenantRole))) ids.push(id)
  }
  return ids
}

/** True when `user` holds one of `roles` in `tenant`. */
export function hasTenantRole(user: AccessUser, tenant: unknown, roles: readonly TenantRole[]): boolean {
  const id = idOf(tenant as Id | { id: Id } | null | undefined)
  if (id === undefined) return false
  return tenantIdsWithRole(user, roles).some((t) => String(t) === String(id))
}

/** The signed-in admin user of a request (API keys and other auth collections carry no roles). */
export const userOf = (req: PayloadRequest): AccessUser => req.user as AccessUser
