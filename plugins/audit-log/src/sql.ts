/**
 * Every SQL statement of the audit log: the one INSERT that writes a change's entries (inside the change's
 * own transaction) and the retention DELETE. Functions of the table name; values are always parameters.
 */
import { type SQL, sql } from '@payloadcms/db-postgres/drizzle'

/** Table of the `audit-log` collection (Payload's snake_case of the slug). */
export const AUDIT_TABLE = 'audit_log'

/** One entry as its row; `changed_fields` holds names only. */
export interface AuditRow {
  action: string
  collection_slug: string | null
  document_id: string | null
  tenant_id: number | null
  user_id: number | null
  user_email: string | null
  changed_fields: string[]
  details: Record<string, unknown> | null
  ip: string | null
  user_agent: string | null
  request_id: string | null
}

/**
 * ONE statement for any number of entries (a membership change writes one per tenant): the rows travel
 * as one JSON parameter and `jsonb_to_recordset` turns them into a set.
 */
export function insertEntries(rows: readonly AuditRow[], table = AUDIT_TABLE): SQL {
  return sql`INSERT INTO ${sql.identifier(table)}
    (action, collection_slug, document_id, tenant_id, user_id, user_email, changed_fields, details, ip,
     user_agent, request_id, created_at, updated_at)
  SELECT r.action, r.collection_slug, r.document_id, r.tenant_id, r.user_id, r.user_email, r.changed_fields,
         r.details, r.ip, r.user_agent, r.request_id, now(), now()
    FROM jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) AS r(
      action varchar, collection_slug varchar, document_id varchar, tenant_id integer, user_id integer,
      user_email varchar, changed_fields jsonb, details jsonb, ip varchar, user_agent varchar, request_id varchar)`
}

/** Deletes up to `batch` entries created before `cutoff` (the oldest first); returns how many went. */
export function pruneBatch(cutoff: Date, batch: number, table = AUDIT_TABLE): SQL {
  return sql`DELETE FROM ${sql.identifier(table)} WHERE id IN (
    SELECT id FROM ${sql.identifier(table)} WHERE created_at < ${cutoff.toISOString()}::timestamptz
     ORDER BY created_at LIMIT ${batch})`
}
