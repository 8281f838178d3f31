import type { Access, CollectionConfig } from 'payload'
import type { Provider } from './constants.ts'
import type { VaultKeyring } from './crypto.ts'

/** Who reads and who manages a tenant's integrations; the multi-tenant plugin adds tenant scoping on top. */
export interface VaultAccess {
  /** Reads integrations (names, provider, key id, last test; never the secret). */
  read: Access
  /** Creates, updates, deletes and tests integrations. */
  manage: Access
}

export interface VaultPluginConfig {
  /**
   * `false` keeps the collection (the schema never depends on the flag) but adds no endpoints.
   * Sealing on save stays on, so a secret is never stored in clear. @default true
   */
  enabled?: boolean
  /** Access to the `integrations` collection and its endpoints; the host app maps its roles. */
  access: VaultAccess
  /**
   * The keys: the first seals, all open. Read lazily (so `next build` needs no key) and checked when
   * Payload starts: production refuses to start without one.
   * @default keyringFromEnv() — VAULT_KEYS, VAULT_KEY, or (not in production) derived from PAYLOAD_SECRET
   */
  keyring?: VaultKeyring | (() => VaultKeyring)
  /**
   * Base URL "test connection" calls per provider when an integration names none.
   * @default { openai: 'https://api.openai.com/v1', anthropic: 'https://api.anthropic.com' }
   */
  baseUrls?: Partial<Record<Provider, string>>
  /** How long one test-connection call may take. @default 10000 */
  testTimeoutMs?: number
  /** Spread first into the `integrations` collection config. @default {} */
  collectionOverrides?: Partial<CollectionConfig>
}

export interface ResolvedVaultConfig {
  enabled: boolean
  access: VaultAccess
  keyring: () => VaultKeyring
  baseUrls: Record<Provider, string>
  testTimeoutMs: number
  collectionOverrides: Partial<CollectionConfig>
}
