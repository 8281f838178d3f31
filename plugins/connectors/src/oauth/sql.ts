/**
 * The OAuth flow's SQL: consuming a state exactly once (one UPDATE … WHERE used_at IS NULL RETURNING, so
 * two callbacks racing with the same state cannot both pass) and reading a state to say why it was refused.
 */
import { type SQL, sql } from '@payloadcms/db-postgres/drizzle'

/** Table of the `connector-oauth-states` collection (Payload's snake_case of the slug). */
export const OAUTH_STATES_TABLE = 'connector_oauth_states'

export interface StateRow {
  id: number
  state_hash: string
  user_id: number | null
  tenant_id: number | null
  connector: string
  connection: string | number | null
  app: string | null
  verifier_ciphertext: string
  verifier_key_id: string
  redirect_uri: string
  expires_at: string | Date
  used_at: string | Date | null
}

/** Marks the state used when it is unused, unexpired and the caller's; returns the row then, else nothing. */
export function consumeState(stateHash: string, user: number): SQL {
  return sql`UPDATE ${sql.identifier(OAUTH_STATES_TABLE)} SET used_at = now(), updated_at = now()
    WHERE state_hash = ${stateHash} AND used_at IS NULL AND expires_at > now() AND user_id = ${user}
    RETURNING *`
}

/** The state row whatever its condition (to tell forged, replayed, expired and foreign states apart). */
export function findState(stateHash: string): SQL {
  return sql`SELECT * FROM ${sql.identifier(OAUTH_STATES_TABLE)} WHERE state_hash = ${stateHash}`
}

/** Removes states that expired more than a day ago (they only served to explain a late callback). */
export function pruneStates(): SQL {
  return sql`DELETE FROM ${sql.identifier(OAUTH_STATES_TABLE)} WHERE expires_at < now() - interval '1 day'`
}
