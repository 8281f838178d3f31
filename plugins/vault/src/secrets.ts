/** Server-side access to sealed secrets: opening one for a tenant, and re-sealing all with the current key. */
import type { Payload } from 'payload'
import { INTEGRATIONS_SLUG, INTERNAL_WRITE, type Provider } from './constants.ts'
import { open, seal, VaultKeyError, type VaultKeyring } from './crypto.ts'
import { vaultConfigOf } from './defaults.ts'

type Id = number | string

export const idOf = (value: unknown): Id | undefined =>
  value && typeof value === 'object' ? (value as { id?: Id }).id : ((value as Id | null | undefined) ?? undefined)

/** Associated data that binds a sealed secret to its tenant: a ciphertext copied to another tenant won't open. */
export const tenantContext = (tenant: Id) => `bizosaas-vault:integrations:tenant=${String(tenant)}`

export interface IntegrationRow {
  id: Id
  name: string
  provider: Provider
  baseUrl?: string | null
  tenant: Id | { id: Id }
  ciphertext?: string | null
  keyId?: string | null
}

/** The integration with its sealed fields (Local API, access overridden): only for server code. */
async function loadRow(payload: Payload, id: Id): Promise<IntegrationRow | null> {
  return (await payload.findByID({
    collection: INTEGRATIONS_SLUG as never,
    id,
    depth: 0,
    overrideAccess: true,
    disableErrors: true,
  })) as unknown as IntegrationRow | null
}

/**
 * Opens the secret of integration `id` in `tenant`. Server-side only: never send the result to a
 * browser or a log. Throws when the integration is not the tenant's, or has no secret.
 */
export async function readIntegrationSecret(payload: Payload, args: { id: Id; tenant: Id }): Promise<string> {
  const row = await loadRow(payload, args.id)
  if (!row || String(idOf(row.tenant)) !== String(args.tenant))
    throw new VaultKeyError(`No integration ${args.id} in tenant ${args.tenant}`)
  return openRow(vaultConfigOf(payload).keyring(), row)
}

/** The secret of the tenant's newest integration for `provider`, or undefined when it has none. */
export async function findProviderSecret(
  payload: Payload,
  args: { tenant: Id; provider: Provider },
): Promise<{ secret: string; baseUrl?: string; integration: Id } | undefined> {
  const { docs } = await payload.find({
    collection: INTEGRATIONS_SLUG as never,
    where: { and: [{ tenant: { equals: args.tenant } }, { provider: { equals: args.provider } }] },
    sort: '-updatedAt',
    limit: 1,
    depth: 0,
    overrideAccess: true,
  })
  const row = docs[0] as unknown as IntegrationRow | undefined
  if (!row) return undefined
  return {
    secret: openRow(vaultConfigOf(payload).keyring(), row),
    baseUrl: row.baseUrl || undefined,
    integration: row.id,
  }
}

export function openRow(ring: VaultKeyring, row: IntegrationRow): string {
  if (!row.ciphertext || !row.keyId) throw new VaultKeyError(`Integration ${row.id} has no stored secret`)
  return open(ring, { ciphertext: row.ciphertext, keyId: row.keyId }, tenantContext(idOf(row.tenant) as Id))
}

export interface RotationReport {
  /** The key every secret is now sealed with. */
  keyId: string
  rotated: number
  /** Already on the current key. */
  current: number
  failed: { id: Id; error: string }[]
}

/**
 * Re-seals every stored secret still sealed with an older key using the current one (the first of
 * VAULT_KEYS). Run it after putting a new key first; remove the old key once `failed` is empty.
 */
export async function rotateVaultKeys(payload: Payload, options: { batchSize?: number } = {}): Promise<RotationReport> {
  const ring = vaultConfigOf(payload).keyring()
  const report: RotationReport = { keyId: ring.current.id, rotated: 0, current: 0, failed: [] }
  const limit = options.batchSize ?? 100
  for (let page = 1; ; page++) {
    const result = await payload.find({
      collection: INTEGRATIONS_SLUG as never,
      depth: 0,
      limit,
      page,
      sort: 'id',
      overrideAccess: true,
    })
    for (const row of result.docs as unknown as IntegrationRow[]) {
      if (!row.ciphertext) continue
      if (row.keyId === ring.current.id) {
        report.current++
        continue
      }
      try {
        const sealed = seal(ring, openRow(ring, row), tenantContext(idOf(row.tenant) as Id))
        await payload.update({
          collection: INTEGRATIONS_SLUG as never,
          id: row.id,
          data: { ciphertext: sealed.ciphertext, keyId: sealed.keyId } as never,
          overrideAccess: true,
          context: { [INTERNAL_WRITE]: true },
        })
        report.rotated++
      } catch (error) {
        report.failed.push({ id: row.id, error: (error as Error).message })
      }
    }
    if (!result.hasNextPage) break
  }
  return report
}
