import type { Payload } from 'payload'
import { CONFIG_KEY } from './constants.ts'
import { keyringFromEnv, type VaultKeyring } from './crypto.ts'
import type { ResolvedVaultConfig, VaultPluginConfig } from './types.ts'

/** Fills in defaults once, at the top of the plugin. */
export function resolveConfig(options: VaultPluginConfig = {}): ResolvedVaultConfig {
  // Cached per env, so a process that changes VAULT_KEYS (rotation tooling, tests) sees the new keys.
  let cached: { env: string; ring: VaultKeyring } | undefined
  const source = options.keyring
  return {
    keyring: () => {
      if (typeof source === 'function') return source()
      if (source) return source
      const env = [
        process.env.VAULT_KEYS,
        process.env.VAULT_KEY,
        process.env.PAYLOAD_SECRET,
        process.env.NODE_ENV,
      ].join('\n')
      if (cached?.env !== env) cached = { env, ring: keyringFromEnv() }
      return cached.ring
    },
  }
}

/** The plugin's resolved options, as stored on the Payload config. */
export function vaultConfigOf(payload: Payload): ResolvedVaultConfig {
  const config = payload.config.custom?.[CONFIG_KEY] as ResolvedVaultConfig | undefined
  if (!config) throw new Error('@bizosaas/plugin-vault is not installed in this Payload config')
  return config
}
