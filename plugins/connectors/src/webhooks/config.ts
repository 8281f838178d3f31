/** Resolves the webhook options once (defaults from env) and finds them again on a running Payload. */
import { vaultConfigOf } from '@bizosaas/plugin-vault'
import type { Payload } from 'payload'
import { WEBHOOKS_CONFIG_KEY } from './constants.ts'
import type { ResolvedWebhooksConfig, WebhooksConfig } from './types.ts'

export function resolveWebhooksConfig(options: WebhooksConfig): ResolvedWebhooksConfig {
  const production = options.production
  return {
    enabled: options.enabled ?? true,
    access: options.access,
    worker: { inProcess: options.worker?.inProcess ?? false },
    retryLimit: options.retryLimit ?? 7,
    retryDelaySeconds: options.retryDelaySeconds ?? 600,
    timeoutMs: options.timeoutMs ?? 10_000,
    disableAfterFailures: options.disableAfterFailures ?? 5,
    allowPrivateHosts:
      options.allowPrivateHosts ??
      (process.env.WEBHOOKS_ALLOWED_PRIVATE_HOSTS ?? '')
        .split(',')
        .map((h) => h.trim())
        .filter(Boolean),
    production:
      typeof production === 'function' ? production : () => production ?? process.env.NODE_ENV === 'production',
    publishCollections: options.publishCollections ?? ['posts'],
    keyring: options.keyring ?? ((payload) => vaultConfigOf(payload).keyring()),
    superviseIntervalSeconds: options.superviseIntervalSeconds,
    queueSchema: options.queueSchema ?? 'pgboss',
    queueConnectionString: options.queueConnectionString,
  }
}

/** The webhook options as stored on the Payload config. */
export function webhooksConfigOf(payload: Payload): ResolvedWebhooksConfig {
  const config = payload.config.custom?.[WEBHOOKS_CONFIG_KEY] as ResolvedWebhooksConfig | undefined
  if (!config) throw new Error('@bizosaas/plugin-connectors: webhooks are not installed in this Payload config')
  return config
}
