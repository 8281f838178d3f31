/**
 * Run and step rows: the event sink's hot path (several writes per run, thousands of runs a minute),
 * plus cancelling. One statement per write on the tables Payload made for these collections.
 */
import type { Payload } from 'payload'
import { RUN_STATUS as R } from '../constants.ts'
import type { Id } from '../types.ts'
import { json, poolOf } from './db.ts'
import { type AgentSettingsRow, SETTINGS_COLUMNS, type SettingsRecord, toSettings } from './settings.ts'
import type { RunRow } from './state.ts'

interface RunRecord {
  id: Id
  run_id: string
  agent: string
  status: string
  tenant_id: Id | null
  input: unknown
  attempt: string | null
  started_at: Date | null
  created_at: Date
  last_seq: string | null
}

const toRunRow = (r: RunRecord) => ({
  id: r.id,
  runId: r.run_id,
  agent: r.agent,
  status: r.status,
  tenant: r.tenant_id as Id,
  input: r.input,
  attempt: Number(r.attempt ?? 0),
  startedAt: r.started_at ? r.started_at.toISOString() : null,
  createdAt: r.created_at.toISOString(),
})

export type TrackedRunRow = ReturnType<typeof toRunRow>

/** A run's row and its last step number (steps survive a crashed worker), in one statement. */
export async function trackRunRow(
  payload: Payload,
  runId: string,
): Promise<{ row: TrackedRunRow; lastSeq: number } | undefined> {
  const { rows } = await poolOf(payload).query<RunRecord>(
    `SELECT r.id, r.run_id, r.agent, r.status, r.tenant_id, r.input, r.attempt, r.started_at, r.created_at,
            (SELECT max(seq) FROM agent_steps s WHERE s.run_id = r.run_id) AS last_seq
       FROM agent_runs r WHERE r.run_id = $1`,
    [runId],
  )
  const row = rows[0]
  return row ? { row: toRunRow(row), lastSeq: Number(row.last_seq ?? 0) } : undefined
}

/**
 * Marks a run running (first start time kept, attempt counted) and reads it back with its last step
 * number, in one statement. `undefined` when the run has no row.
 */
export async function startRunRow(
  payload: Payload,
  runId: string,
  at: string,
): Promise<{ row: TrackedRunRow; lastSeq: number } | undefined> {
  const { rows } = await poolOf(payload).query<RunRecord>(
    `UPDATE agent_runs r
        SET status = CASE WHEN r.status = '${R.cancelled}' THEN r.status ELSE '${R.running}' END,
            started_at = coalesce(r.started_at, $2::timestamptz),
            attempt = coalesce(r.attempt, 0) + 1, updated_at = now()
      WHERE r.run_id = $1
  RETURNING r.id, r.run_id, r.agent, r.status, r.tenant_id, r.input, r.attempt, r.started_at, r.created_at,
            (SELECT max(seq) FROM agent_steps s WHERE s.run_id = r.run_id) AS last_seq`,
    [runId, at],
  )
  const row = rows[0]
  return row ? { row: toRunRow(row), lastSeq: Number(row.last_seq ?? 0) } : undefined
}

/**
 * A worker's start of a job, in one statement: marks the run running (as `startRunRow`) and reads back
 * the row, its last step number and the tenant's settings for the agent. `undefined` when the run has
 * no row (queued without one: the sink writes it on first sight).
 */
export async function beginRun(
  payload: Payload,
  runId: string,
  at: string,
): Promise<{ row: TrackedRunRow; lastSeq: number; settings: AgentSettingsRow | undefined } | undefined> {
  const { rows } = await poolOf(payload).query<RunRecord & SettingsRecord>(
    `WITH started AS (
       UPDATE agent_runs r
          SET status = CASE WHEN r.status = '${R.cancelled}' THEN r.status ELSE '${R.running}' END,
              started_at = coalesce(r.started_at, $2::timestamptz),
              attempt = coalesce(r.attempt, 0) + 1, updated_at = now()
        WHERE r.run_id = $1
    RETURNING r.id, r.run_id, r.agent, r.status, r.tenant_id, r.input, r.attempt, r.started_at, r.created_at)
     SELECT started.*, (SELECT max(seq) FROM agent_steps st WHERE st.run_id = started.run_id) AS last_seq,
            ${SETTINGS_COLUMNS}
       FROM started
       LEFT JOIN agent_settings s ON s.tenant_id = started.tenant_id AND s.agent = started.agent`,
    [runId, at],
  )
  const row = rows[0]
  return row ? { row: toRunRow(row), lastSeq: Number(row.last_seq ?? 0), settings: toSettings(row) } : undefined
}

/** A row for a run that was queued without one (cron schedules, direct queue use). */
export async function insertRunRow(
  payload: Payload,
  args: { runId: string; agent: string; tenant: Id; input: unknown; triggerKind: string },
): Promise<TrackedRunRow> {
  const { rows } = await poolOf(payload).query<RunRecord>(
    `INSERT INTO agent_runs (run_id, agent, status, tenant_id, input, trigger_kind, updated_at, created_at)
     VALUES ($1, $2, '${R.queued}', $3, $4::jsonb, $5, now(), now())
     RETURNING id, run_id, agent, status, tenant_id, input, attempt, started_at, created_at, NULL AS last_seq`,
    [args.runId, args.agent, args.tenant, json(args.input), args.triggerKind],
  )
  return toRunRow(rows[0]!)
}

/** A queued run's row as `startRuns` writes it. */
export interface QueuedRunColumns {
  runId: string
  agent: string
  tenant: Id
  input: unknown
  triggerKind: string
  triggerUser?: Id
  triggerDetail?: string
  targetCollection?: string
  targetDocId?: string
  feedback?: string
  previousRun?: Id
}

/** Writes the rows of queued runs in one statement; returns them in the order given. */
export async function insertQueuedRuns(payload: Payload, runs: readonly QueuedRunColumns[]): Promise<RunRow[]> {
  if (!runs.length) return []
  const { rows } = await poolOf(payload).query<QueuedRecord>(
    `INSERT INTO agent_runs (run_id, agent, status, tenant_id, input, trigger_kind, trigger_user_id, trigger_detail,
            target_collection, target_doc_id, feedback, previous_run_id, updated_at, created_at)
     SELECT x.run_id, x.agent, '${R.queued}', x.tenant_id, x.input, x.trigger_kind::enum_agent_runs_trigger_kind,
            x.trigger_user_id, x.trigger_detail, x.target_collection, x.target_doc_id, x.feedback, x.previous_run_id,
            now(), now()
       FROM jsonb_to_recordset($1::jsonb) AS x(run_id text, agent text, tenant_id int, input jsonb, trigger_kind text,
            trigger_user_id int, trigger_detail text, target_collection text, target_doc_id text, feedback text,
            previous_run_id int)
  RETURNING ${QUEUED_COLUMNS}`,
    [
      JSON.stringify(
        runs.map((r) => ({
          run_id: r.runId,
          agent: r.agent,
          tenant_id: r.tenant,
          input: r.input ?? null,
          trigger_kind: r.triggerKind,
          trigger_user_id: r.triggerUser ?? null,
          trigger_detail: r.triggerDetail ?? null,
          target_collection: r.targetCollection ?? null,
          target_doc_id: r.targetDocId ?? null,
          feedback: r.feedback ?? null,
          previous_run_id: r.previousRun ?? null,
        })),
      ),
    ],
  )
  const byRunId = new Map(rows.map((row) => [row.run_id, toQueuedRow(row)]))
  return runs.map((r) => byRunId.get(r.runId)!)
}

/** Removes run rows no job will pick up (a de-duplicated start, a failed enqueue). */
export async function deleteRunRows(payload: Payload, ids: readonly Id[]): Promise<void> {
  if (!ids.length) return
  await poolOf(payload).query('DELETE FROM agent_runs WHERE id = ANY($1)', [ids])
}

const QUEUED_COLUMNS = `id, run_id, agent, status, tenant_id, input, trigger_kind, trigger_user_id, trigger_detail,
  target_collection, target_doc_id, feedback, previous_run_id, attempt, created_at, updated_at`

interface QueuedRecord {
  id: Id
  run_id: string
  agent: string
  status: string
  tenant_id: Id
  input: unknown
  trigger_kind: string | null
  trigger_user_id: Id | null
  trigger_detail: string | null
  target_collection: string | null
  target_doc_id: string | null
  feedback: string | null
  previous_run_id: Id | null
  attempt: string | null
  created_at: Date
  updated_at: Date
}

const toQueuedRow = (r: QueuedRecord): RunRow => ({
  id: r.id,
  runId: r.run_id,
  agent: r.agent,
  status: r.status,
  tenant: r.tenant_id,
  input: r.input,
  trigger: { kind: r.trigger_kind, user: r.trigger_user_id, detail: r.trigger_detail },
  target: { collection: r.target_collection, docId: r.target_doc_id },
  feedback: r.feedback,
  previousRun: r.previous_run_id,
  attempt: Number(r.attempt ?? 0),
  createdAt: r.created_at.toISOString(),
  updatedAt: r.updated_at.toISOString(),
})

/** What the sink writes on a run row. */
export interface RunColumns {
  status?: string
  /** Set the status only while the run is still `running` (a status set on the way stays). */
  statusIfRunning?: string
  startedAt?: string | null
  attempt?: number
  output?: unknown
  model?: string
  offline?: boolean
  usage?: unknown
  costUsd?: number
  error?: unknown
  appliedAt?: string
  finishedAt?: string
  durationMs?: number
}

const RUN_COLUMNS: Record<Exclude<keyof RunColumns, 'statusIfRunning'>, [column: string, cast: string]> = {
  status: ['status', ''],
  startedAt: ['started_at', '::timestamptz'],
  attempt: ['attempt', ''],
  output: ['output', '::jsonb'],
  model: ['model', ''],
  offline: ['offline', ''],
  usage: ['usage', '::jsonb'],
  costUsd: ['cost_usd', ''],
  error: ['error', '::jsonb'],
  appliedAt: ['applied_at', '::timestamptz'],
  finishedAt: ['finished_at', '::timestamptz'],
  durationMs: ['duration_ms', ''],
}

/** A step row as the sink writes it (a completed step, a model call or a tool call). */
export interface StepColumns {
  seq: number
  kind: string
  step?: number
  name?: string
  inputTokens?: number
  outputTokens?: number
  cachedTokens?: number
  costUsd?: number
  latencyMs?: number
  isError?: boolean
  data?: unknown
}

/**
 * Writes step rows of a run and/or changes to its row, in one statement (a CTE when both): one round
 * trip and one commit, so the steps and the run never disagree. Returns the run's status after the
 * write (`undefined`: nothing to write).
 */
export async function writeRunRows(
  payload: Payload,
  run: { id: Id; runId: string; agent: string; tenant: Id | undefined },
  writes: { steps?: StepColumns[]; update?: RunColumns },
): Promise<string | undefined> {
  const values: unknown[] = [run.id]
  const param = (value: unknown, cast = '') => {
    values.push(value)
    return `$${values.length}${cast}`
  }

  const sets: string[] = []
  for (const [key, value] of Object.entries(writes.update ?? {})) {
    if (value === undefined) continue
    if (key === 'statusIfRunning') {
      sets.push(
        `status = CASE WHEN status = '${R.running}' THEN ${param(value, '::enum_agent_runs_status')} ELSE status END`,
      )
      continue
    }
    if (key === 'status') {
      // A run cancelled by a person stays cancelled, whatever the worker reports afterwards.
      sets.push(
        `status = CASE WHEN status = '${R.cancelled}' THEN status ELSE ${param(value, '::enum_agent_runs_status')} END`,
      )
      continue
    }
    const [column, cast] = RUN_COLUMNS[key as keyof typeof RUN_COLUMNS]
    sets.push(`${column} = ${param(cast === '::jsonb' ? json(value) : value, cast)}`)
  }

  const steps = writes.steps ?? []
  let insert = ''
  if (steps.length) {
    const common = [param(run.runId), param(run.agent), param(run.tenant ?? null)]
    const rows = steps.map(
      (s) =>
        `($1, ${common.join(', ')}, ${param(s.seq)}, ${param(s.kind, '::enum_agent_steps_kind')}, ${param(s.step ?? null)}, ${param(s.name ?? null)}, ${param(s.inputTokens ?? null)}, ${param(s.outputTokens ?? null)}, ${param(s.cachedTokens ?? null)}, ${param(s.costUsd ?? null)}, ${param(s.latencyMs ?? null)}, ${param(s.isError ?? false)}, ${param(json(s.data), '::jsonb')}, now(), now())`,
    )
    insert = `INSERT INTO agent_steps (agent_run_id, run_id, agent, tenant_id, seq, kind, step, name, input_tokens,
       output_tokens, cached_tokens, cost_usd, latency_ms, is_error, data, updated_at, created_at)
     VALUES ${rows.join(', ')}`
  }
  const update = sets.length
    ? `UPDATE agent_runs SET ${sets.join(', ')}, updated_at = now() WHERE id = $1 RETURNING status`
    : ''
  if (!insert && !update) return undefined
  // The run's status comes back with every write (a person may have cancelled it meanwhile).
  const text = update
    ? insert
      ? `WITH steps AS (${insert}) ${update}`
      : update
    : `WITH steps AS (${insert}) SELECT status FROM agent_runs WHERE id = $1`
  const { rows } = await poolOf(payload).query<{ status: string }>(text, values)
  return rows[0]?.status
}

/**
 * Marks a queued or running run cancelled, in one statement (two cancels, or a cancel racing the
 * worker's finish, cannot both win). The run's status after the attempt: `cancelled` when this call
 * cancelled it, else the status that stopped it (`undefined`: no such run).
 */
export async function cancelRunRow(
  payload: Payload,
  id: Id,
  message: string,
): Promise<{ cancelled: boolean; status: string | undefined }> {
  const { rows } = await poolOf(payload).query<{ status: string }>(
    `UPDATE agent_runs
        SET status = '${R.cancelled}', error = $2::jsonb, finished_at = coalesce(finished_at, now()), updated_at = now()
      WHERE id = $1 AND status IN ('${R.queued}', '${R.running}')
  RETURNING status`,
    [id, JSON.stringify({ code: R.cancelled, message })],
  )
  if (rows.length) return { cancelled: true, status: R.cancelled }
  const current = await poolOf(payload).query<{ status: string }>('SELECT status FROM agent_runs WHERE id = $1', [id])
  return { cancelled: false, status: current.rows[0]?.status }
}

/**
 * Marks runs whose job was dead-lettered `failed` with the reason, in one statement: only rows still
 * `queued` or `running` (a run that failed, was cancelled or awaits approval already says how it ended).
 * Returns the run ids it changed.
 */
export async function failDeadLetteredRuns(
  payload: Payload,
  runs: ReadonlyArray<{ runId: string; error: { code: string; message: string } }>,
): Promise<string[]> {
  if (!runs.length) return []
  const { rows } = await poolOf(payload).query<{ run_id: string }>(
    `UPDATE agent_runs r
        SET status = '${R.failed}', error = d.error, finished_at = coalesce(r.finished_at, now()), updated_at = now()
       FROM unnest($1::text[], $2::jsonb[]) AS d(run_id, error)
      WHERE r.run_id = d.run_id AND r.status IN ('${R.queued}', '${R.running}')
  RETURNING r.run_id`,
    [runs.map((run) => run.runId), runs.map((run) => JSON.stringify(run.error))],
  )
  return rows.map((row) => row.run_id)
}

/** The message of a run cancelled by a person, or `undefined` while the run is not cancelled. */
export async function cancellationOf(payload: Payload, runId: string): Promise<string | undefined> {
  const { rows } = await poolOf(payload).query<{ status: string; message: string | null }>(
    `SELECT status, error->>'message' AS message FROM agent_runs WHERE run_id = $1`,
    [runId],
  )
  const row = rows[0]
  return row?.status === R.cancelled ? (row.message ?? 'Run cancelled') : undefined
}

/** Which key pays for the run's model calls (the tenant's, the platform's, the offline mock) and whose connection. */
export async function recordKeySource(
  payload: Payload,
  runId: string,
  key: { source: string; connection?: string },
): Promise<boolean> {
  const { rowCount } = await poolOf(payload).query(
    'UPDATE agent_runs SET key_source = $2, key_connection = $3 WHERE run_id = $1',
    [runId, key.source, key.connection ?? null],
  )
  return (rowCount ?? 0) > 0
}
