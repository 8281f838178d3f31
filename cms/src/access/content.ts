/**
 * Access for tenant-owned content (pages, posts, categories, media). The multi-tenant plugin adds
 * the "only your tenants" constraint on top; these functions add what each role may do there.
 */
import type { Access, Where } from 'payload'
import { EDITOR_ROLES, hasTenantRole, isSuperAdmin, tenantIdsWithRole, userOf } from './roles.ts'

const inTenants = (ids: (number | string)[]): Where => ({ tenant: { in: ids } })

/** Members of a tenant (any role) read its content. */
export const readContent: Access = ({ req }) => {
  const user = userOf(req)
  if (!user) return false
  if (isSuperAdmin(user)) return true
  return inTenants(tenantIdsWithRole(user))
}

/**
 * Members read their tenants' versions and drafts. Versions keep the document under `version`, so the
 * constraint names `version.tenant` (a `tenant` path fails on the versions table: the admin's
 * document-access check counts versions with this query).
 */
export const readContentVersions: Access = ({ req }) => {
  const user = userOf(req)
  if (!user) return false
  if (isSuperAdmin(user)) return true
  return { 'version.tenant': { in: tenantIdsWithRole(user) } }
}

/**
 * Tenant-admins and managers create content in their tenants. Without a document (the admin asks
 * whether to show "Create new") any editor role is enough; with one, its tenant must be theirs.
 */
export const createContent: Access = ({ req, data }) => {
  const user = userOf(req)
  if (!user) return false
  if (isSuperAdmin(user)) return true
  if (data && 'tenant' in data && data.tenant != null) return hasTenantRole(user, data.tenant, EDITOR_ROLES)
  return tenantIdsWithRole(user, EDITOR_ROLES).length > 0
}

/**
 * Tenant-admins and managers change (and delete) their tenants' content; moving a document to a
 * tenant they do not edit is refused.
 */
export const writeContent: Access = ({ req, data }) => {
  const user = userOf(req)
  if (!user) return false
  if (isSuperAdmin(user)) return true
  if (data && 'tenant' in data && data.tenant != null && !hasTenantRole(user, data.tenant, EDITOR_ROLES)) return false
  const ids = tenantIdsWithRole(user, EDITOR_ROLES)
  return ids.length > 0 ? inTenants(ids) : false
}

/** Access block shared by every tenant-owned content collection. */
export const contentAccess = {
  read: readContent,
  readVersions: readContentVersions,
  create: createContent,
  update: writeContent,
  delete: writeContent,
}
