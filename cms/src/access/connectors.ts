/**
 * How BizOSaaS roles map onto the connectors plugin: members read their tenants' connections (status,
 * never secrets); tenant-admins of THAT tenant (and platform admins) connect, test and disconnect.
 * And the platform's OAuth apps, read from `CONNECTOR_<ID>_CLIENT_ID` / `_CLIENT_SECRET`.
 */
import type { ConnectorsAccess, PlatformApp } from '@bizosaas/plugin-connectors'
import { ADMIN_ROLES, hasTenantRole, isSuperAdmin, tenantIdsWithRole, userOf } from './roles.ts'

export const connectorsAccess: ConnectorsAccess = {
  tenantsOf: (req) => (isSuperAdmin(userOf(req)) ? 'all' : tenantIdsWithRole(userOf(req))),
  manage: ({ req, tenant }) => isSuperAdmin(userOf(req)) || hasTenantRole(userOf(req), tenant, ADMIN_ROLES),
}

/** `CONNECTOR_GOOGLE_SEARCH_CONSOLE_CLIENT_ID=…` → `{ 'google-search-console': { clientId, clientSecret } }`. */
export function platformConnectorApps(env: Record<string, string | undefined>): Record<string, PlatformApp> {
  const apps: Record<string, PlatformApp> = {}
  for (const [name, value] of Object.entries(env)) {
    const match = /^CONNECTOR_([A-Z0-9_]+)_CLIENT_ID$/.exec(name)
    if (!match?.[1] || !value) continue
    const id = match[1].toLowerCase().replaceAll('_', '-')
    const secret = env[`CONNECTOR_${match[1]}_CLIENT_SECRET`]
    apps[id] = { clientId: value, ...(secret ? { clientSecret: secret } : {}) }
  }
  return apps
}
