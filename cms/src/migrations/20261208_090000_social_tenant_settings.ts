import { MigrateUpArgs, MigrateDownArgs, sql } from '@payloadcms/db-postgres'

export async function up({ db, payload, req }: MigrateUpArgs): Promise<void> {
  await db.execute(sql`
   CREATE TYPE "public"."enum_tenants_social_auto_draft_from" AS ENUM('posts', 'products');
  CREATE TABLE "tenants_social_auto_draft_from" (
  	"order" integer NOT NULL,
  	"parent_id" integer NOT NULL,
  	"value" "enum_tenants_social_auto_draft_from",
  	"id" serial PRIMARY KEY NOT NULL
  );
  
  CREATE TABLE "tenants_rels" (
  	"id" serial PRIMARY KEY NOT NULL,
  	"order" integer,
  	"parent_id" integer NOT NULL,
  	"path" varchar NOT NULL,
  	"social_accounts_id" integer
  );
  
  ALTER TABLE "tenants_social_auto_draft_from" ADD CONSTRAINT "tenants_social_auto_draft_from_parent_fk" FOREIGN KEY ("parent_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;
  ALTER TABLE "tenants_rels" ADD CONSTRAINT "tenants_rels_parent_fk" FOREIGN KEY ("parent_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;
  ALTER TABLE "tenants_rels" ADD CONSTRAINT "tenants_rels_social_accounts_fk" FOREIGN KEY ("social_accounts_id") REFERENCES "public"."social_accounts"("id") ON DELETE cascade ON UPDATE no action;
  CREATE INDEX "tenants_social_auto_draft_from_order_idx" ON "tenants_social_auto_draft_from" USING btree ("order");
  CREATE INDEX "tenants_social_auto_draft_from_parent_idx" ON "tenants_social_auto_draft_from" USING btree ("parent_id");
  CREATE INDEX "tenants_rels_order_idx" ON "tenants_rels" USING btree ("order");
  CREATE INDEX "tenants_rels_parent_idx" ON "tenants_rels" USING btree ("parent_id");
  CREATE INDEX "tenants_rels_path_idx" ON "tenants_rels" USING btree ("path");
  CREATE INDEX "tenants_rels_social_accounts_id_idx" ON "tenants_rels" USING btree ("social_accounts_id");`)
}

export async function down({ db, payload, req }: MigrateDownArgs): Promise<void> {
  await db.execute(sql`
   DROP TABLE "tenants_social_auto_draft_from" CASCADE;
  DROP TABLE "tenants_rels" CASCADE;
  DROP TYPE "public"."enum_tenants_social_auto_draft_from";`)
}
