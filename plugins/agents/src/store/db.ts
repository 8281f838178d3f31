/**
 * The store's connection: the `pg` pool of Payload's PostgreSQL adapter, for the statements Payload's
 * Local API cannot express atomically or fast enough. Every SQL statement of this plugin lives in
 * `store/` (one file per concern), against the tables Payload creates for its collections.
 */
import type { Payload } from 'payload'

export interface Queryable {
  query<R = Record<string, unknown>>(text: string, values?: unknown[]): Promise<{ rows: R[]; rowCount: number | null }>
}
export interface Pool extends Queryable {
  /** A client of its own, for a transaction (`release()` it). */
  connect(): Promise<Queryable & { release(): void }>
}

/** The `pg` pool of Payload's PostgreSQL adapter. */
export function poolOf(payload: Payload): Pool {
  const pool = (payload.db as unknown as { pool?: Pool }).pool
  if (!pool) throw new Error('@bizosaas/plugin-agents needs @payloadcms/db-postgres')
  return pool
}

/** A value for a `jsonb` parameter (`undefined` → SQL NULL). */
export const json = (value: unknown) => (value === undefined ? null : JSON.stringify(value))
