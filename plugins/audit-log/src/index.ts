/**
 * `@bizosaas/plugin-audit-log`: the append-only `audit-log` collection (always, so the schema never depends
 * on a flag) and — when enabled — hooks on every collection that record creates, updates (changed field
 * names only) and deletes in the change's own transaction; sign-ins and failed sign-ins; membership and
 * role changes; approval decisions; and a pg-boss cron job that prunes entries past the retention period.
 * Install it LAST, so it sees the collections (and the `tenant` fields) every other plugin added.
 */
import type { Config } from 'payload'
import { auditLogCollection } from './collections/audit-log.ts'
import { AUDIT_LOG_SLUG, CONFIG_KEY } from './constants.ts'
import { resolveConfig } from './defaults.ts'
import { notePassword } from './hooks/changes.ts'
import { recordChange, recordDelete } from './hooks/record-changes.ts'
import { recordFailedSignIn, recordSignIn, rememberSignIn } from './hooks/sign-in.ts'
import { startAuditPrune } from './prune.ts'
import type { AuditLogPluginConfig } from './types.ts'

export function auditLogPlugin(options: AuditLogPluginConfig = {}) {
  const resolved = resolveConfig(options)
  return (incoming: Config): Config => {
    const config: Config = {
      ...incoming,
      collections: [...(incoming.collections ?? []), auditLogCollection(resolved)],
      custom: { ...incoming.custom, [CONFIG_KEY]: resolved },
    }
    if (!resolved.enabled) return config

    config.collections = config.collections!.map((collection) => {
      if (collection.slug === AUDIT_LOG_SLUG || resolved.excludeCollections.has(collection.slug)) return collection
      const hooks = {
        ...collection.hooks,
        afterChange: [...(collection.hooks?.afterChange ?? []), recordChange],
        afterDelete: [...(collection.hooks?.afterDelete ?? []), recordDelete],
      }
      if (collection.auth) hooks.beforeChange = [...(collection.hooks?.beforeChange ?? []), notePassword]
      if (collection.slug === resolved.userCollection) {
        hooks.beforeOperation = [...(collection.hooks?.beforeOperation ?? []), rememberSignIn]
        hooks.afterLogin = [...(collection.hooks?.afterLogin ?? []), recordSignIn]
      }
      return { ...collection, hooks }
    })
    config.hooks = { ...config.hooks, afterError: [...(config.hooks?.afterError ?? []), recordFailedSignIn] }

    if (resolved.worker.inProcess) {
      const previous = config.onInit
      config.onInit = async (payload) => {
        await previous?.(payload)
        const worker = await startAuditPrune(payload)
        payload.logger.info('audit-log: retention job running in this process')
        const stop = () => void worker.stop({ graceMs: 5_000 })
        process.once('SIGTERM', stop)
        process.once('SIGINT', stop)
      }
    }
    return config
  }
}

export { AUDIT_ACTIONS, AUDIT_LOG_SLUG, CONTEXT as AUDIT_CONTEXT, PRUNE_QUEUE } from './constants.ts'
export { auditLogConfigOf, DEFAULT_PRUNE_CRON, DEFAULT_RETENTION_DAYS } from './defaults.ts'
export { type DecisionToRecord, recordApprovalDecision } from './hooks/approvals.ts'
export { type AuditPruneWorker, enqueueAuditPrune, pruneAuditLog, startAuditPrune } from './prune.ts'
export { auditEventSchema, recordAuditEvent } from './record.ts'
export { AUDIT_TABLE } from './sql.ts'
export type { AuditEvent, AuditLogPluginConfig, ResolvedAuditLogConfig } from './types.ts'
