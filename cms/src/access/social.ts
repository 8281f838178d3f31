/**
 * How BizOSaaS roles map onto the social plugin: members (clients) read a tenant's social accounts,
 * posts and calendar; managers and tenant-admins write, submit, approve and reschedule posts;
 * tenant-admins add and remove social accounts; super-admins everything. The multi-tenant plugin adds
 * "only your tenants" on top of the collection functions.
 */
import type { SocialAccess } from '@bizosaas/plugin-social'
import type { Access } from 'payload'
import { readContent, writeContent } from './content.ts'
import { ADMIN_ROLES, EDITOR_ROLES, hasTenantRole, isSuperAdmin, tenantIdsWithRole, userOf } from './roles.ts'

/** Tenant-admins within their tenants (moving or creating into another tenant is refused). */
const adminsOnly: Access = ({ req, data }) => {
  const user = userOf(req)
  if (!user) return false
  if (isSuperAdmin(user)) return true
  if (data && 'tenant' in data && data.tenant != null && !hasTenantRole(user, data.tenant, ADMIN_ROLES)) return false
  const ids = tenantIdsWithRole(user, ADMIN_ROLES)
  return ids.length ? { tenant: { in: ids } } : false
}

export const socialAccess: SocialAccess = {
  read: readContent,
  write: writeContent,
  manageAccounts: adminsOnly,
  tenantsOf: (req) => (isSuperAdmin(userOf(req)) ? 'all' : tenantIdsWithRole(userOf(req))),
  edit: ({ req, tenant }) => isSuperAdmin(userOf(req)) || hasTenantRole(userOf(req), tenant, EDITOR_ROLES),
  manage: ({ req, tenant }) => isSuperAdmin(userOf(req)) || hasTenantRole(userOf(req), tenant, ADMIN_ROLES),
}
