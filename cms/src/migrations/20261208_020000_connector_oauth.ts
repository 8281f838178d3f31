/**
 * The OAuth flow's two collections (`@bizosaas/plugin-connectors`, src/oauth): `connector-oauth-states`
 * (one row per started flow; hidden, no API access) and `connector-apps` (a tenant's own OAuth app per
 * connector, secret sealed). Hand-written in the SQL Payload generates for these fields.
 */
import { type MigrateDownArgs, type MigrateUpArgs, sql } from '@payloadcms/db-postgres'

export async function up({ db }: MigrateUpArgs): Promise<void> {
  await db.execute(sql`
  CREATE TYPE "public"."enum_connector_oauth_states_app" AS ENUM('platform', 'tenant');
  CREATE TABLE "connector_oauth_states" (
  	"id" serial PRIMARY KEY NOT NULL,
  	"state_hash" varchar NOT NULL,
  	"user_id" integer NOT NULL,
  	"tenant_id" integer NOT NULL,
  	"connector" varchar NOT NULL,
  	"connection" numeric,
  	"app" "enum_connector_oauth_states_app" NOT NULL,
  	"verifier_ciphertext" varchar NOT NULL,
  	"verifier_key_id" varchar NOT NULL,
  	"redirect_uri" varchar NOT NULL,
  	"expires_at" timestamp(3) with time zone NOT NULL,
  	"used_at" timestamp(3) with time zone,
  	"updated_at" timestamp(3) with time zone DEFAULT now() NOT NULL,
  	"created_at" timestamp(3) with time zone DEFAULT now() NOT NULL
  );
  CREATE TABLE "connector_apps" (
  	"id" serial PRIMARY KEY NOT NULL,
  	"tenant_id" integer,
  	"connector" varchar NOT NULL,
  	"client_id" varchar NOT NULL,
  	"secret_hint" varchar,
  	"key_id" varchar,
  	"ciphertext" varchar,
  	"updated_at" timestamp(3) with time zone DEFAULT now() NOT NULL,
  	"created_at" timestamp(3) with time zone DEFAULT now() NOT NULL
  );
  ALTER TABLE "payload_locked_documents_rels" ADD COLUMN "connector_oauth_states_id" integer;
  ALTER TABLE "payload_locked_documents_rels" ADD COLUMN "connector_apps_id" integer;
  ALTER TABLE "connector_oauth_states" ADD CONSTRAINT "connector_oauth_states_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;
  ALTER TABLE "connector_oauth_states" ADD CONSTRAINT "connector_oauth_states_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;
  ALTER TABLE "connector_apps" ADD CONSTRAINT "connector_apps_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE set null ON UPDATE no action;
  CREATE UNIQUE INDEX "connector_oauth_states_state_hash_idx" ON "connector_oauth_states" USING btree ("state_hash");
  CREATE INDEX "connector_oauth_states_user_idx" ON "connector_oauth_states" USING btree ("user_id");
  CREATE INDEX "connector_oauth_states_tenant_idx" ON "connector_oauth_states" USING btree ("tenant_id");
  CREATE INDEX "connector_oauth_states_expires_at_idx" ON "connector_oauth_states" USING btree ("expires_at");
  CREATE INDEX "connector_oauth_states_updated_at_idx" ON "connector_oauth_states" USING btree ("updated_at");
  CREATE INDEX "connector_oauth_states_created_at_idx" ON "connector_oauth_states" USING btree ("created_at");
  CREATE INDEX "connector_apps_tenant_idx" ON "connector_apps" USING btree ("tenant_id");
  CREATE INDEX "connector_apps_connector_idx" ON "connector_apps" USING btree ("connector");
  CREATE UNIQUE INDEX "connector_apps_tenant_connector_idx" ON "connector_apps" USING btree ("tenant_id", "connector");
  CREATE INDEX "connector_apps_updated_at_idx" ON "connector_apps" USING btree ("updated_at");
  CREATE INDEX "connector_apps_created_at_idx" ON "connector_apps" USING btree ("created_at");
  ALTER TABLE "payload_locked_documents_rels" ADD CONSTRAINT "payload_locked_documents_rels_connector_oauth_states_fk" FOREIGN KEY ("connector_oauth_states_id") REFERENCES "public"."connector_oauth_states"("id") ON DELETE cascade ON UPDATE no action;
  ALTER TABLE "payload_locked_documents_rels" ADD CONSTRAINT "payload_locked_documents_rels_connector_apps_fk" FOREIGN KEY ("connector_apps_id") REFERENCES "public"."connector_apps"("id") ON DELETE cascade ON UPDATE no action;
  CREATE INDEX "payload_locked_documents_rels_connector_oauth_states_id_idx" ON "payload_locked_documents_rels" USING btree ("connector_oauth_states_id");
  CREATE INDEX "payload_locked_documents_rels_connector_apps_id_idx" ON "payload_locked_documents_rels" USING btree ("connector_apps_id");`)
}

export async function down({ db }: MigrateDownArgs): Promise<void> {
  await db.execute(sql`
  ALTER TABLE "payload_locked_documents_rels" DROP CONSTRAINT "payload_locked_documents_rels_connector_oauth_states_fk";
  ALTER TABLE "payload_locked_documents_rels" DROP CONSTRAINT "payload_locked_documents_rels_connector_apps_fk";
  DROP INDEX "payload_locked_documents_rels_connector_oauth_states_id_idx";
  DROP INDEX "payload_locked_documents_rels_connector_apps_id_idx";
  ALTER TABLE "payload_locked_documents_rels" DROP COLUMN "connector_oauth_states_id";
  ALTER TABLE "payload_locked_documents_rels" DROP COLUMN "connector_apps_id";
  DROP TABLE "connector_oauth_states" CASCADE;
  DROP TABLE "connector_apps" CASCADE;
  DROP TYPE "public"."enum_connector_oauth_states_app";`)
}
