/**
 * Alerts: one check (run every minute by a pg-boss cron job in each worker process, see index.ts) finds
 * what is wrong now — a queue's oldest ready job older than ALERT_QUEUE_AGE_SECONDS, new jobs in a
 * dead-letter queue (within ALERT_DEAD_LETTER_MINUTES), a tenant's runs failing ALERT_FAILED_RUNS times
 * within ALERT_FAILED_RUNS_MINUTES, a worker missing its heartbeats — and keeps one incident per condition in `ops_incidents`. Each incident
 * is notified once when it opens (and once when it ends), however many checks see it and however many
 * checkers run: checks take a transaction-scoped advisory lock, and an open incident's key is unique.
 */
import {
  DELETE_STALE_HEARTBEATS,
  FORGET_WORKER_AFTER_SECONDS,
  type Query,
  readFailedRuns,
  readQueues,
  readWorkers,
} from '@bizosaas/contracts/platform-state'
import { type IncidentNotice, sendNotices } from './notify.ts'
import type { AlertSettings } from './settings.ts'
import {
  ALERTS_LOCK,
  INCIDENT_KIND,
  type IncidentKind,
  MARK_NOTIFIED,
  MARK_RESOLVE_NOTIFIED,
  OPEN_INCIDENT,
  RESOLVE_INCIDENTS,
  SKIP_RESOLVE_NOTICES,
  SUPER_ADMIN_EMAILS,
  UNNOTIFIED_OPENED,
  UNNOTIFIED_RESOLVED,
} from './sql.ts'

/** A client of a pg Pool (a transaction needs one connection). */
export interface PoolLike {
  connect(): Promise<{ query: Query; release(error?: Error | boolean): void }>
}

export interface Condition {
  key: string
  kind: IncidentKind
  summary: string
  details: Record<string, unknown>
}

/** What is wrong now, one condition per incident key. */
export async function currentConditions(query: Query, settings: AlertSettings): Promise<Condition[]> {
  // One after the other: `query` is one connection (the check's transaction).
  const queues = await readQueues(query)
  const failed = await readFailedRuns(query, { sinceSeconds: settings.failedRunsMinutes * 60 })
  const workers = await readWorkers(query, { intervalMs: settings.heartbeatIntervalMs })
  const conditions: Condition[] = []
  for (const q of queues) {
    if (q.oldestQueuedSeconds !== null && q.oldestQueuedSeconds > settings.queueAgeSeconds)
      conditions.push({
        key: `${INCIDENT_KIND.queueAge}:${q.name}`,
        kind: INCIDENT_KIND.queueAge,
        summary: `queue ${q.name}: oldest job waiting ${q.oldestQueuedSeconds} s (threshold ${settings.queueAgeSeconds} s)`,
        details: { queue: q.name, oldestQueuedSeconds: q.oldestQueuedSeconds, queued: q.queued },
      })
    // Dead letters wait in their queue for a redrive (agents keep them 30 days): an incident is new ones
    // arriving, and ends ALERT_DEAD_LETTER_MINUTES after the last; a later one opens a new incident.
    if (q.newestDeadLetterSeconds !== null && q.newestDeadLetterSeconds <= settings.deadLetterMinutes * 60)
      conditions.push({
        key: `${INCIDENT_KIND.deadLetters}:${q.name}`,
        kind: INCIDENT_KIND.deadLetters,
        summary: `queue ${q.name}: new dead letters (${q.deadLetters} waiting in ${q.deadLetterQueue})`,
        details: { queue: q.name, deadLetterQueue: q.deadLetterQueue, deadLetters: q.deadLetters },
      })
  }
  for (const f of failed)
    if (f.failed >= settings.failedRuns)
      conditions.push({
        key: `${INCIDENT_KIND.failedRuns}:${f.tenantId ?? 'none'}`,
        kind: INCIDENT_KIND.failedRuns,
        summary: `tenant ${f.tenant ?? f.tenantId ?? '(none)'}: ${f.failed} agent runs failed in the last ${settings.failedRunsMinutes} min`,
        details: { tenantId: f.tenantId, tenant: f.tenant, failed: f.failed, minutes: settings.failedRunsMinutes },
      })
  for (const w of workers)
    if (w.missing)
      conditions.push({
        key: `${INCIDENT_KIND.workerMissing}:${w.id}`,
        kind: INCIDENT_KIND.workerMissing,
        summary: `worker ${w.id} (${w.kind}) missed its heartbeats: last beat ${w.beatAgeSeconds} s ago`,
        details: { worker: w.id, kind: w.kind, host: w.host, pid: w.pid, lastBeatAt: w.beatAt },
      })
  return conditions
}

interface IncidentRow {
  id: string | number
  key: string
  kind: string
  summary: string
  details: Record<string, unknown>
  opened_at: Date
  resolved_at: Date | null
}

const noticeOf = (event: IncidentNotice['event'], row: IncidentRow): IncidentNotice => ({
  event,
  id: Number(row.id),
  key: row.key,
  kind: row.kind,
  summary: row.summary,
  details: row.details,
  openedAt: new Date(row.opened_at).toISOString(),
  resolvedAt: row.resolved_at ? new Date(row.resolved_at).toISOString() : null,
})

export interface AlertCheck {
  conditions: Condition[]
  /** Notices sent by this check (opened and resolved incidents). */
  notified: IncidentNotice[]
}

/**
 * One check: opens incidents for new conditions, resolves those that ended, and notifies what was not
 * notified yet — inside one transaction under an advisory lock, so concurrent checkers notify once.
 * A failed send rolls nothing back but leaves the notice pending: the next check sends it.
 */
export async function checkAlerts(
  pool: PoolLike,
  settings: AlertSettings,
  log: { error(obj: object, msg: string): void } = console,
): Promise<AlertCheck> {
  const client = await pool.connect()
  const query = client.query.bind(client) as Query
  try {
    await query('BEGIN')
    await query(ALERTS_LOCK, ['bizosaas.ops.alerts'])
    const conditions = await currentConditions(query, settings)
    for (const c of conditions) await query(OPEN_INCIDENT, [c.key, c.kind, c.summary, JSON.stringify(c.details)])
    await query(RESOLVE_INCIDENTS, [conditions.map((c) => c.key)])
    if (!settings.notifyResolved) await query(SKIP_RESOLVE_NOTICES)
    const opened = (await query(UNNOTIFIED_OPENED)).rows as IncidentRow[]
    const resolved = (await query(UNNOTIFIED_RESOLVED)).rows as IncidentRow[]
    const notices = [...opened.map((r) => noticeOf('opened', r)), ...resolved.map((r) => noticeOf('resolved', r))]
    let notified: IncidentNotice[] = []
    if (notices.length > 0) {
      const recipients = ((await query(SUPER_ADMIN_EMAILS)).rows as { email: string }[]).map((r) => r.email)
      try {
        await sendNotices(notices, recipients, settings)
        await query(MARK_NOTIFIED, [opened.map((r) => r.id)])
        await query(MARK_RESOLVE_NOTIFIED, [resolved.map((r) => r.id)])
        notified = notices
      } catch (error) {
        log.error({ err: error }, `alerts: notifying ${notices.length} incident change(s) failed; retrying next check`)
      }
    }
    // Crashed workers' rows, long missing and notified: forgotten (their incidents end on the next check).
    if (notified.length === notices.length) await query(DELETE_STALE_HEARTBEATS, [FORGET_WORKER_AFTER_SECONDS])
    await query('COMMIT')
    return { conditions, notified }
  } catch (error) {
    await query('ROLLBACK').catch(() => {})
    throw error
  } finally {
    client.release()
  }
}
