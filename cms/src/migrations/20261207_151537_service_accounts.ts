import { MigrateUpArgs, MigrateDownArgs, sql } from '@payloadcms/db-postgres'

export async function up({ db, payload, req }: MigrateUpArgs): Promise<void> {
  await db.execute(sql`
   ALTER TABLE "users" ADD COLUMN "service_account" boolean DEFAULT false;`)
  // The storefront's reader (made by `pnpm dev` / scripts/lib/storefront.ts) is the platform's from now on.
  await db.execute(sql`UPDATE "users" SET "service_account" = true WHERE "email" = 'storefront@bizosaas.dev';`)
}

export async function down({ db, payload, req }: MigrateDownArgs): Promise<void> {
  await db.execute(sql`
   ALTER TABLE "users" DROP COLUMN "service_account";`)
}
