/**
 * Key rotation over every sealed collection: plugins register the collections whose rows hold a
 * vault-sealed secret (`registerSealedCollection`), and `rotateVaultKeys` re-seals each row still on an
 * older key with the current one.
 */
import type { Config, Payload } from 'payload'
import { SEALED_COLLECTIONS_KEY } from './constants.ts'
import { open, seal } from './crypto.ts'
import { vaultConfigOf } from './defaults.ts'
import type { SealedCollection } from './types.ts'

/** Declares a sealed collection (call it from the plugin that adds the collection, enabled or not). */
export function registerSealedCollection(config: Config, collection: SealedCollection): void {
  if (!config.custom) config.custom = {}
  const custom = config.custom as Record<string, unknown>
  const list = [...((custom[SEALED_COLLECTIONS_KEY] as SealedCollection[] | undefined) ?? [])]
  custom[SEALED_COLLECTIONS_KEY] = [...list.filter((c) => c.slug !== collection.slug), collection]
}

/** The sealed collections of this Payload. */
export function sealedCollectionsOf(payload: Payload): readonly SealedCollection[] {
  const custom = payload.config.custom as Record<string, unknown> | undefined
  return (custom?.[SEALED_COLLECTIONS_KEY] ?? []) as SealedCollection[]
}

export interface RotationReport {
  /** The key every secret is now sealed with. */
  keyId: string
  rotated: number
  /** Already on the current key. */
  current: number
  failed: { collection: string; id: number | string; error: string }[]
}

interface Queryable {
  query<R>(text: string, values?: unknown[]): Promise<{ rows: R[]; rowCount: number | null }>
}

const tableOf = (collection: SealedCollection) => collection.table ?? collection.slug.replace(/-/g, '_')
const quoted = (name: string) => {
  if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`Not a table name: ${name}`)
  return `"${name}"`
}

/**
 * Re-seals every stored secret still sealed with an older key using the current one (the first of
 * VAULT_KEYS), in every registered sealed collection. Run it after putting a new key first; remove the
 * old key once `failed` is empty. A row changed meanwhile (a token refresh re-sealed it) is left as
 * its writer left it: it is on the current key already.
 */
export async function rotateVaultKeys(payload: Payload, options: { batchSize?: number } = {}): Promise<RotationReport> {
  const ring = vaultConfigOf(payload).keyring()
  const db = (payload.db as unknown as { pool?: Queryable }).pool
  if (!db) throw new Error('Key rotation needs the postgres adapter (no pg pool found)')
  const report: RotationReport = { keyId: ring.current.id, rotated: 0, current: 0, failed: [] }
  const limit = options.batchSize ?? 100
  for (const collection of sealedCollectionsOf(payload)) {
    const table = quoted(tableOf(collection))
    const counted = await db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM ${table} WHERE ciphertext IS NOT NULL AND key_id = $1`,
      [ring.current.id],
    )
    report.current += counted.rows[0]?.n ?? 0
    for (let after = 0; ; ) {
      const extra = (collection.columns ?? []).map((c) => `, ${quoted(c)}`).join('')
      const { rows } = await db.query<{ id: number; tenant: number | null; ciphertext: string; key_id: string }>(
        `SELECT id, tenant_id AS tenant, ciphertext, key_id${extra} FROM ${table}
          WHERE ciphertext IS NOT NULL AND key_id IS DISTINCT FROM $1 AND id > $2 ORDER BY id LIMIT $3`,
        [ring.current.id, after, limit],
      )
      for (const row of rows) {
        after = row.id
        try {
          const context = collection.context(row)
          const sealed = seal(ring, open(ring, { ciphertext: row.ciphertext, keyId: row.key_id }, context), context)
          const updated = await db.query(
            `UPDATE ${table} SET ciphertext = $2, key_id = $3 WHERE id = $1 AND ciphertext = $4`,
            [row.id, sealed.ciphertext, sealed.keyId, row.ciphertext],
          )
          if (updated.rowCount) report.rotated++
          else report.current++
        } catch (error) {
          report.failed.push({ collection: collection.slug, id: row.id, error: (error as Error).message })
        }
      }
      if (rows.length < limit) break
    }
  }
  return report
}
