/**
 * How BizOSaaS roles map onto the connectors plugin: members read their tenants' connections (status,
 * never secrets); tenant-admins of THAT tenant (and platform admins) connect, test and disconnect.
 * And the platform's OAuth apps, read from `CONNECTOR_<ID>_CLIENT_ID` / `_CLIENT_SECRET`, and endpoint
 * overrides from `CONNECTOR_<ID>_AUTHORIZATION_URL` / `_TOKEN_URL` / `_REVOCATION_URL` / `_URL_<NAME>`.
 */
import type { ConnectorOverride, ConnectorsAccess, PlatformApp } from '@bizosaas/plugin-connectors'
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

/**
 * Where a connector's endpoints are, when not at the provider's public ones (a regional API, a self-hosted
 * server, or `pnpm dev`'s mock services): `CONNECTOR_GOOGLE_ANALYTICS_TOKEN_URL=…` → `tokenUrl`,
 * `CONNECTOR_GOOGLE_ANALYTICS_URL_ANALYTICSDATA=…` → `urls.analyticsdata`.
 */
export function connectorOverridesFromEnv(env: Record<string, string | undefined>): Record<string, ConnectorOverride> {
  const overrides: Record<string, ConnectorOverride> = {}
  const of = (raw: string) => {
    const id = raw.toLowerCase().replaceAll('_', '-')
    overrides[id] ??= {}
    return overrides[id]
  }
  const fields = {
    AUTHORIZATION_URL: 'authorizationUrl',
    TOKEN_URL: 'tokenUrl',
    REVOCATION_URL: 'revocationUrl',
  } as const
  for (const [name, value] of Object.entries(env)) {
    if (!value || !name.startsWith('CONNECTOR_')) continue
    const endpoint = /^CONNECTOR_([A-Z0-9_]+?)_(AUTHORIZATION_URL|TOKEN_URL|REVOCATION_URL)$/.exec(name)
    if (endpoint?.[1] && endpoint[2]) {
      of(endpoint[1])[fields[endpoint[2] as keyof typeof fields]] = value
      continue
    }
    const api = /^CONNECTOR_([A-Z0-9_]+?)_URL_([A-Z0-9_]+)$/.exec(name)
    if (api?.[1] && api[2]) {
      const override = of(api[1])
      override.urls = { ...override.urls, [api[2].toLowerCase()]: value }
    }
  }
  return overrides
}
