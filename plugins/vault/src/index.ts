/**
 * `@bizosaas/plugin-vault`: encrypted, tenant-scoped credentials. Adds the `integrations` collection
 * (always, so the schema never depends on a flag) and — when enabled — `POST /api/integrations/:id/test`.
 * Secrets are sealed with AES-256-GCM before they are stored and open only on the server.
 */
import type { Config } from 'payload'
import { integrationsCollection } from './collections/integrations.ts'
import { CONFIG_KEY } from './constants.ts'
import { resolveConfig } from './defaults.ts'
import type { VaultPluginConfig } from './types.ts'

export function vaultPlugin(options: VaultPluginConfig) {
  const resolved = resolveConfig(options)
  return (incoming: Config): Config => {
    const previous = incoming.onInit
    return {
      ...incoming,
      collections: [...(incoming.collections ?? []), integrationsCollection(resolved)],
      custom: { ...incoming.custom, [CONFIG_KEY]: resolved },
      onInit: async (payload) => {
        // Refuse to start without a usable key (production with no VAULT_KEY/VAULT_KEYS, a malformed key).
        const ring = resolved.keyring()
        if (ring.derived)
          payload.logger.warn('vault: no VAULT_KEY set; using a development key derived from PAYLOAD_SECRET')
        await previous?.(payload)
      },
    }
  }
}

export { CONFIG_KEY, DEFAULT_BASE_URLS, INTEGRATIONS_SLUG, PROVIDERS, type Provider } from './constants.ts'
export {
  keyring,
  keyringFromEnv,
  type SealedSecret,
  type VaultKey,
  VaultKeyError,
  type VaultKeyring,
} from './crypto.ts'
export { vaultConfigOf } from './defaults.ts'
export { type ConnectionResult, testProviderConnection } from './providers.ts'
export { findProviderSecret, type RotationReport, readIntegrationSecret, rotateVaultKeys } from './secrets.ts'
export type { ResolvedVaultConfig, VaultAccess, VaultPluginConfig } from './types.ts'
