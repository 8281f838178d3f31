/** How BizOSaaS roles map onto what the agents plugin asks: who runs, reviews and configures agents. */
import type { AgentsAccess } from '@bizosaas/plugin-agents'
import { ADMIN_ROLES, EDITOR_ROLES, hasTenantRole, isSuperAdmin, tenantIdsWithRole, userOf } from './roles.ts'

export const agentsAccess: AgentsAccess = {
  run: ({ req, tenant }) => isSuperAdmin(userOf(req)) || hasTenantRole(userOf(req), tenant, EDITOR_ROLES),
  review: ({ req, tenant }) => isSuperAdmin(userOf(req)) || hasTenantRole(userOf(req), tenant, EDITOR_ROLES),
  configure: ({ req, tenant }) => isSuperAdmin(userOf(req)) || hasTenantRole(userOf(req), tenant, ADMIN_ROLES),
  tenantsOf: (req) => (isSuperAdmin(userOf(req)) ? 'all' : tenantIdsWithRole(userOf(req))),
}
