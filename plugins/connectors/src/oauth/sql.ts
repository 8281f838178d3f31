/**
 * The OAuth flow's SQL: consuming a state exactly once (one UPDATE … WHERE used_at IS NULL RETURNING, so
 * two callbacks racing with the same state cannot both pass), reading a state to say why it was refused,
 * and pruning old states. Column names are those Payload gives `connector-oauth-states`.
 */
import type { Queryable } from '../sql.ts'

export interface StateRow {
  id: number
  user: number | null
  tenant: number | null
  connector: string
  connection: string | number | null
  app: 'platform' | 'tenant'
  verifierCiphertext: string
  verifierKeyId: string
  redirectUri: string
  expiresAt: Date
  usedAt: Date | null
}

const COLUMNS = `id, user_id AS "user", tenant_id AS tenant, connector, connection, app,
  verifier_ciphertext AS "verifierCiphertext", verifier_key_id AS "verifierKeyId", redirect_uri AS "redirectUri",
  expires_at AS "expiresAt", used_at AS "usedAt"`

/** Marks the state used when it is unused, unexpired and the caller's; returns the row then, else nothing. */
export async function consumeState(db: Queryable, stateHash: string, user: number): Promise<StateRow | undefined> {
  const { rows } = await db.query<StateRow>(
    `UPDATE connector_oauth_states SET used_at = now(), updated_at = now()
      WHERE state_hash = $1 AND used_at IS NULL AND expires_at > now() AND user_id = $2
      RETURNING ${COLUMNS}`,
    [stateHash, user],
  )
  return rows[0]
}

/** The state row whatever its condition (to tell forged, replayed, expired and foreign states apart). */
export async function findState(db: Queryable, stateHash: string): Promise<StateRow | undefined> {
  const { rows } = await db.query<StateRow>(`SELECT ${COLUMNS} FROM connector_oauth_states WHERE state_hash = $1`, [
    stateHash,
  ])
  return rows[0]
}

/** Removes states that expired more than a day ago (kept that long only to explain a late callback). */
export async function pruneStates(db: Queryable): Promise<void> {
  await db.query(`DELETE FROM connector_oauth_states WHERE expires_at < now() - interval '1 day'`)
}
