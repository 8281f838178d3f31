/**
 * The SQL of the connectors runtime (one home): reading a connection row, the per-connection advisory
 * lock of the token refresh, storing rotated tokens, and the status flips. Column names are those
 * Payload's postgres adapter gives the `connections` collection.
 */
import type { ConnectionStatus } from './constants.ts'
import { LOCK_NAMESPACE } from './constants.ts'
import type { Id } from './types.ts'

export interface Queryable {
  query<R extends object = Record<string, unknown>>(
    text: string,
    values?: unknown[],
  ): Promise<{ rows: R[]; rowCount: number | null }>
}

export interface ConnectionRow {
  id: number
  tenant: number
  connector: string
  name: string
  status: ConnectionStatus
  lastError: string | null
  account: string | null
  expiresAt: Date | null
  ciphertext: string | null
  keyId: string | null
  notifiedAt: Date | null
}

const COLUMNS = `id, tenant_id AS tenant, connector, name, status, last_error AS "lastError", account,
  expires_at AS "expiresAt", ciphertext, key_id AS "keyId", notified_at AS "notifiedAt"`

export async function selectConnection(db: Queryable, id: Id): Promise<ConnectionRow | undefined> {
  const { rows } = await db.query<ConnectionRow>(`SELECT ${COLUMNS} FROM connections WHERE id = $1`, [id])
  return rows[0]
}

/** The tenant's connection for `connector`: `id` when given, else its newest. */
export async function selectTenantConnection(
  db: Queryable,
  tenant: Id,
  connector: string,
  id?: Id,
): Promise<ConnectionRow | undefined> {
  const { rows } = await db.query<ConnectionRow>(
    `SELECT ${COLUMNS} FROM connections WHERE tenant_id = $1 AND connector = $2 AND ($3::int IS NULL OR id = $3::int)
     ORDER BY (status = 'connected') DESC, updated_at DESC LIMIT 1`,
    [tenant, connector, id ?? null],
  )
  return rows[0]
}

/** Holds the connection's refresh lock until the surrounding transaction ends. */
export async function lockConnection(db: Queryable, id: Id): Promise<void> {
  await db.query('SELECT pg_advisory_xact_lock($1, $2)', [LOCK_NAMESPACE, Number(id)])
}

/** Stores refreshed tokens (and the row's new expiry); the connection is connected again. */
export async function storeTokens(
  db: Queryable,
  id: Id,
  sealed: { ciphertext: string; keyId: string },
  expiresAt: Date | null,
  scopes: string[] | null,
): Promise<void> {
  await db.query(
    `UPDATE connections SET ciphertext = $2, key_id = $3, expires_at = $4,
       scopes = COALESCE($5::jsonb, scopes), status = 'connected', last_error = NULL, updated_at = now()
     WHERE id = $1`,
    [id, sealed.ciphertext, sealed.keyId, expiresAt, scopes ? JSON.stringify(scopes) : null],
  )
}

/** Records a passing problem (the provider was unavailable) without changing the status. */
export async function recordError(db: Queryable, id: Id, message: string): Promise<void> {
  await db.query('UPDATE connections SET last_error = $2, updated_at = now() WHERE id = $1', [id, message])
}

/** The stored connection is unusable (e.g. the provider answered garbage): status `error`; tokens kept. */
export async function markError(db: Queryable, id: Id, message: string): Promise<void> {
  await db.query(`UPDATE connections SET status = 'error', last_error = $2, updated_at = now() WHERE id = $1`, [
    id,
    message,
  ])
}

/**
 * Flips the connection to `needs-reconnect`. The statement that first flips it also sets `notified_at`,
 * so of any number of processes hitting the refused grant at once exactly one gets `true` and notifies.
 */
export async function flipNeedsReconnect(db: Queryable, id: Id, message: string): Promise<boolean> {
  const won = await db.query(
    `UPDATE connections SET status = 'needs-reconnect', last_error = $2, notified_at = now(), updated_at = now()
     WHERE id = $1 AND notified_at IS NULL RETURNING id`,
    [id, message],
  )
  if (won.rowCount) return true
  await db.query(
    `UPDATE connections SET status = 'needs-reconnect', last_error = $2, updated_at = now() WHERE id = $1`,
    [id, message],
  )
  return false
}

/** Result of a test: status, account and check time. */
export async function recordTest(
  db: Queryable,
  id: Id,
  result: { ok: boolean; message: string; account?: string },
): Promise<void> {
  await db.query(
    `UPDATE connections SET checked_at = now(), account = COALESCE($3, account),
       status = CASE WHEN $2 THEN 'connected'::enum_connections_status ELSE status END,
       last_error = CASE WHEN $2 THEN NULL ELSE $4 END, updated_at = now()
     WHERE id = $1`,
    [id, result.ok, result.account ?? null, result.ok ? null : result.message],
  )
}

/** Connections whose tokens expire within `marginSeconds` (the refresh cron's work list). */
export async function selectDueForRefresh(db: Queryable, marginSeconds: number, limit = 200): Promise<number[]> {
  const { rows } = await db.query<{ id: number }>(
    `SELECT id FROM connections WHERE status = 'connected' AND expires_at IS NOT NULL
       AND expires_at < now() + make_interval(secs => $1) ORDER BY expires_at LIMIT $2`,
    [marginSeconds, limit],
  )
  return rows.map((r) => r.id)
}
