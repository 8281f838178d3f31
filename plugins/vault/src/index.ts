/**
 * `@bizosaas/plugin-vault`: the platform's keys for sealed secrets. AES-256-GCM with a keyring from env
 * (key id per secret, rotation without downtime); plugins seal their own rows with it (the connectors'
 * `connections`, …) and register them, so `rotateVaultKeys` re-seals every sealed collection.
 */
import type { Config } from 'payload'
import { CONFIG_KEY } from './constants.ts'
import { resolveConfig } from './defaults.ts'
import type { VaultPluginConfig } from './types.ts'

export function vaultPlugin(options: VaultPluginConfig = {}) {
  const resolved = resolveConfig(options)
  return (incoming: Config): Config => {
    const previous = incoming.onInit
    return {
      ...incoming,
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

export { CONFIG_KEY, SEALED_COLLECTIONS_KEY } from './constants.ts'
export {
  keyring,
  keyringFromEnv,
  type SealedSecret,
  type VaultKey,
  VaultKeyError,
  type VaultKeyring,
} from './crypto.ts'
export { vaultConfigOf } from './defaults.ts'
export { type RotationReport, registerSealedCollection, rotateVaultKeys, sealedCollectionsOf } from './rotation.ts'
export type { ResolvedVaultConfig, SealedCollection, VaultPluginConfig } from './types.ts'
