import { MigrateUpArgs, MigrateDownArgs, sql } from '@payloadcms/db-postgres'

export async function up({ db, payload, req }: MigrateUpArgs): Promise<void> {
  await db.execute(sql`
   CREATE TYPE "public"."enum_tenants_model_keys" AS ENUM('own-only', 'own-then-platform', 'platform-only');
  CREATE TYPE "public"."enum_agent_runs_key_source" AS ENUM('tenant', 'platform', 'offline');
  ALTER TABLE "tenants" ADD COLUMN "model_keys" "enum_tenants_model_keys" DEFAULT 'own-then-platform';
  ALTER TABLE "agent_runs" ADD COLUMN "key_source" "enum_agent_runs_key_source";
  ALTER TABLE "agent_runs" ADD COLUMN "key_connection" varchar;`)
}

export async function down({ db, payload, req }: MigrateDownArgs): Promise<void> {
  await db.execute(sql`
   ALTER TABLE "tenants" DROP COLUMN "model_keys";
  ALTER TABLE "agent_runs" DROP COLUMN "key_source";
  ALTER TABLE "agent_runs" DROP COLUMN "key_connection";
  DROP TYPE "public"."enum_tenants_model_keys";
  DROP TYPE "public"."enum_agent_runs_key_source";`)
}
