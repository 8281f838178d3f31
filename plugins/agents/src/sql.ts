/**
 * The statements Payload's Local API cannot express atomically, against the tables Payload creates
 * for this plugin's collections (snake_case columns). PostgreSQL only.
 */
import type { Payload } from 'payload'
import type { Id } from './types.ts'

interface Queryable {
  query<R = Record<string, unknown>>(text: string, values?: unknown[]): Promise<{ rows: R[]; rowCount: number | null }>
}
interface Pool extends Queryable {
  /** A client of its own, for a transaction (`release()` it). */
  connect(): Promise<Queryable & { release(): void }>
}

/** The `pg` pool of Payload's PostgreSQL adapter. */
export function poolOf(payload: Payload): Pool {
  const pool = (payload.db as unknown as { pool?: Pool }).pool
  if (!pool) throw new Error('@bizosaas/plugin-agents needs @payloadcms/db-postgres')
  return pool
}

/**
 * Moves an approval from `pending` to `approved`/`rejected` exactly once. Returns false when it was
 * not pending (already decided, expired) — the caller answers 409.
 */
export async function decideApproval(
  payload: Payload,
  args: { id: Id; status: 'approved' | 'rejected'; reviewer: Id; feedback?: string },
  /** Runs in the decision's transaction once the approval is decided; a throw undoes the decision. */
  within?: (
    decided: { tenant: Id; agent: string },
    query: (text: string, values?: unknown[]) => Promise<unknown>,
  ) => Promise<void>,
): Promise<boolean> {
  const client = await poolOf(payload).connect()
  try {
    await client.query('BEGIN')
    const { rows } = await client.query<{ tenant_id: Id; agent: string }>(
      `UPDATE approvals
          SET status = $2, reviewer_id = $3, feedback = $4, decided_at = now(), updated_at = now()
        WHERE id = $1 AND status = 'pending' AND (expires_at IS NULL OR expires_at > now())
        RETURNING tenant_id, agent`,
      [args.id, args.status, args.reviewer, args.feedback ?? null],
    )
    if (rows.length !== 1) {
      await client.query('ROLLBACK')
      return false
    }
    await within?.({ tenant: rows[0]!.tenant_id, agent: rows[0]!.agent }, (text, values) => client.query(text, values))
    await client.query('COMMIT')
    return true
  } catch (error) {
    await client.query('ROLLBACK').catch(() => {})
    throw error
  } finally {
    client.release()
  }
}

/** Marks an approved approval applied; false if it already was (so apply effects are recorded once). */
export async function markApplied(payload: Payload, id: Id): Promise<boolean> {
  const { rowCount } = await poolOf(payload).query(
    `UPDATE approvals SET status = 'applied', applied_at = now(), error = NULL, updated_at = now()
      WHERE id = $1 AND status = 'approved'`,
    [id],
  )
  return rowCount === 1
}

/** Expires pending approvals whose time ran out; returns their run ids. */
export async function expireApprovals(payload: Payload): Promise<string[]> {
  const { rows } = await poolOf(payload).query<{ run_id: string }>(
    `UPDATE approvals SET status = 'expired', updated_at = now()
      WHERE status = 'pending' AND expires_at <= now() RETURNING run_id`,
  )
  return rows.map((r) => r.run_id)
}

/** What a tenant's runs of an agent cost since the start of this calendar month (UTC), in USD. */
export async function monthlySpendUsd(payload: Payload, tenant: Id, agent: string): Promise<number> {
  const { rows } = await poolOf(payload).query<{ spent: string | null }>(
    `SELECT coalesce(sum(cost_usd), 0) AS spent FROM agent_steps
      WHERE tenant_id = $1 AND agent = $2 AND kind = 'model-call'
        AND created_at >= date_trunc('month', now() AT TIME ZONE 'utc') AT TIME ZONE 'utc'`,
    [tenant, agent],
  )
  return Number(rows[0]?.spent ?? 0)
}

/** The average cost of a tenant's finished runs of an agent that cost anything, and its runs queued or running. */
export async function agentRunStats(
  payload: Payload,
  tenant: Id,
  agent: string,
): Promise<{ averageRunUsd: number | null; inFlight: number }> {
  const { rows } = await poolOf(payload).query<{ average: string | null; in_flight: number }>(
    `SELECT
       (SELECT avg(cost_usd) FROM agent_runs
         WHERE tenant_id = $1 AND agent = $2 AND cost_usd > 0
           AND status IN ('awaiting-approval', 'succeeded', 'rejected', 'failed')) AS average,
       (SELECT count(*)::int FROM agent_runs
         WHERE tenant_id = $1 AND agent = $2 AND status IN ('queued', 'running')) AS in_flight`,
    [tenant, agent],
  )
  const row = rows[0]
  return { averageRunUsd: row?.average == null ? null : Number(row.average), inFlight: Number(row?.in_flight ?? 0) }
}

/** The outputs of a run's successful tool calls as recorded in its steps, in call order. */
export async function recordedToolOutputs(
  payload: Payload,
  runId: string,
): Promise<{ tool: string; output: unknown }[]> {
  const { rows } = await poolOf(payload).query<{ name: string; data: { output?: unknown } | null }>(
    `SELECT name, data FROM agent_steps
      WHERE run_id = $1 AND kind = 'tool-call' AND NOT coalesce(is_error, false) ORDER BY seq`,
    [runId],
  )
  return rows.map((row) => ({ tool: row.name, output: row.data?.output }))
}

/** Live jobs of one pg-boss queue by state (the apply queue has no agent behind it). */
export async function applyQueueCounts(
  payload: Payload,
  schema: string,
  queue: string,
): Promise<{ queued: number; deferred: number; active: number; retrying: number; failed: number }> {
  if (!/^[a-z_][a-z0-9_]*$/i.test(schema)) throw new Error(`Invalid pg-boss schema name "${schema}"`)
  const { rows } = await poolOf(payload)
    .query<{ state: string; deferred: boolean; count: number }>(
      `SELECT state::text AS state, (start_after > now()) AS deferred, count(*)::int AS count
         FROM ${schema}.job WHERE name = $1 AND state IN ('created', 'retry', 'active', 'failed')
        GROUP BY 1, 2`,
      [queue],
    )
    .catch((error: { code?: string }) => {
      // Before the first worker starts, pg-boss has not created its schema yet.
      if (error.code === '42P01' || error.code === '3F000') return { rows: [], rowCount: 0 }
      throw error
    })
  const sum = (match: (r: { state: string; deferred: boolean }) => boolean) =>
    rows.filter(match).reduce((total, r) => total + Number(r.count), 0)
  return {
    queued: sum((r) => r.state === 'created' && !r.deferred),
    deferred: sum((r) => r.state === 'created' && r.deferred),
    active: sum((r) => r.state === 'active'),
    retrying: sum((r) => r.state === 'retry'),
    failed: sum((r) => r.state === 'failed'),
  }
}

/** Runs of these tenants per agent: waiting, running, waiting for a person, failed in the last 24 hours. */
export async function tenantRunCounts(
  payload: Payload,
  tenants: Id[],
): Promise<Map<string, { queued: number; running: number; awaitingApproval: number; failed24h: number }>> {
  const result = new Map<string, { queued: number; running: number; awaitingApproval: number; failed24h: number }>()
  if (tenants.length === 0) return result
  const { rows } = await poolOf(payload).query<{
    agent: string
    queued: number
    running: number
    awaiting: number
    failed: number
  }>(
    `SELECT agent,
            count(*) FILTER (WHERE status = 'queued')::int AS queued,
            count(*) FILTER (WHERE status = 'running')::int AS running,
            count(*) FILTER (WHERE status = 'awaiting-approval')::int AS awaiting,
            count(*) FILTER (WHERE status = 'failed' AND updated_at > now() - interval '24 hours')::int AS failed
       FROM agent_runs
      WHERE tenant_id = ANY($1) AND status IN ('queued', 'running', 'awaiting-approval', 'failed')
      GROUP BY agent`,
    [tenants],
  )
  for (const r of rows)
    result.set(r.agent, { queued: r.queued, running: r.running, awaitingApproval: r.awaiting, failed24h: r.failed })
  return result
}

// ——— Run and step rows: the event sink's hot path ———

const json = (value: unknown) => (value === undefined ? null : JSON.stringify(value))

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
        SET status = CASE WHEN r.status = 'cancelled' THEN r.status ELSE 'running' END,
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

/** A row for a run that was queued without one (cron schedules, direct queue use). */
export async function insertRunRow(
  payload: Payload,
  args: { runId: string; agent: string; tenant: Id; input: unknown; triggerKind: string },
): Promise<TrackedRunRow> {
  const { rows } = await poolOf(payload).query<RunRecord>(
    `INSERT INTO agent_runs (run_id, agent, status, tenant_id, input, trigger_kind, updated_at, created_at)
     VALUES ($1, $2, 'queued', $3, $4::jsonb, $5, now(), now())
     RETURNING id, run_id, agent, status, tenant_id, input, attempt, started_at, created_at, NULL AS last_seq`,
    [args.runId, args.agent, args.tenant, json(args.input), args.triggerKind],
  )
  return toRunRow(rows[0]!)
}

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
 * trip and one commit, so the steps and the run never disagree.
 */
export async function writeRunRows(
  payload: Payload,
  run: { id: Id; runId: string; agent: string; tenant: Id | undefined },
  writes: { steps?: StepColumns[]; update?: RunColumns },
): Promise<void> {
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
        `status = CASE WHEN status = 'running' THEN ${param(value, '::enum_agent_runs_status')} ELSE status END`,
      )
      continue
    }
    if (key === 'status') {
      // A run cancelled by a person stays cancelled, whatever the worker reports afterwards.
      sets.push(
        `status = CASE WHEN status = 'cancelled' THEN status ELSE ${param(value, '::enum_agent_runs_status')} END`,
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
  const update = sets.length ? `UPDATE agent_runs SET ${sets.join(', ')}, updated_at = now() WHERE id = $1` : ''
  if (!insert && !update) return
  const text = insert && update ? `WITH steps AS (${insert}) ${update}` : insert || update
  await poolOf(payload).query(text, values)
}

/** One tenant's settings row for an agent, with its model chain in order (see `loadSettings`). */
export async function selectSettings(
  payload: Payload,
  tenant: Id,
  agent: string,
): Promise<
  | {
      id: Id
      agent: string
      enabled: boolean | null
      models: string[]
      monthlyBudgetUsd: number | null
      schedule: string | null
      approvalPolicy: 'default' | 'always' | 'never' | null
    }
  | undefined
> {
  const { rows } = await poolOf(payload).query<{
    id: Id
    agent: string
    enabled: boolean | null
    models: string[] | null
    monthly_budget_usd: string | null
    schedule: string | null
    approval_policy: 'default' | 'always' | 'never' | null
  }>(
    `SELECT s.id, s.agent, s.enabled, s.monthly_budget_usd, s.schedule, s.approval_policy,
            (SELECT array_agg(t.text ORDER BY t."order") FROM agent_settings_texts t
              WHERE t.parent_id = s.id AND t.path = 'models') AS models
       FROM agent_settings s WHERE s.tenant_id = $1 AND s.agent = $2 LIMIT 1`,
    [tenant, agent],
  )
  const row = rows[0]
  if (!row) return undefined
  return {
    id: row.id,
    agent: row.agent,
    enabled: row.enabled,
    models: row.models ?? [],
    monthlyBudgetUsd: row.monthly_budget_usd == null ? null : Number(row.monthly_budget_usd),
    schedule: row.schedule,
    approvalPolicy: row.approval_policy,
  }
}

/** One UTC day of a tenant's agent activity. */
export interface DailyRunFigure {
  /** YYYY-MM-DD (UTC). */
  day: string
  runs: number
  failed: number
  spendUsd: number
}

/**
 * A tenant's runs, failed runs and spend per UTC day for the last `days` days (today included, days
 * without runs as zeros), plus the tenant's pending approvals — one aggregate query instead of
 * fetching every run.
 */
export async function dailyRunFigures(
  payload: Payload,
  tenant: Id,
  days: number,
): Promise<{ days: DailyRunFigure[]; pendingApprovals: number }> {
  const pool = poolOf(payload)
  const [figures, pending] = await Promise.all([
    pool.query<{ day: string; runs: number; failed: number; spend: string }>(
      `WITH span AS (
         SELECT generate_series((now() AT TIME ZONE 'utc')::date - ($2::int - 1), (now() AT TIME ZONE 'utc')::date, '1 day')::date AS day
       )
       SELECT to_char(span.day, 'YYYY-MM-DD') AS day,
              count(r.id)::int AS runs,
              (count(r.id) FILTER (WHERE r.status = 'failed'))::int AS failed,
              coalesce(sum(r.cost_usd), 0) AS spend
         FROM span
         LEFT JOIN agent_runs r
           ON r.tenant_id = $1
          AND r.created_at >= span.day::timestamp AT TIME ZONE 'utc'
          AND r.created_at < (span.day + 1)::timestamp AT TIME ZONE 'utc'
        GROUP BY span.day
        ORDER BY span.day`,
      [tenant, days],
    ),
    pool.query<{ pending: number }>(
      `SELECT count(*)::int AS pending FROM approvals
        WHERE tenant_id = $1 AND status = 'pending' AND (expires_at IS NULL OR expires_at > now())`,
      [tenant],
    ),
  ])
  return {
    days: figures.rows.map((row) => ({
      day: row.day,
      runs: Number(row.runs),
      failed: Number(row.failed),
      spendUsd: Number(row.spend),
    })),
    pendingApprovals: Number(pending.rows[0]?.pending ?? 0),
  }
}

// ——— Cancelling runs ———

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
        SET status = 'cancelled', error = $2::jsonb, finished_at = coalesce(finished_at, now()), updated_at = now()
      WHERE id = $1 AND status IN ('queued', 'running')
  RETURNING status`,
    [id, JSON.stringify({ code: 'cancelled', message })],
  )
  if (rows.length) return { cancelled: true, status: 'cancelled' }
  const current = await poolOf(payload).query<{ status: string }>('SELECT status FROM agent_runs WHERE id = $1', [id])
  return { cancelled: false, status: current.rows[0]?.status }
}

/** The message of a run cancelled by a person, or `undefined` while the run is not cancelled. */
export async function cancellationOf(payload: Payload, runId: string): Promise<string | undefined> {
  const { rows } = await poolOf(payload).query<{ status: string; message: string | null }>(
    `SELECT status, error->>'message' AS message FROM agent_runs WHERE run_id = $1`,
    [runId],
  )
  const row = rows[0]
  return row?.status === 'cancelled' ? (row.message ?? 'Run cancelled') : undefined
}

/**
 * After approval `appliedId` was applied: the other pending approvals of the same agent, tenant,
 * document and locale propose changes to content that has just changed, so they are closed
 * (`expired`, with the reason) and their runs, still awaiting approval, cancelled. Returns their ids.
 */
export async function supersedeApprovals(payload: Payload, appliedId: Id): Promise<Id[]> {
  const { rows } = await poolOf(payload).query<{ id: Id; run_id: string }>(
    `WITH applied AS (
       SELECT a.id, a.agent, a.tenant_id, a.target_collection, a.target_doc_id,
              coalesce(r.input->>'locale', '') AS locale
         FROM approvals a LEFT JOIN agent_runs r ON r.run_id = a.run_id
        WHERE a.id = $1 AND a.target_doc_id IS NOT NULL
     )
     UPDATE approvals o
        SET status = 'expired', error = 'Superseded by approval ' || applied.id || ', applied to the same document.',
            updated_at = now()
       FROM applied
      WHERE o.status = 'pending' AND o.id <> applied.id AND o.agent = applied.agent
        AND o.tenant_id = applied.tenant_id AND o.target_collection = applied.target_collection
        AND o.target_doc_id = applied.target_doc_id
        AND coalesce((SELECT r.input->>'locale' FROM agent_runs r WHERE r.run_id = o.run_id), '') = applied.locale
  RETURNING o.id, o.run_id`,
    [appliedId],
  )
  if (rows.length)
    await poolOf(payload).query(
      `UPDATE agent_runs SET status = 'cancelled', updated_at = now(),
              error = jsonb_build_object('code', 'cancelled', 'message', 'superseded by approval ' || $2::text)
        WHERE run_id = ANY($1) AND status = 'awaiting-approval'`,
      [rows.map((r) => r.run_id), String(appliedId)],
    )
  return rows.map((r) => r.id)
}
