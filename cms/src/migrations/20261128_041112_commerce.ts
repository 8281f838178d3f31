import { MigrateUpArgs, MigrateDownArgs, sql } from '@payloadcms/db-postgres'

export async function up({ db, payload, req }: MigrateUpArgs): Promise<void> {
  await db.execute(sql`
   CREATE TYPE "public"."enum_product_content_status" AS ENUM('draft', 'proposed', 'published', 'rejected');
  CREATE TYPE "public"."enum_product_content_sync_state" AS ENUM('synced', 'failed');
  CREATE TYPE "public"."enum_product_reviews_kind" AS ENUM('review', 'question');
  CREATE TYPE "public"."enum_product_reviews_reply_status" AS ENUM('open', 'answered');
  CREATE TABLE "product_content_gallery" (
  	"_order" integer NOT NULL,
  	"_parent_id" integer NOT NULL,
  	"id" varchar PRIMARY KEY NOT NULL,
  	"medusa_image_id" varchar NOT NULL,
  	"url" varchar NOT NULL,
  	"caption" varchar
  );
  
  CREATE TABLE "product_content" (
  	"id" serial PRIMARY KEY NOT NULL,
  	"tenant_id" integer,
  	"title" varchar NOT NULL,
  	"medusa_product_id" varchar NOT NULL,
  	"handle" varchar,
  	"status" "enum_product_content_status",
  	"description" jsonb,
  	"medusa_description" varchar,
  	"seo_meta_title" varchar,
  	"seo_meta_description" varchar,
  	"thumbnail" varchar,
  	"sync_state" "enum_product_content_sync_state" DEFAULT 'synced',
  	"sync_synced_at" timestamp(3) with time zone,
  	"sync_medusa_updated_at" timestamp(3) with time zone,
  	"sync_error" varchar,
  	"updated_at" timestamp(3) with time zone DEFAULT now() NOT NULL,
  	"created_at" timestamp(3) with time zone DEFAULT now() NOT NULL
  );
  
  CREATE TABLE "product_content_texts" (
  	"id" serial PRIMARY KEY NOT NULL,
  	"order" integer NOT NULL,
  	"parent_id" integer NOT NULL,
  	"path" varchar NOT NULL,
  	"text" varchar
  );
  
  CREATE TABLE "product_reviews" (
  	"id" serial PRIMARY KEY NOT NULL,
  	"tenant_id" integer,
  	"product_id" integer NOT NULL,
  	"kind" "enum_product_reviews_kind" DEFAULT 'review' NOT NULL,
  	"rating" numeric,
  	"author_name" varchar NOT NULL,
  	"body" varchar NOT NULL,
  	"summary" varchar,
  	"reply" varchar,
  	"reply_status" "enum_product_reviews_reply_status" DEFAULT 'open',
  	"replied_at" timestamp(3) with time zone,
  	"updated_at" timestamp(3) with time zone DEFAULT now() NOT NULL,
  	"created_at" timestamp(3) with time zone DEFAULT now() NOT NULL
  );
  
  ALTER TABLE "tenants" ADD COLUMN "commerce_enabled" boolean DEFAULT false;
  ALTER TABLE "tenants" ADD COLUMN "commerce_stock_location_id" varchar;
  ALTER TABLE "tenants" ADD COLUMN "commerce_publishable_key_id" varchar;
  ALTER TABLE "tenants" ADD COLUMN "commerce_linked_at" timestamp(3) with time zone;
  ALTER TABLE "tenants" ADD COLUMN "commerce_link_error" varchar;
  ALTER TABLE "payload_locked_documents_rels" ADD COLUMN "product_content_id" integer;
  ALTER TABLE "payload_locked_documents_rels" ADD COLUMN "product_reviews_id" integer;
  ALTER TABLE "product_content_gallery" ADD CONSTRAINT "product_content_gallery_parent_id_fk" FOREIGN KEY ("_parent_id") REFERENCES "public"."product_content"("id") ON DELETE cascade ON UPDATE no action;
  ALTER TABLE "product_content" ADD CONSTRAINT "product_content_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE set null ON UPDATE no action;
  ALTER TABLE "product_content_texts" ADD CONSTRAINT "product_content_texts_parent_fk" FOREIGN KEY ("parent_id") REFERENCES "public"."product_content"("id") ON DELETE cascade ON UPDATE no action;
  ALTER TABLE "product_reviews" ADD CONSTRAINT "product_reviews_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE set null ON UPDATE no action;
  ALTER TABLE "product_reviews" ADD CONSTRAINT "product_reviews_product_id_product_content_id_fk" FOREIGN KEY ("product_id") REFERENCES "public"."product_content"("id") ON DELETE set null ON UPDATE no action;
  CREATE INDEX "product_content_gallery_order_idx" ON "product_content_gallery" USING btree ("_order");
  CREATE INDEX "product_content_gallery_parent_id_idx" ON "product_content_gallery" USING btree ("_parent_id");
  CREATE INDEX "product_content_tenant_idx" ON "product_content" USING btree ("tenant_id");
  CREATE INDEX "product_content_medusa_product_id_idx" ON "product_content" USING btree ("medusa_product_id");
  CREATE INDEX "product_content_handle_idx" ON "product_content" USING btree ("handle");
  CREATE INDEX "product_content_updated_at_idx" ON "product_content" USING btree ("updated_at");
  CREATE INDEX "product_content_created_at_idx" ON "product_content" USING btree ("created_at");
  CREATE UNIQUE INDEX "tenant_medusaProductId_idx" ON "product_content" USING btree ("tenant_id","medusa_product_id");
  CREATE INDEX "product_content_texts_order_parent" ON "product_content_texts" USING btree ("order","parent_id");
  CREATE INDEX "product_reviews_tenant_idx" ON "product_reviews" USING btree ("tenant_id");
  CREATE INDEX "product_reviews_product_idx" ON "product_reviews" USING btree ("product_id");
  CREATE INDEX "product_reviews_updated_at_idx" ON "product_reviews" USING btree ("updated_at");
  CREATE INDEX "product_reviews_created_at_idx" ON "product_reviews" USING btree ("created_at");
  ALTER TABLE "payload_locked_documents_rels" ADD CONSTRAINT "payload_locked_documents_rels_product_content_fk" FOREIGN KEY ("product_content_id") REFERENCES "public"."product_content"("id") ON DELETE cascade ON UPDATE no action;
  ALTER TABLE "payload_locked_documents_rels" ADD CONSTRAINT "payload_locked_documents_rels_product_reviews_fk" FOREIGN KEY ("product_reviews_id") REFERENCES "public"."product_reviews"("id") ON DELETE cascade ON UPDATE no action;
  CREATE INDEX "payload_locked_documents_rels_product_content_id_idx" ON "payload_locked_documents_rels" USING btree ("product_content_id");
  CREATE INDEX "payload_locked_documents_rels_product_reviews_id_idx" ON "payload_locked_documents_rels" USING btree ("product_reviews_id");`)
}

export async function down({ db, payload, req }: MigrateDownArgs): Promise<void> {
  await db.execute(sql`
   ALTER TABLE "product_content_gallery" DISABLE ROW LEVEL SECURITY;
  ALTER TABLE "product_content" DISABLE ROW LEVEL SECURITY;
  ALTER TABLE "product_content_texts" DISABLE ROW LEVEL SECURITY;
  ALTER TABLE "product_reviews" DISABLE ROW LEVEL SECURITY;
  DROP TABLE "product_content_gallery" CASCADE;
  DROP TABLE "product_content" CASCADE;
  DROP TABLE "product_content_texts" CASCADE;
  DROP TABLE "product_reviews" CASCADE;
  ALTER TABLE "payload_locked_documents_rels" DROP CONSTRAINT "payload_locked_documents_rels_product_content_fk";
  
  ALTER TABLE "payload_locked_documents_rels" DROP CONSTRAINT "payload_locked_documents_rels_product_reviews_fk";
  
  DROP INDEX "payload_locked_documents_rels_product_content_id_idx";
  DROP INDEX "payload_locked_documents_rels_product_reviews_id_idx";
  ALTER TABLE "tenants" DROP COLUMN "commerce_enabled";
  ALTER TABLE "tenants" DROP COLUMN "commerce_stock_location_id";
  ALTER TABLE "tenants" DROP COLUMN "commerce_publishable_key_id";
  ALTER TABLE "tenants" DROP COLUMN "commerce_linked_at";
  ALTER TABLE "tenants" DROP COLUMN "commerce_link_error";
  ALTER TABLE "payload_locked_documents_rels" DROP COLUMN "product_content_id";
  ALTER TABLE "payload_locked_documents_rels" DROP COLUMN "product_reviews_id";
  DROP TYPE "public"."enum_product_content_status";
  DROP TYPE "public"."enum_product_content_sync_state";
  DROP TYPE "public"."enum_product_reviews_kind";
  DROP TYPE "public"."enum_product_reviews_reply_status";`)
}
