/**
 * SQL of the platform operations (heartbeats are in @bizosaas/contracts/platform-state): the alerts'
 * incidents. One open incident per key (a partial unique index), so two checkers cannot open it twice.
 */

/** Incident kinds, as stored. */
export const INCIDENT_KIND = Object.freeze({
  queueAge: 'queue-age',
  deadLetters: 'dead-letters',
  failedRuns: 'failed-runs',
  workerMissing: 'worker-missing',
} as const)
export type IncidentKind = (typeof INCIDENT_KIND)[keyof typeof INCIDENT_KIND]

export function createIncidentsTable(): string {
  return `
    CREATE TABLE IF NOT EXISTS ops_incidents (
      id bigserial PRIMARY KEY,
      key text NOT NULL,
      kind text NOT NULL,
      summary text NOT NULL,
      details jsonb NOT NULL DEFAULT '{}',
      opened_at timestamptz NOT NULL DEFAULT now(),
      resolved_at timestamptz,
      notified_at timestamptz,
      resolve_notified_at timestamptz
    );
    CREATE UNIQUE INDEX IF NOT EXISTS ops_incidents_open_key ON ops_incidents (key) WHERE resolved_at IS NULL;
  `
}

export function dropIncidentsTable(): string {
  return 'DROP TABLE IF EXISTS ops_incidents;'
}

/** Opens an incident unless one with the key is open ($1 key, $2 kind, $3 summary, $4 details). */
export const OPEN_INCIDENT = `
  INSERT INTO ops_incidents (key, kind, summary, details) VALUES ($1, $2, $3, $4)
  ON CONFLICT (key) WHERE resolved_at IS NULL DO NOTHING
`

/** Resolves the open incidents whose key is not among $1. */
export const RESOLVE_INCIDENTS = `
  UPDATE ops_incidents SET resolved_at = now() WHERE resolved_at IS NULL AND NOT (key = ANY($1::text[]))
`

const INCIDENT_COLUMNS = 'id, key, kind, summary, details, opened_at, resolved_at'

/** Incidents whose opening was not notified yet. */
export const UNNOTIFIED_OPENED = `SELECT ${INCIDENT_COLUMNS} FROM ops_incidents WHERE notified_at IS NULL ORDER BY id`

/** Resolved incidents whose opening was notified but whose end was not. */
export const UNNOTIFIED_RESOLVED = `
  SELECT ${INCIDENT_COLUMNS} FROM ops_incidents
  WHERE resolved_at IS NOT NULL AND notified_at IS NOT NULL AND resolve_notified_at IS NULL ORDER BY id
`

export const MARK_NOTIFIED = 'UPDATE ops_incidents SET notified_at = now() WHERE id = ANY($1::bigint[])'
export const MARK_RESOLVE_NOTIFIED = 'UPDATE ops_incidents SET resolve_notified_at = now() WHERE id = ANY($1::bigint[])'

/** Resolved incidents that need no notice of their end (resolve notices off). */
export const SKIP_RESOLVE_NOTICES = `
  UPDATE ops_incidents SET resolve_notified_at = now() WHERE resolved_at IS NOT NULL AND resolve_notified_at IS NULL
`

/** The platform admins' addresses: users with the `super-admin` role. */
export const SUPER_ADMIN_EMAILS = `
  SELECT DISTINCT u.email FROM users u JOIN users_roles r ON r.parent_id = u.id
  WHERE r.value = 'super-admin' AND u.email IS NOT NULL ORDER BY u.email
`

/** One checker at a time across every worker process (transaction-scoped advisory lock). */
export const ALERTS_LOCK = 'SELECT pg_advisory_xact_lock(hashtext($1))'
