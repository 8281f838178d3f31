import { MigrateUpArgs, MigrateDownArgs, sql } from '@payloadcms/db-postgres'

export async function up({ db, payload, req }: MigrateUpArgs): Promise<void> {
  await db.execute(sql`
   CREATE TYPE "public"."enum_social_accounts_platform" AS ENUM('x', 'linkedin', 'facebook', 'instagram', 'bluesky', 'mastodon');
  CREATE TYPE "public"."enum_social_accounts_target_type" AS ENUM('profile', 'organization', 'page', 'business');
  CREATE TYPE "public"."enum_social_posts_status" AS ENUM('draft', 'awaiting-approval', 'scheduled', 'publishing', 'published', 'failed', 'unconfirmed');
  CREATE TYPE "public"."enum_social_posts_source_kind" AS ENUM('post', 'page', 'product', 'brief', 'none');
  CREATE TYPE "public"."enum_social_variants_platform" AS ENUM('x', 'linkedin', 'facebook', 'instagram', 'bluesky', 'mastodon');
  CREATE TYPE "public"."enum_social_variants_status" AS ENUM('draft', 'awaiting-approval', 'scheduled', 'publishing', 'published', 'failed', 'unconfirmed');
  CREATE TABLE "social_accounts" (
  	"id" serial PRIMARY KEY NOT NULL,
  	"tenant_id" integer,
  	"platform" "enum_social_accounts_platform" NOT NULL,
  	"connection_id" integer NOT NULL,
  	"target_id" varchar NOT NULL,
  	"target_type" "enum_social_accounts_target_type" NOT NULL,
  	"name" varchar NOT NULL,
  	"handle" varchar,
  	"url" varchar,
  	"avatar_url" varchar,
  	"active" boolean DEFAULT true,
  	"updated_at" timestamp(3) with time zone DEFAULT now() NOT NULL,
  	"created_at" timestamp(3) with time zone DEFAULT now() NOT NULL
  );
  
  CREATE TABLE "social_posts" (
  	"id" serial PRIMARY KEY NOT NULL,
  	"tenant_id" integer,
  	"title" varchar NOT NULL,
  	"status" "enum_social_posts_status" DEFAULT 'draft',
  	"scheduled_at" timestamp(3) with time zone,
  	"campaign" varchar,
  	"link" varchar,
  	"source_kind" "enum_social_posts_source_kind" DEFAULT 'none',
  	"source_brief" varchar,
  	"origin_agent" varchar,
  	"origin_run" varchar,
  	"approved_by_id" integer,
  	"approved_at" timestamp(3) with time zone,
  	"rejection_note" varchar,
  	"metrics_impressions" numeric,
  	"metrics_likes" numeric,
  	"metrics_reposts" numeric,
  	"metrics_replies" numeric,
  	"metrics_clicks" numeric,
  	"updated_at" timestamp(3) with time zone DEFAULT now() NOT NULL,
  	"created_at" timestamp(3) with time zone DEFAULT now() NOT NULL
  );
  
  CREATE TABLE "social_posts_rels" (
  	"id" serial PRIMARY KEY NOT NULL,
  	"order" integer,
  	"parent_id" integer NOT NULL,
  	"path" varchar NOT NULL,
  	"media_id" integer
  );
  
  CREATE TABLE "social_variants_thread" (
  	"_order" integer NOT NULL,
  	"_parent_id" integer NOT NULL,
  	"id" varchar PRIMARY KEY NOT NULL,
  	"text" varchar NOT NULL
  );
  
  CREATE TABLE "social_variants" (
  	"id" serial PRIMARY KEY NOT NULL,
  	"tenant_id" integer,
  	"post_id" integer NOT NULL,
  	"account_id" integer NOT NULL,
  	"platform" "enum_social_variants_platform",
  	"text" varchar NOT NULL,
  	"link" varchar,
  	"status" "enum_social_variants_status" DEFAULT 'draft',
  	"scheduled_at" timestamp(3) with time zone,
  	"attempt" numeric DEFAULT 0,
  	"claimed_at" timestamp(3) with time zone,
  	"published_at" timestamp(3) with time zone,
  	"platform_post_id" varchar,
  	"platform_url" varchar,
  	"thread_ids" jsonb,
  	"error" varchar,
  	"error_code" varchar,
  	"metrics_impressions" numeric,
  	"metrics_likes" numeric,
  	"metrics_reposts" numeric,
  	"metrics_replies" numeric,
  	"metrics_clicks" numeric,
  	"metrics_collected_at" timestamp(3) with time zone,
  	"metrics_history" jsonb,
  	"updated_at" timestamp(3) with time zone DEFAULT now() NOT NULL,
  	"created_at" timestamp(3) with time zone DEFAULT now() NOT NULL
  );
  
  CREATE TABLE "social_variants_rels" (
  	"id" serial PRIMARY KEY NOT NULL,
  	"order" integer,
  	"parent_id" integer NOT NULL,
  	"path" varchar NOT NULL,
  	"media_id" integer
  );
  
  ALTER TABLE "payload_locked_documents_rels" ADD COLUMN "social_accounts_id" integer;
  ALTER TABLE "payload_locked_documents_rels" ADD COLUMN "social_posts_id" integer;
  ALTER TABLE "payload_locked_documents_rels" ADD COLUMN "social_variants_id" integer;
  ALTER TABLE "social_accounts" ADD CONSTRAINT "social_accounts_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE set null ON UPDATE no action;
  ALTER TABLE "social_accounts" ADD CONSTRAINT "social_accounts_connection_id_connections_id_fk" FOREIGN KEY ("connection_id") REFERENCES "public"."connections"("id") ON DELETE set null ON UPDATE no action;
  ALTER TABLE "social_posts" ADD CONSTRAINT "social_posts_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE set null ON UPDATE no action;
  ALTER TABLE "social_posts" ADD CONSTRAINT "social_posts_approved_by_id_users_id_fk" FOREIGN KEY ("approved_by_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;
  ALTER TABLE "social_posts_rels" ADD CONSTRAINT "social_posts_rels_parent_fk" FOREIGN KEY ("parent_id") REFERENCES "public"."social_posts"("id") ON DELETE cascade ON UPDATE no action;
  ALTER TABLE "social_posts_rels" ADD CONSTRAINT "social_posts_rels_media_fk" FOREIGN KEY ("media_id") REFERENCES "public"."media"("id") ON DELETE cascade ON UPDATE no action;
  ALTER TABLE "social_variants_thread" ADD CONSTRAINT "social_variants_thread_parent_id_fk" FOREIGN KEY ("_parent_id") REFERENCES "public"."social_variants"("id") ON DELETE cascade ON UPDATE no action;
  ALTER TABLE "social_variants" ADD CONSTRAINT "social_variants_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE set null ON UPDATE no action;
  ALTER TABLE "social_variants" ADD CONSTRAINT "social_variants_post_id_social_posts_id_fk" FOREIGN KEY ("post_id") REFERENCES "public"."social_posts"("id") ON DELETE set null ON UPDATE no action;
  ALTER TABLE "social_variants" ADD CONSTRAINT "social_variants_account_id_social_accounts_id_fk" FOREIGN KEY ("account_id") REFERENCES "public"."social_accounts"("id") ON DELETE set null ON UPDATE no action;
  ALTER TABLE "social_variants_rels" ADD CONSTRAINT "social_variants_rels_parent_fk" FOREIGN KEY ("parent_id") REFERENCES "public"."social_variants"("id") ON DELETE cascade ON UPDATE no action;
  ALTER TABLE "social_variants_rels" ADD CONSTRAINT "social_variants_rels_media_fk" FOREIGN KEY ("media_id") REFERENCES "public"."media"("id") ON DELETE cascade ON UPDATE no action;
  CREATE INDEX "social_accounts_tenant_idx" ON "social_accounts" USING btree ("tenant_id");
  CREATE INDEX "social_accounts_platform_idx" ON "social_accounts" USING btree ("platform");
  CREATE INDEX "social_accounts_connection_idx" ON "social_accounts" USING btree ("connection_id");
  CREATE INDEX "social_accounts_updated_at_idx" ON "social_accounts" USING btree ("updated_at");
  CREATE INDEX "social_accounts_created_at_idx" ON "social_accounts" USING btree ("created_at");
  CREATE UNIQUE INDEX "tenant_platform_targetId_idx" ON "social_accounts" USING btree ("tenant_id","platform","target_id");
  CREATE INDEX "social_posts_tenant_idx" ON "social_posts" USING btree ("tenant_id");
  CREATE INDEX "social_posts_status_idx" ON "social_posts" USING btree ("status");
  CREATE INDEX "social_posts_scheduled_at_idx" ON "social_posts" USING btree ("scheduled_at");
  CREATE INDEX "social_posts_approved_by_idx" ON "social_posts" USING btree ("approved_by_id");
  CREATE INDEX "social_posts_updated_at_idx" ON "social_posts" USING btree ("updated_at");
  CREATE INDEX "social_posts_created_at_idx" ON "social_posts" USING btree ("created_at");
  CREATE INDEX "social_posts_rels_order_idx" ON "social_posts_rels" USING btree ("order");
  CREATE INDEX "social_posts_rels_parent_idx" ON "social_posts_rels" USING btree ("parent_id");
  CREATE INDEX "social_posts_rels_path_idx" ON "social_posts_rels" USING btree ("path");
  CREATE INDEX "social_posts_rels_media_id_idx" ON "social_posts_rels" USING btree ("media_id");
  CREATE INDEX "social_variants_thread_order_idx" ON "social_variants_thread" USING btree ("_order");
  CREATE INDEX "social_variants_thread_parent_id_idx" ON "social_variants_thread" USING btree ("_parent_id");
  CREATE INDEX "social_variants_tenant_idx" ON "social_variants" USING btree ("tenant_id");
  CREATE INDEX "social_variants_post_idx" ON "social_variants" USING btree ("post_id");
  CREATE INDEX "social_variants_account_idx" ON "social_variants" USING btree ("account_id");
  CREATE INDEX "social_variants_status_idx" ON "social_variants" USING btree ("status");
  CREATE INDEX "social_variants_scheduled_at_idx" ON "social_variants" USING btree ("scheduled_at");
  CREATE INDEX "social_variants_platform_post_id_idx" ON "social_variants" USING btree ("platform_post_id");
  CREATE INDEX "social_variants_updated_at_idx" ON "social_variants" USING btree ("updated_at");
  CREATE INDEX "social_variants_created_at_idx" ON "social_variants" USING btree ("created_at");
  CREATE UNIQUE INDEX "post_account_idx" ON "social_variants" USING btree ("post_id","account_id");
  CREATE INDEX "social_variants_rels_order_idx" ON "social_variants_rels" USING btree ("order");
  CREATE INDEX "social_variants_rels_parent_idx" ON "social_variants_rels" USING btree ("parent_id");
  CREATE INDEX "social_variants_rels_path_idx" ON "social_variants_rels" USING btree ("path");
  CREATE INDEX "social_variants_rels_media_id_idx" ON "social_variants_rels" USING btree ("media_id");
  ALTER TABLE "payload_locked_documents_rels" ADD CONSTRAINT "payload_locked_documents_rels_social_accounts_fk" FOREIGN KEY ("social_accounts_id") REFERENCES "public"."social_accounts"("id") ON DELETE cascade ON UPDATE no action;
  ALTER TABLE "payload_locked_documents_rels" ADD CONSTRAINT "payload_locked_documents_rels_social_posts_fk" FOREIGN KEY ("social_posts_id") REFERENCES "public"."social_posts"("id") ON DELETE cascade ON UPDATE no action;
  ALTER TABLE "payload_locked_documents_rels" ADD CONSTRAINT "payload_locked_documents_rels_social_variants_fk" FOREIGN KEY ("social_variants_id") REFERENCES "public"."social_variants"("id") ON DELETE cascade ON UPDATE no action;
  CREATE INDEX "payload_locked_documents_rels_social_accounts_id_idx" ON "payload_locked_documents_rels" USING btree ("social_accounts_id");
  CREATE INDEX "payload_locked_documents_rels_social_posts_id_idx" ON "payload_locked_documents_rels" USING btree ("social_posts_id");
  CREATE INDEX "payload_locked_documents_rels_social_variants_id_idx" ON "payload_locked_documents_rels" USING btree ("social_variants_id");`)
}

export async function down({ db, payload, req }: MigrateDownArgs): Promise<void> {
  await db.execute(sql`
   ALTER TABLE "social_accounts" DISABLE ROW LEVEL SECURITY;
  ALTER TABLE "social_posts" DISABLE ROW LEVEL SECURITY;
  ALTER TABLE "social_posts_rels" DISABLE ROW LEVEL SECURITY;
  ALTER TABLE "social_variants_thread" DISABLE ROW LEVEL SECURITY;
  ALTER TABLE "social_variants" DISABLE ROW LEVEL SECURITY;
  ALTER TABLE "social_variants_rels" DISABLE ROW LEVEL SECURITY;
  DROP TABLE "social_accounts" CASCADE;
  DROP TABLE "social_posts" CASCADE;
  DROP TABLE "social_posts_rels" CASCADE;
  DROP TABLE "social_variants_thread" CASCADE;
  DROP TABLE "social_variants" CASCADE;
  DROP TABLE "social_variants_rels" CASCADE;
  ALTER TABLE "payload_locked_documents_rels" DROP CONSTRAINT "payload_locked_documents_rels_social_accounts_fk";
  
  ALTER TABLE "payload_locked_documents_rels" DROP CONSTRAINT "payload_locked_documents_rels_social_posts_fk";
  
  ALTER TABLE "payload_locked_documents_rels" DROP CONSTRAINT "payload_locked_documents_rels_social_variants_fk";
  
  DROP INDEX "payload_locked_documents_rels_social_accounts_id_idx";
  DROP INDEX "payload_locked_documents_rels_social_posts_id_idx";
  DROP INDEX "payload_locked_documents_rels_social_variants_id_idx";
  ALTER TABLE "payload_locked_documents_rels" DROP COLUMN "social_accounts_id";
  ALTER TABLE "payload_locked_documents_rels" DROP COLUMN "social_posts_id";
  ALTER TABLE "payload_locked_documents_rels" DROP COLUMN "social_variants_id";
  DROP TYPE "public"."enum_social_accounts_platform";
  DROP TYPE "public"."enum_social_accounts_target_type";
  DROP TYPE "public"."enum_social_posts_status";
  DROP TYPE "public"."enum_social_posts_source_kind";
  DROP TYPE "public"."enum_social_variants_platform";
  DROP TYPE "public"."enum_social_variants_status";`)
}
