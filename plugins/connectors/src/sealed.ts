/**
 * The sealed part of a connection: credentials, tokens and the tenant's own OAuth app, one JSON blob
 * sealed with the vault's keyring and bound (AES-GCM associated data) to the connection and its tenant,
 * so a ciphertext copied to another row or tenant does not open.
 */

import { vaultConfigOf } from '@bizosaas/plugin-vault'
import { open, seal } from '@bizosaas/plugin-vault/crypto'
import type { Payload } from 'payload'
import type { Id } from './types.ts'

/** OAuth tokens as stored. `expiresAt` is an ISO date; no expiry means "valid until refused". */
export interface StoredTokens {
  accessToken: string
  refreshToken?: string
  expiresAt?: string
  tokenType?: string
  scope?: string
}

export interface ConnectionSecrets {
  credentials?: unknown
  tokens?: StoredTokens
  /** The tenant's own OAuth app, when it brought one. */
  app?: { clientId: string; clientSecret?: string }
}

export const connectionContext = (id: Id, tenant: Id) =>
  `bizosaas-connectors:connection=${String(id)};tenant=${String(tenant)}`

export function sealSecrets(payload: Payload, id: Id, tenant: Id, secrets: ConnectionSecrets) {
  return seal(vaultConfigOf(payload).keyring(), JSON.stringify(secrets), connectionContext(id, tenant))
}

export function openSecrets(
  payload: Payload,
  row: { id: Id; tenant: Id; ciphertext: string | null; keyId: string | null },
): ConnectionSecrets {
  if (!row.ciphertext || !row.keyId) return {}
  const text = open(
    vaultConfigOf(payload).keyring(),
    { ciphertext: row.ciphertext, keyId: row.keyId },
    connectionContext(row.id, row.tenant),
  )
  return JSON.parse(text) as ConnectionSecrets
}
