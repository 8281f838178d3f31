import { MigrateUpArgs, MigrateDownArgs, sql } from '@payloadcms/db-postgres'

export async function up({ db, payload, req }: MigrateUpArgs): Promise<void> {
  await db.execute(sql`
   CREATE TYPE "public"."enum_tenant_data_jobs_kind" AS ENUM('export', 'import', 'deletion');
  CREATE TYPE "public"."enum_tenant_data_jobs_status" AS ENUM('queued', 'running', 'succeeded', 'failed');
  CREATE TABLE "tenant_data_jobs" (
  	"id" serial PRIMARY KEY NOT NULL,
  	"kind" "enum_tenant_data_jobs_kind" NOT NULL,
  	"status" "enum_tenant_data_jobs_status" NOT NULL,
  	"tenant_key" varchar NOT NULL,
  	"tenant_slug" varchar NOT NULL,
  	"plan" jsonb,
  	"progress" jsonb,
  	"result" jsonb,
  	"error" varchar,
  	"requested_by" varchar,
  	"boss_job_id" varchar,
  	"attempts" numeric DEFAULT 0,
  	"started_at" timestamp(3) with time zone,
  	"finished_at" timestamp(3) with time zone,
  	"updated_at" timestamp(3) with time zone DEFAULT now() NOT NULL,
  	"created_at" timestamp(3) with time zone DEFAULT now() NOT NULL
  );
  
  ALTER TABLE "payload_locked_documents_rels" ADD COLUMN "tenant_data_jobs_id" integer;
  CREATE INDEX "tenant_data_jobs_kind_idx" ON "tenant_data_jobs" USING btree ("kind");
  CREATE INDEX "tenant_data_jobs_status_idx" ON "tenant_data_jobs" USING btree ("status");
  CREATE INDEX "tenant_data_jobs_tenant_key_idx" ON "tenant_data_jobs" USING btree ("tenant_key");
  CREATE INDEX "tenant_data_jobs_updated_at_idx" ON "tenant_data_jobs" USING btree ("updated_at");
  CREATE INDEX "tenant_data_jobs_created_at_idx" ON "tenant_data_jobs" USING btree ("created_at");
  ALTER TABLE "payload_locked_documents_rels" ADD CONSTRAINT "payload_locked_documents_rels_tenant_data_jobs_fk" FOREIGN KEY ("tenant_data_jobs_id") REFERENCES "public"."tenant_data_jobs"("id") ON DELETE cascade ON UPDATE no action;
  CREATE INDEX "payload_locked_documents_rels_tenant_data_jobs_id_idx" ON "payload_locked_documents_rels" USING btree ("tenant_data_jobs_id");`)
}

export async function down({ db, payload, req }: MigrateDownArgs): Promise<void> {
  await db.execute(sql`
   ALTER TABLE "tenant_data_jobs" DISABLE ROW LEVEL SECURITY;
  DROP TABLE "tenant_data_jobs" CASCADE;
  ALTER TABLE "payload_locked_documents_rels" DROP CONSTRAINT "payload_locked_documents_rels_tenant_data_jobs_fk";
  
  DROP INDEX "payload_locked_documents_rels_tenant_data_jobs_id_idx";
  ALTER TABLE "payload_locked_documents_rels" DROP COLUMN "tenant_data_jobs_id";
  DROP TYPE "public"."enum_tenant_data_jobs_kind";
  DROP TYPE "public"."enum_tenant_data_jobs_status";`)
}
