/** Defaults of the connectors plugin, resolved once at the top of the plugin, and where to find them later. */
import type { Payload } from 'payload'
import { CONFIG_KEY } from './constants.ts'
import type { ConnectorsAccess, ConnectorsPluginConfig, Id, ResolvedConnectorsConfig } from './types.ts'

export const DEFAULT_REFRESH_MARGIN_SECONDS = 300
export const DEFAULT_TIMEOUT_MS = 15_000

const isSuperAdmin = (user: unknown) => {
  const roles = (user as { roles?: unknown } | null)?.roles
  return Array.isArray(roles) && roles.includes('super-admin')
}

/** Platform admins only: the safe default when the host maps no roles. */
export const platformAdminsOnly: ConnectorsAccess = {
  tenantsOf: (req) => (isSuperAdmin(req.user) ? 'all' : []),
  manage: ({ req }) => isSuperAdmin(req.user),
}

/** Emails of the users whose membership of `tenant` has the role `tenant-admin` (the multi-tenant plugin's `tenants` rows). */
async function tenantAdmins(payload: Payload, tenant: Id): Promise<string[]> {
  const { docs } = await payload.find({
    collection: 'users' as never,
    where: { 'tenants.tenant': { equals: tenant } },
    depth: 0,
    limit: 200,
    pagination: false,
    overrideAccess: true,
  })
  type Member = { email?: string; tenants?: { tenant: Id | { id: Id }; roles?: string[] }[] }
  return (docs as unknown as Member[])
    .filter((user) =>
      user.tenants?.some((row) => {
        const id = typeof row.tenant === 'object' && row.tenant ? row.tenant.id : row.tenant
        return String(id) === String(tenant) && row.roles?.includes('tenant-admin')
      }),
    )
    .flatMap((user) => (user.email ? [user.email] : []))
}

export function resolveConfig(options: ConnectorsPluginConfig = {}): ResolvedConnectorsConfig {
  const margin = options.refreshMarginSeconds ?? DEFAULT_REFRESH_MARGIN_SECONDS
  if (!Number.isFinite(margin) || margin < 0)
    throw new Error(`@bizosaas/plugin-connectors: refreshMarginSeconds must be ≥ 0 (got ${margin})`)
  return {
    enabled: options.enabled ?? true,
    connectors: [...(options.connectors ?? [])],
    apps: { ...options.apps },
    overrides: { ...options.overrides },
    refreshMarginSeconds: margin,
    access: options.access ?? platformAdminsOnly,
    timeoutMs: options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
    notify: options.notify,
    recipients: options.recipients ?? tenantAdmins,
    worker: { inProcess: options.worker?.inProcess ?? false },
    queueSchema: options.queueSchema ?? 'pgboss',
    collectionOverrides: options.collectionOverrides ?? {},
    redirectUri: options.portalUrl ? `${options.portalUrl.replace(/\/+$/, '')}/oauth/callback` : undefined,
  }
}

/** The resolved options of the plugin installed in `payload`. */
export function connectorsConfigOf(payload: Payload): ResolvedConnectorsConfig {
  const config = payload.config.custom?.[CONFIG_KEY] as ResolvedConnectorsConfig | undefined
  if (!config) throw new Error('@bizosaas/plugin-connectors is not installed in this Payload config')
  return config
}
