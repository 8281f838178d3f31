import type { VaultKeyring } from './crypto.ts'

export interface VaultPluginConfig {
  /**
   * The keys: the first seals, all open. Read lazily (so `next build` needs no key) and checked when
   * Payload starts: production refuses to start without one.
   * @default keyringFromEnv() — VAULT_KEYS, VAULT_KEY, or (not in production) derived from PAYLOAD_SECRET
   */
  keyring?: VaultKeyring | (() => VaultKeyring)
}

export interface ResolvedVaultConfig {
  keyring: () => VaultKeyring
}

/**
 * A collection whose rows hold a secret sealed with the vault's keys, in columns `ciphertext` and
 * `key_id`, bound to the row by `context` (AES-GCM associated data). Rotation re-seals its rows.
 */
export interface SealedCollection {
  slug: string
  /** The PostgreSQL table. @default the slug with `-` as `_` */
  table?: string
  /** More columns the context needs (e.g. `connector`), handed to `context` by their names. @default [] */
  columns?: readonly string[]
  /** The associated data a row's secret was sealed with (its id and tenant, from columns `id` and `tenant_id`). */
  context(row: { id: number | string; tenant: number | string | null; [column: string]: unknown }): string
}
