import type { MedusaPluginConfig, ResolvedMedusaConfig } from './types.ts'

/** Fills in defaults once, at the top of the plugin. */
export function resolveConfig(options: MedusaPluginConfig): ResolvedMedusaConfig {
  return {
    enabled: options.enabled ?? true,
    url: (options.url ?? process.env.MEDUSA_URL ?? 'http://localhost:9000').replace(/\/+$/, ''),
    apiKey: options.apiKey ?? (process.env.MEDUSA_API_KEY || undefined),
    apiKeyFile: options.apiKeyFile ?? (process.env.MEDUSA_API_KEY_FILE || undefined),
    timeoutMs: options.timeoutMs ?? 15_000,
    queueConnectionString: options.queueConnectionString,
    queueSchema: options.queueSchema ?? 'pgboss',
    retry: { limit: options.retry?.limit ?? 5, delaySeconds: options.retry?.delaySeconds ?? 5 },
    worker: { inProcess: options.worker?.inProcess ?? false },
    onOrderPlaced: options.onOrderPlaced,
  }
}
