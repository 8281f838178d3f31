/**
 * Platform operations: `worker_heartbeats` (one row per running worker process, @bizosaas/contracts/
 * platform-state) and `ops_incidents` (the alerts' incidents, ops/sql.ts). Plain tables, not Payload
 * collections, so no schema snapshot comes with them.
 */
import { createHeartbeatsTable, dropHeartbeatsTable } from '@bizosaas/contracts/platform-state'
import { type MigrateDownArgs, type MigrateUpArgs, sql } from '@payloadcms/db-postgres'
import { createIncidentsTable, dropIncidentsTable } from '../ops/sql.ts'

export async function up({ db }: MigrateUpArgs): Promise<void> {
  await db.execute(sql.raw(createHeartbeatsTable()))
  await db.execute(sql.raw(createIncidentsTable()))
}

export async function down({ db }: MigrateDownArgs): Promise<void> {
  await db.execute(sql.raw(dropIncidentsTable()))
  await db.execute(sql.raw(dropHeartbeatsTable()))
}
