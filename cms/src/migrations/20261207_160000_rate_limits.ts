/**
 * The counters of the rate limits (`@bizosaas/plugin-rate-limit`): one table, rate-limiter-flexible's
 * rows (`key`, `points`, `expire`). Not a Payload collection, so no schema snapshot comes with it.
 */
import { createRateLimitsTable, dropRateLimitsTable } from '@bizosaas/plugin-rate-limit/core'
import { type MigrateDownArgs, type MigrateUpArgs, sql } from '@payloadcms/db-postgres'

export async function up({ db }: MigrateUpArgs): Promise<void> {
  await db.execute(sql.raw(createRateLimitsTable()))
}

export async function down({ db }: MigrateDownArgs): Promise<void> {
  await db.execute(sql.raw(dropRateLimitsTable()))
}
