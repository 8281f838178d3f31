/** The connectors' `connections` collection (plugin-connectors): one row per tenant connection, secrets sealed in `ciphertext`. */
import { type MigrateDownArgs, type MigrateUpArgs, sql } from '@payloadcms/db-postgres'

export async function up({ db }: MigrateUpArgs): Promise<void> {
  await db.execute(sql`
   CREATE TYPE "public"."enum_connections_status" AS ENUM('connected', 'needs-reconnect', 'error');
  CREATE TABLE "connections" (
  	"id" serial PRIMARY KEY NOT NULL,
  	"tenant_id" integer,
  	"connector" varchar NOT NULL,
  	"name" varchar NOT NULL,
  	"status" "enum_connections_status" DEFAULT 'connected' NOT NULL,
  	"last_error" varchar,
  	"checked_at" timestamp(3) with time zone,
  	"account" varchar,
  	"scopes" jsonb,
  	"expires_at" timestamp(3) with time zone,
  	"secret_hint" varchar,
  	"key_id" varchar,
  	"ciphertext" varchar,
  	"notified_at" timestamp(3) with time zone,
  	"connected_by_id" integer,
  	"updated_at" timestamp(3) with time zone DEFAULT now() NOT NULL,
  	"created_at" timestamp(3) with time zone DEFAULT now() NOT NULL
  );
  
  ALTER TABLE "payload_locked_documents_rels" ADD COLUMN "connections_id" integer;
  ALTER TABLE "connections" ADD CONSTRAINT "connections_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE set null ON UPDATE no action;
  ALTER TABLE "connections" ADD CONSTRAINT "connections_connected_by_id_users_id_fk" FOREIGN KEY ("connected_by_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;
  CREATE INDEX "connections_tenant_idx" ON "connections" USING btree ("tenant_id");
  CREATE INDEX "connections_connector_idx" ON "connections" USING btree ("connector");
  CREATE INDEX "connections_status_idx" ON "connections" USING btree ("status");
  CREATE INDEX "connections_expires_at_idx" ON "connections" USING btree ("expires_at");
  CREATE INDEX "connections_key_id_idx" ON "connections" USING btree ("key_id");
  CREATE INDEX "connections_connected_by_idx" ON "connections" USING btree ("connected_by_id");
  CREATE INDEX "connections_updated_at_idx" ON "connections" USING btree ("updated_at");
  CREATE INDEX "connections_created_at_idx" ON "connections" USING btree ("created_at");
  ALTER TABLE "payload_locked_documents_rels" ADD CONSTRAINT "payload_locked_documents_rels_connections_fk" FOREIGN KEY ("connections_id") REFERENCES "public"."connections"("id") ON DELETE cascade ON UPDATE no action;
  CREATE INDEX "payload_locked_documents_rels_connections_id_idx" ON "payload_locked_documents_rels" USING btree ("connections_id");`)
}

export async function down({ db }: MigrateDownArgs): Promise<void> {
  await db.execute(sql`
   ALTER TABLE "payload_locked_documents_rels" DROP CONSTRAINT "payload_locked_documents_rels_connections_fk";
  DROP INDEX "payload_locked_documents_rels_connections_id_idx";
  ALTER TABLE "connections" DISABLE ROW LEVEL SECURITY;
  DROP TABLE "connections" CASCADE;
  ALTER TABLE "payload_locked_documents_rels" DROP COLUMN "connections_id";
  DROP TYPE "public"."enum_connections_status";`)
}
