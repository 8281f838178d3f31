/**
 * `@bizosaas/plugin-tenant-data`: tenant export, import and deletion for platform admins. Adds the
 * `tenant-data-jobs` collection (always, so the schema never depends on a flag) and — when enabled —
 * the export, import and deletion endpoints and (in-process, optionally) the deletion worker.
 */
import type { Config } from 'payload'
import { tenantDataJobsCollection } from './collections/tenant-data-jobs.ts'
import { CONFIG_KEY } from './constants.ts'
import { resolveConfig } from './defaults.ts'
import { startTenantDataWorker } from './deletion.ts'
import { rootEndpoints, tenantEndpoints } from './endpoints.ts'
import type { TenantDataPluginConfig } from './types.ts'

export function tenantDataPlugin(options: TenantDataPluginConfig = {}) {
  const resolved = resolveConfig(options)
  return (incoming: Config): Config => {
    const config: Config = {
      ...incoming,
      collections: [...(incoming.collections ?? []), tenantDataJobsCollection(resolved)],
      custom: { ...incoming.custom, [CONFIG_KEY]: resolved },
    }
    if (!resolved.enabled) return config
    config.endpoints = [...(config.endpoints ?? []), ...rootEndpoints]
    config.collections = config.collections!.map((collection) =>
      collection.slug === 'tenants'
        ? { ...collection, endpoints: [...(collection.endpoints || []), ...tenantEndpoints] }
        : collection,
    )
    if (resolved.worker.inProcess) {
      const previous = config.onInit
      config.onInit = async (payload) => {
        await previous?.(payload)
        const worker = await startTenantDataWorker(payload)
        payload.logger.info('tenant-data: deletion worker running in this process')
        const stop = () => void worker.stop()
        process.once('SIGTERM', stop)
        process.once('SIGINT', stop)
      }
    }
    return config
  }
}

export { ARCHIVE_FORMAT, DELETE_QUEUE, JOB_KIND, JOB_STATUS, JOBS_SLUG } from './constants.ts'
export { reportEvent, tenantDataConfigOf } from './defaults.ts'
export {
  type DeletionPlan,
  type DeletionProgress,
  planDeletion,
  requestDeletion,
  runDeletion,
  startTenantDataWorker,
  type TenantDataWorker,
} from './deletion.ts'
export { type ExportProgress, exportTenant, type TenantExport } from './export.ts'
export { ImportError, type ImportSummary, importTenant, importTenantFile } from './import.ts'
export { stopTenantDataBoss, tenantDataBossOf } from './queue.ts'
export { remapDocument } from './references.ts'
export { type ScopedCollection, scopedCollections } from './scope.ts'
export type { ResolvedTenantDataConfig, TenantDataEvent, TenantDataPluginConfig } from './types.ts'
