/**
 * Migration 20261208_070000_integrations_to_connections on a real database with the real Payload: each vault integration (an
 * OpenAI / Anthropic key sealed for its tenant) becomes a connection whose key opens as the connector's
 * client; a key that cannot be opened becomes a connection in `error` asking for it again; the
 * `integrations` table goes; `down` moves the keys back.
 */
import { randomBytes } from 'node:crypto'
import { connectionClient } from '@bizosaas/plugin-connectors'
import { keyring, open, seal } from '@bizosaas/plugin-vault/crypto'
import type { MigrateUpArgs } from '@payloadcms/db-postgres'
import pg from 'pg'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { down, up } from '../migrations/20261208_070000_integrations_to_connections.ts'
import { startTestCms, type TestCms } from './harness.ts'

process.env.VAULT_KEYS = `k1:${randomBytes(32).toString('base64')}`
const integrationContext = (tenant: number) => `bizosaas-vault:integrations:tenant=${tenant}`

let cms: TestCms
let sql: pg.Client
let args: MigrateUpArgs
const tenant = { a: 0, b: 0 }

beforeAll(async () => {
  cms = await startTestCms('byok_migration')
  sql = new pg.Client({ connectionString: cms.db.url })
  await sql.connect()
  for (const key of ['a', 'b'] as const)
    tenant[key] = (
      await cms.payload.create({ collection: 'tenants', data: { name: `Tenant ${key}`, slug: `byok-mig-${key}` } })
    ).id
  args = {
    db: (cms.payload.db as unknown as { drizzle: MigrateUpArgs['db'] }).drizzle,
    payload: cms.payload,
    req: {} as never,
  }
})

afterAll(async () => {
  await sql?.end()
  await cms?.close()
})

const ring = () => keyring([{ id: 'k1', key: Buffer.from(process.env.VAULT_KEYS!.slice(3), 'base64') }])

async function integration(
  tenantId: number,
  provider: string,
  secret: string,
  baseUrl: string | null,
  sealWith = ring(),
) {
  const sealed = seal(sealWith, secret, integrationContext(tenantId))
  await sql.query(
    `INSERT INTO integrations (tenant_id, name, provider, base_url, secret_hint, key_id, ciphertext, last_test_ok, last_test_message)
     VALUES ($1, $2, $3, $4, $5, $6, $7, true, 'Connected')`,
    [
      tenantId,
      `${provider} of ${tenantId}`,
      provider,
      baseUrl,
      `…${secret.slice(-4)}`,
      sealed.keyId,
      sealed.ciphertext,
    ],
  )
}

const tableExists = async (name: string) =>
  (await sql.query(`SELECT 1 FROM information_schema.tables WHERE table_name = $1`, [name])).rowCount === 1

describe('integrations → connections', () => {
  it('moves every integration into a connection whose key opens as the connector’s client', async () => {
    // Back to before the migration, with the vault's integrations as they were stored.
    await down(args)
    expect(await tableExists('integrations')).toBe(true)
    await integration(tenant.a, 'openai', 'sk-tenant-a-openai-1234', 'http://127.0.0.1:11434/v1')
    await integration(tenant.b, 'anthropic', 'sk-ant-tenant-b-5678', null)
    // Sealed with a vault key that is no longer configured.
    await integration(tenant.b, 'openai', 'sk-lost-key-9999', null, keyring([{ id: 'gone', key: randomBytes(32) }]))

    await up(args)
    expect(await tableExists('integrations')).toBe(false)
    expect(await connectionClient(cms.payload, { tenant: tenant.a, connector: 'openai' })).toEqual({
      apiKey: 'sk-tenant-a-openai-1234',
      baseURL: 'http://127.0.0.1:11434/v1',
    })
    expect(await connectionClient(cms.payload, { tenant: tenant.b, connector: 'anthropic' })).toEqual({
      apiKey: 'sk-ant-tenant-b-5678',
      baseURL: 'https://api.anthropic.com',
    })
    // Tenant A's key is not tenant B's.
    await expect(connectionClient(cms.payload, { tenant: tenant.a, connector: 'anthropic' })).rejects.toMatchObject({
      code: 'not-connected',
    })
    const { rows } = await sql.query(
      `SELECT tenant_id, connector, status, secret_hint, last_error, ciphertext IS NOT NULL AS sealed FROM connections ORDER BY id`,
    )
    expect(rows).toEqual([
      {
        tenant_id: tenant.a,
        connector: 'openai',
        status: 'connected',
        secret_hint: '…1234',
        last_error: null,
        sealed: true,
      },
      {
        tenant_id: tenant.b,
        connector: 'anthropic',
        status: 'connected',
        secret_hint: '…5678',
        last_error: null,
        sealed: true,
      },
      {
        tenant_id: tenant.b,
        connector: 'openai',
        status: 'error',
        secret_hint: null,
        last_error:
          'The key saved before the upgrade could not be opened (This secret was sealed with key "gone", which is not in VAULT_KEYS; add it back to open it); enter it again',
        sealed: false,
      },
    ])
    expect(JSON.stringify(rows)).not.toContain('sk-')
  })

  it('down moves the keys back into integrations sealed for their tenants', async () => {
    await down(args)
    const { rows } = await sql.query<{ tenant_id: number; provider: string; key_id: string; ciphertext: string }>(
      `SELECT tenant_id, provider, key_id, ciphertext FROM integrations ORDER BY id`,
    )
    expect(rows.map((r) => [r.tenant_id, r.provider])).toEqual([
      [tenant.a, 'openai'],
      [tenant.b, 'anthropic'],
    ])
    expect(
      open(ring(), { ciphertext: rows[0]!.ciphertext, keyId: rows[0]!.key_id }, integrationContext(tenant.a)),
    ).toBe('sk-tenant-a-openai-1234')
    await up(args)
    expect(await tableExists('integrations')).toBe(false)
  })
})
