/** Defaults of the audit-log plugin, resolved once at the top of the plugin, and where to find them later. */
import type { Access, Payload } from 'payload'
import { CONFIG_KEY } from './constants.ts'
import type { AuditLogPluginConfig, ResolvedAuditLogConfig } from './types.ts'

export const DEFAULT_RETENTION_DAYS = 400
export const DEFAULT_PRUNE_CRON = '17 3 * * *'

/** Super-admins (a `roles` array containing `super-admin`) read everything; nobody else reads anything. */
const superAdminsOnly: Access = ({ req }) => {
  const roles = (req.user as { roles?: unknown } | null)?.roles
  return Array.isArray(roles) && roles.includes('super-admin')
}

export function resolveConfig(options: AuditLogPluginConfig = {}): ResolvedAuditLogConfig {
  const retentionDays = options.retentionDays ?? DEFAULT_RETENTION_DAYS
  if (!Number.isFinite(retentionDays) || retentionDays < 1)
    throw new Error(`@bizosaas/plugin-audit-log: retentionDays must be a number of days ≥ 1 (got ${retentionDays})`)
  return {
    enabled: options.enabled ?? true,
    read: options.access?.read ?? superAdminsOnly,
    retentionDays,
    pruneCron: options.pruneCron ?? DEFAULT_PRUNE_CRON,
    excludeCollections: new Set(options.excludeCollections ?? []),
    tenantsCollection: options.tenantsCollection ?? 'tenants',
    userCollection: options.userCollection ?? 'users',
    approvalsCollection: options.approvalsCollection ?? 'approvals',
    trustProxy: options.trustProxy ?? true,
    worker: { inProcess: options.worker?.inProcess ?? false },
    queueConnectionString: options.queueConnectionString,
    queueSchema: options.queueSchema ?? 'pgboss',
    collectionOverrides: options.collectionOverrides ?? {},
  }
}

/** The resolved options of the plugin installed in `payload`. */
export function auditLogConfigOf(payload: Payload): ResolvedAuditLogConfig {
  const config = payload.config.custom?.[CONFIG_KEY] as ResolvedAuditLogConfig | undefined
  if (!config) throw new Error('@bizosaas/plugin-audit-log is not installed in this Payload config')
  return config
}
