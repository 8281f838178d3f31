/**
 * The vault in the real CMS (Payload on its own migrated PostgreSQL database): the collections plugins
 * seal with its keys are registered (the connectors' `connections` among them), and `rotateVaultKeys`
 * re-seals the rows of every one of them with the new key, reports the ones it cannot open without
 * stopping, leaves the rest on the old key untouched, and is a no-op once everything is on the new key.
 */
import { randomBytes } from 'node:crypto'
import { startTestCms, type TestCms } from '@bizosaas/cms/test'
import type { Config, Payload } from 'payload'
import pg from 'pg'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { keyring, open, seal } from './crypto.ts'
import { registerSealedCollection, rotateVaultKeys, sealedCollectionsOf, vaultConfigOf } from './index.ts'
import type { SealedCollection } from './types.ts'

const key1 = randomBytes(32).toString('base64')
const key2 = randomBytes(32).toString('base64')
const lost = randomBytes(32)
process.env.VAULT_KEYS = `k1:${key1}`

/** A second sealed collection, as another plugin would register one (its table is made below). */
const TEST_TABLE = 'vault_test_secrets'
const testSecrets: SealedCollection = {
  slug: 'vault-test-secrets',
  context: (row) => `vault-test:${row.id};tenant=${row.tenant}`,
}
const withTestSecrets = (config: Config) => {
  registerSealedCollection(config, testSecrets)
  return config
}

let cms: TestCms
let payload: Payload
let sql: pg.Client
let tenant: number

beforeAll(async () => {
  cms = await startTestCms('vault', { plugins: [withTestSecrets] })
  payload = cms.payload
  sql = new pg.Client({ connectionString: cms.db.url })
  await sql.connect()
  await sql.query(
    `CREATE TABLE ${TEST_TABLE} (id serial PRIMARY KEY, tenant_id integer, ciphertext varchar, key_id varchar)`,
  )
  tenant = (await payload.create({ collection: 'tenants', data: { name: 'Vault Co', slug: 'vault-co' } })).id
})

afterAll(async () => {
  await sql?.end()
  await cms?.close()
})

const collectionOf = (slug: string) => sealedCollectionsOf(payload).find((c) => c.slug === slug)!

/** A row of `table` holding `secret` sealed with `ring`'s current key, bound as the collection binds it. */
async function sealedRow(
  table: string,
  collection: SealedCollection,
  secret: string,
  ring = vaultConfigOf(payload).keyring(),
) {
  const columns = table === 'connections' ? `(tenant_id, connector, name)` : '(tenant_id)'
  const values = table === 'connections' ? `($1, 'openai', 'OpenAI')` : '($1)'
  const { rows } = await sql.query<{ id: number }>(`INSERT INTO ${table} ${columns} VALUES ${values} RETURNING id`, [
    tenant,
  ])
  const id = rows[0]!.id
  const sealed = seal(ring, secret, collection.context({ id, tenant }))
  await sql.query(`UPDATE ${table} SET ciphertext = $2, key_id = $3 WHERE id = $1`, [
    id,
    sealed.ciphertext,
    sealed.keyId,
  ])
  return id
}

const stored = async (table: string, id: number) =>
  (
    await sql.query<{ ciphertext: string; key_id: string }>(`SELECT ciphertext, key_id FROM ${table} WHERE id = $1`, [
      id,
    ])
  ).rows[0]!

describe('vault', () => {
  it('knows the sealed collections of the CMS: the connections, and what other plugins register', () => {
    expect(sealedCollectionsOf(payload).map((c) => c.slug)).toEqual(
      expect.arrayContaining(['connections', 'vault-test-secrets']),
    )
    expect(collectionOf('connections').context({ id: 7, tenant: 3 })).toBe('bizosaas-connectors:connection=7;tenant=3')
  })

  it('rotation re-seals every row of every sealed collection, reports what it cannot open, then is a no-op', async () => {
    const connection = await sealedRow('connections', collectionOf('connections'), 'sk-connection-secret-1')
    const other = await sealedRow(TEST_TABLE, testSecrets, 'other-plugin-secret-2')
    // Sealed with a key nobody has any more.
    const orphan = await sealedRow(TEST_TABLE, testSecrets, 'orphan-3', keyring([{ id: 'gone', key: lost }]))
    const before = await stored('connections', connection)

    process.env.VAULT_KEYS = `k2:${key2},k1:${key1}`
    const report = await rotateVaultKeys(payload, { batchSize: 1 })
    expect(report).toEqual({
      keyId: 'k2',
      rotated: 2,
      current: 0,
      failed: [
        {
          collection: 'vault-test-secrets',
          id: orphan,
          error: 'This secret was sealed with key "gone", which is not in VAULT_KEYS; add it back to open it',
        },
      ],
    })
    const after = await stored('connections', connection)
    expect(after.key_id).toBe('k2')
    expect(after.ciphertext).not.toBe(before.ciphertext)
    expect((await stored(TEST_TABLE, orphan)).key_id).toBe('gone')

    // The old key can go: everything rotated opens with the new one alone.
    process.env.VAULT_KEYS = `k2:${key2}`
    const ring = vaultConfigOf(payload).keyring()
    const opened = async (table: string, collection: SealedCollection, id: number) => {
      const row = await stored(table, id)
      return open(ring, { ciphertext: row.ciphertext, keyId: row.key_id }, collection.context({ id, tenant }))
    }
    expect(await opened('connections', collectionOf('connections'), connection)).toBe('sk-connection-secret-1')
    expect(await opened(TEST_TABLE, testSecrets, other)).toBe('other-plugin-secret-2')
    const again = await rotateVaultKeys(payload)
    expect([again.rotated, again.current, again.failed.map((f) => f.id)]).toEqual([0, 2, [orphan]])
  })
})
