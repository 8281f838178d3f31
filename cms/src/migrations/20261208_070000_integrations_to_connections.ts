/**
 * Bring your own key (issue #19): the vault's `integrations` (tenants' OpenAI / Anthropic keys) folded into
 * `connections`. Each integration's key is opened with the vault's keys (its seal was bound to the
 * tenant) and sealed again as the credentials of a connection to the `openai` / `anthropic` connector
 * (bound to the connection and tenant) — so this migration runs with Payload and VAULT_KEYS, like the CMS.
 * A key that cannot be opened (its vault key is gone) becomes a connection in `error` asking for the key
 * again, rather than blocking the upgrade. `down` moves them back the same way.
 */
import { connectionContext } from '@bizosaas/plugin-connectors'
import { vaultConfigOf } from '@bizosaas/plugin-vault'
import { open, seal } from '@bizosaas/plugin-vault/crypto'
import { type MigrateDownArgs, type MigrateUpArgs, sql } from '@payloadcms/db-postgres'
import type { Payload } from 'payload'

type Db = MigrateUpArgs['db']
type Row = Record<string, unknown>

/** The associated data the vault bound an integration's secret to. */
const integrationContext = (tenant: unknown) => `bizosaas-vault:integrations:tenant=${String(tenant)}`

async function rowsOf(db: Db, query: ReturnType<typeof sql>): Promise<Row[]> {
  return ((await db.execute(query)) as unknown as { rows: Row[] }).rows
}

/** Every integration with a tenant becomes a connection with the same key, sealed for the connection. */
async function integrationsToConnections(db: Db, payload: Payload): Promise<void> {
  const integrations = await rowsOf(
    db,
    sql`SELECT id, tenant_id, name, provider, base_url, secret_hint, key_id, ciphertext, last_test_ok,
               last_test_message, last_test_checked_at, created_at, updated_at
          FROM integrations WHERE tenant_id IS NOT NULL ORDER BY id`,
  )
  if (integrations.length === 0) return
  const ring = vaultConfigOf(payload).keyring()
  for (const row of integrations) {
    let apiKey: string | undefined
    let problem: string | undefined
    try {
      if (!row.ciphertext || !row.key_id) throw new Error('it has no stored key')
      apiKey = open(
        ring,
        { ciphertext: String(row.ciphertext), keyId: String(row.key_id) },
        integrationContext(row.tenant_id),
      )
    } catch (error) {
      problem = (error as Error).message
    }
    const status = apiKey === undefined || row.last_test_ok === false ? 'error' : 'connected'
    const lastError =
      apiKey === undefined
        ? `The key saved before the upgrade could not be opened (${problem}); enter it again`
        : row.last_test_ok === false
          ? (row.last_test_message as string | null)
          : null
    const [created] = await rowsOf(
      db,
      sql`INSERT INTO connections (tenant_id, connector, name, status, last_error, checked_at, secret_hint, created_at, updated_at)
          VALUES (${row.tenant_id}, ${row.provider}, ${row.name}, ${status}, ${lastError}, ${row.last_test_checked_at},
                  ${apiKey === undefined ? null : row.secret_hint}, ${row.created_at}, ${row.updated_at})
          RETURNING id`,
    )
    if (apiKey === undefined) continue
    const credentials = { apiKey, ...(row.base_url ? { baseUrl: String(row.base_url) } : {}) }
    const sealed = seal(ring, JSON.stringify({ credentials }), connectionContext(created!.id as number, row.tenant_id as number))
    await db.execute(
      sql`UPDATE connections SET ciphertext = ${sealed.ciphertext}, key_id = ${sealed.keyId} WHERE id = ${created!.id}`,
    )
  }
}

/** `down`: the model connections go back to integrations (their keys sealed for the tenant again). */
async function connectionsToIntegrations(db: Db, payload: Payload): Promise<void> {
  const connections = await rowsOf(
    db,
    sql`SELECT id, tenant_id, name, connector, secret_hint, key_id, ciphertext, status, last_error, checked_at,
               created_at, updated_at
          FROM connections WHERE connector IN ('openai', 'anthropic') AND tenant_id IS NOT NULL
               AND ciphertext IS NOT NULL ORDER BY id`,
  )
  if (connections.length === 0) return
  const ring = vaultConfigOf(payload).keyring()
  for (const row of connections) {
    const secrets = JSON.parse(
      open(
        ring,
        { ciphertext: String(row.ciphertext), keyId: String(row.key_id) },
        connectionContext(row.id as number, row.tenant_id as number),
      ),
    ) as { credentials?: { apiKey?: string; baseUrl?: string } }
    if (!secrets.credentials?.apiKey) continue
    const sealed = seal(ring, secrets.credentials.apiKey, integrationContext(row.tenant_id))
    await db.execute(
      sql`INSERT INTO integrations (tenant_id, name, provider, base_url, secret_hint, key_id, ciphertext, last_test_ok,
                                    last_test_message, last_test_checked_at, created_at, updated_at)
          VALUES (${row.tenant_id}, ${row.name}, ${row.connector}, ${secrets.credentials.baseUrl ?? null},
                  ${row.secret_hint}, ${sealed.keyId}, ${sealed.ciphertext}, ${row.checked_at ? row.status === 'connected' : null},
                  ${row.last_error}, ${row.checked_at}, ${row.created_at}, ${row.updated_at})`,
    )
    await db.execute(sql`DELETE FROM connections WHERE id = ${row.id}`)
  }
}

export async function up({ db, payload }: MigrateUpArgs): Promise<void> {
  await integrationsToConnections(db, payload)
  await db.execute(sql`

   ALTER TABLE "payload_locked_documents_rels" DROP COLUMN "integrations_id";
  DROP TABLE "integrations";
  DROP TYPE "public"."enum_integrations_provider";`)
}

export async function down({ db, payload }: MigrateDownArgs): Promise<void> {
  await db.execute(sql`

   CREATE TYPE "public"."enum_integrations_provider" AS ENUM('openai', 'anthropic');
  CREATE TABLE "integrations" (
  	"id" serial PRIMARY KEY NOT NULL,
  	"tenant_id" integer,
  	"name" varchar NOT NULL,
  	"provider" "enum_integrations_provider" NOT NULL,
  	"base_url" varchar,
  	"secret_hint" varchar,
  	"key_id" varchar,
  	"ciphertext" varchar,
  	"last_test_ok" boolean,
  	"last_test_message" varchar,
  	"last_test_checked_at" timestamp(3) with time zone,
  	"updated_at" timestamp(3) with time zone DEFAULT now() NOT NULL,
  	"created_at" timestamp(3) with time zone DEFAULT now() NOT NULL
  );
  
  ALTER TABLE "payload_locked_documents_rels" ADD COLUMN "integrations_id" integer;
  ALTER TABLE "integrations" ADD CONSTRAINT "integrations_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE set null ON UPDATE no action;
  CREATE INDEX "integrations_tenant_idx" ON "integrations" USING btree ("tenant_id");
  CREATE INDEX "integrations_key_id_idx" ON "integrations" USING btree ("key_id");
  CREATE INDEX "integrations_updated_at_idx" ON "integrations" USING btree ("updated_at");
  CREATE INDEX "integrations_created_at_idx" ON "integrations" USING btree ("created_at");
  ALTER TABLE "payload_locked_documents_rels" ADD CONSTRAINT "payload_locked_documents_rels_integrations_fk" FOREIGN KEY ("integrations_id") REFERENCES "public"."integrations"("id") ON DELETE cascade ON UPDATE no action;
  CREATE INDEX "payload_locked_documents_rels_integrations_id_idx" ON "payload_locked_documents_rels" USING btree ("integrations_id");`)
  await connectionsToIntegrations(db, payload)
}
