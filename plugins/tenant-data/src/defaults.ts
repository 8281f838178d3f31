/** Defaults of the tenant-data plugin, resolved once at the top of the plugin. */
import type { Payload, PayloadRequest } from 'payload'
import { CONFIG_KEY, DEFAULT_OMIT_FIELDS } from './constants.ts'
import type { ResolvedTenantDataConfig, TenantDataEvent, TenantDataPluginConfig } from './types.ts'

export function resolveConfig(options: TenantDataPluginConfig): ResolvedTenantDataConfig {
  const omitFields: Record<string, readonly string[]> = { ...DEFAULT_OMIT_FIELDS }
  for (const [slug, fields] of Object.entries(options.omitFields ?? {}))
    omitFields[slug] = [...new Set([...(omitFields[slug] ?? []), ...fields])]
  return {
    enabled: options.enabled ?? true,
    access: options.access ?? (() => false),
    omitFields,
    batchSize: options.batchSize ?? 500,
    onEvent: options.onEvent,
    queue: {
      connectionString: options.queue?.connectionString,
      schema: options.queue?.schema ?? 'pgboss',
      heartbeatSeconds: Math.max(10, options.queue?.heartbeatSeconds ?? 30),
      expireInSeconds: options.queue?.expireInSeconds ?? 86_400,
      retryLimit: options.queue?.retryLimit ?? 5,
      retryDelaySeconds: options.queue?.retryDelaySeconds ?? 5,
      superviseIntervalSeconds: options.queue?.superviseIntervalSeconds ?? 60,
    },
    worker: { inProcess: options.worker?.inProcess ?? false },
    collectionOverrides: options.collectionOverrides ?? {},
  }
}

/** The plugin's resolved options, as stored on the Payload config. */
export function tenantDataConfigOf(payload: Payload): ResolvedTenantDataConfig {
  const config = payload.config.custom?.[CONFIG_KEY] as ResolvedTenantDataConfig | undefined
  if (!config) throw new Error('@bizosaas/plugin-tenant-data is not installed in this Payload config')
  return config
}

/** Reports an event to `onEvent` (the audit log); a failing listener is logged, never thrown. */
export async function reportEvent(payload: Payload, event: TenantDataEvent, req?: PayloadRequest): Promise<void> {
  const { onEvent } = tenantDataConfigOf(payload)
  if (!onEvent) return
  try {
    await onEvent(event, req, payload)
  } catch (error) {
    payload.logger.error({ err: error }, `tenant-data: onEvent failed for ${event.type}`)
  }
}
