/**
 * Users: platform super-admins and per-tenant members. Who may see and change whom is in ./access.ts
 * (memberships vs identity); ./hooks/guard-user-changes.ts enforces it per change, and
 * ./endpoints/memberships.ts gives tenant-admins memberships as a resource of their own.
 */
import type { CollectionConfig } from 'payload'
import { ADMIN_ROLES, GLOBAL_ROLES, isSuperAdmin, tenantIdsWithRole, userOf } from '../../access/roles.ts'
import { deleteUsers, readUsers, updateUsers } from './access.ts'
import { membershipEndpoints } from './endpoints/memberships.ts'
import { guardUserChanges } from './hooks/guard-user-changes.ts'
import { redactForReader } from './hooks/redact-for-reader.ts'

const superAdminsOnly = ({ req }: { req: Parameters<typeof userOf>[0] }) => isSuperAdmin(userOf(req))

export const users: CollectionConfig = {
  slug: 'users',
  auth: {
    tokenExpiration: 60 * 60 * 8,
    maxLoginAttempts: 10,
    lockTime: 10 * 60 * 1000,
    useAPIKey: true,
    // Payload's cookie is always HttpOnly; Lax keeps it off cross-site posts, Secure when served over https.
    cookies: { sameSite: 'Lax', secure: (process.env.CMS_URL ?? '').startsWith('https://') },
  },
  admin: { useAsTitle: 'email', defaultColumns: ['name', 'email', 'roles'] },
  access: {
    read: readUsers,
    create: ({ req }) => {
      const user = userOf(req)
      return isSuperAdmin(user) || tenantIdsWithRole(user, ADMIN_ROLES).length > 0
    },
    update: updateUsers,
    delete: deleteUsers,
    unlock: deleteUsers,
    // Anyone with a tenant role (or a super-admin) may use the admin panel.
    admin: ({ req }) => {
      const user = userOf(req)
      return isSuperAdmin(user) || tenantIdsWithRole(user).length > 0
    },
  },
  endpoints: membershipEndpoints,
  hooks: {
    beforeChange: [guardUserChanges],
    afterRead: [redactForReader],
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
      access: { create: superAdminsOnly, update: superAdminsOnly },
    },
    {
      name: 'serviceAccount',
      type: 'checkbox',
      defaultValue: false,
      admin: {
        position: 'sidebar',
        description: 'A machine user of the platform (e.g. the storefront’s reader): only super-admins change it.',
      },
      access: { create: superAdminsOnly, update: superAdminsOnly },
    },
    // `tenants` (tenant + roles per row) is added by the multi-tenant plugin; see payload.config.ts.
  ],
}
