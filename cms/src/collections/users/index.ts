import type { CollectionConfig, Where } from 'payload'
import { ADMIN_ROLES, GLOBAL_ROLES, isSuperAdmin, tenantIdsWithRole, userOf } from '../../access/roles.ts'
import { guardTenantAssignments } from './hooks/guard-tenant-assignments.ts'

/** Signed-in user's own record, or users of the tenants they administer. */
const selfOrAdministered = (userId: number | string, adminTenantIds: (number | string)[]): Where =>
  adminTenantIds.length
    ? { or: [{ id: { equals: userId } }, { 'tenants.tenant': { in: adminTenantIds } }] }
    : { id: { equals: userId } }

export const users: CollectionConfig = {
  slug: 'users',
  auth: { tokenExpiration: 60 * 60 * 8, maxLoginAttempts: 10, lockTime: 10 * 60 * 1000, useAPIKey: true },
  admin: { useAsTitle: 'email', defaultColumns: ['name', 'email', 'roles'] },
  access: {
    read: ({ req }) => {
      const user = userOf(req)
      if (!user) return false
      if (isSuperAdmin(user)) return true
      return selfOrAdministered(user.id, tenantIdsWithRole(user, ADMIN_ROLES))
    },
    create: ({ req }) => {
      const user = userOf(req)
      return isSuperAdmin(user) || tenantIdsWithRole(user, ADMIN_ROLES).length > 0
    },
    update: ({ req }) => {
      const user = userOf(req)
      if (!user) return false
      if (isSuperAdmin(user)) return true
      return selfOrAdministered(user.id, tenantIdsWithRole(user, ADMIN_ROLES))
    },
    delete: ({ req }) => {
      const user = userOf(req)
      if (!user) return false
      if (isSuperAdmin(user)) return true
      const ids = tenantIdsWithRole(user, ADMIN_ROLES)
      return ids.length ? { 'tenants.tenant': { in: ids } } : false
    },
    // Anyone with a tenant role (or a super-admin) may use the admin panel.
    admin: ({ req }) => {
      const user = userOf(req)
      return isSuperAdmin(user) || tenantIdsWithRole(user).length > 0
    },
  },
  hooks: {
    beforeChange: [guardTenantAssignments],
    // Session ids are the account owner's business: never shown to another signed-in user (e.g. on a
    // populated post author). Reads with no user yet are Payload's own auth checks, which need them.
    afterRead: [
      ({ doc, req }) => {
        if (doc && req.user && String(req.user.id) !== String(doc.id) && !isSuperAdmin(userOf(req))) delete doc.sessions
        return doc
      },
    ],
  },
  fields: [
    { name: 'name', type: 'text' },
    {
      name: 'roles',
      type: 'select',
      hasMany: true,
      options: [...GLOBAL_ROLES],
      defaultValue: ['user'],
      required: true,
      saveToJWT: true,
      admin: { position: 'sidebar', description: 'A super-admin manages every tenant.' },
      access: {
        create: ({ req }) => isSuperAdmin(userOf(req)),
        update: ({ req }) => isSuperAdmin(userOf(req)),
      },
    },
    // `tenants` (tenant + roles per row) is added by the multi-tenant plugin; see payload.config.ts.
  ],
}
