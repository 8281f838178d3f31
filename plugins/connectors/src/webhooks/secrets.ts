/** Sealing and opening an endpoint's signing secret with the vault's keyring, bound to its tenant. */
import { open, type SealedSecret, seal } from '@bizosaas/plugin-vault/crypto'
import type { Payload } from 'payload'
import { webhooksConfigOf } from './config.ts'

type Id = number | string

export const idOf = (value: unknown): Id | undefined => {
  if (value === null || value === undefined || value === '') return undefined
  if (typeof value === 'object') return idOf((value as { id?: unknown }).id)
  return value as Id
}

/** The associated data a secret is sealed with: it opens only for the same tenant. */
export const secretContext = (tenant: Id) => `bizosaas-connectors:webhook-endpoint;tenant=${tenant}`

export function sealSecret(payload: Payload, tenant: Id, secret: string): SealedSecret {
  return seal(webhooksConfigOf(payload).keyring(payload), secret, secretContext(tenant))
}

export function openSecret(
  payload: Payload,
  row: { tenant: unknown; ciphertext?: string | null; keyId?: string | null },
) {
  const tenant = idOf(row.tenant)
  if (tenant === undefined || !row.ciphertext || !row.keyId) throw new Error('This endpoint has no signing secret')
  return open(
    webhooksConfigOf(payload).keyring(payload),
    { ciphertext: row.ciphertext, keyId: row.keyId },
    secretContext(tenant),
  )
}
