/**
 * The runtime's event sink for Payload: every run event becomes rows (the run, its steps, its
 * approval). State is rows, so any process can pick a run up from here.
 *
 * Run and step rows are the hot path (several writes per run, thousands of runs a minute): they are
 * written with one SQL statement each on the tables Payload made for these collections, which have no
 * hooks or versions to skip. Approvals — rare, and read by people — go through the Local API.
 */
import { type EventSink, OFFLINE_MODEL, type RunEvent } from '@bizosaas/agents'
import type { Payload } from 'payload'
import { pluginConfigOf } from '../config.ts'
import {
  APPROVAL_STATUS,
  FINAL_RUN_STATUSES,
  RUN_STATUS,
  type RunRowStatus,
  STEP_KIND,
  TRIGGER_KIND,
} from '../constants.ts'
import { type Id, idOf, tenantRef } from '../documents.ts'
import { hostedAgent } from '../registry.ts'
import type { AgentEvent } from '../types.ts'
import {
  insertRunRow,
  type RunColumns,
  type StepColumns,
  startRunRow,
  type TrackedRunRow,
  trackRunRow,
  writeRunRows,
} from './runs.ts'
import type { RunRow } from './state.ts'

const APPROVALS = 'approvals' as never
const LOCAL = { depth: 0, overrideAccess: true } as const

interface Tracked {
  row: RunRow & { attempt?: number }
  seq: number
  /** Columns held back to ride along with the run's next write (see `output`). */
  pending?: RunColumns
  /** Step rows held back to ride along with the run's next write (see `addStep`). */
  steps: StepColumns[]
  /** Whether this process has seen the run start (the first start is written by `startRunRow`). */
  startedHere?: boolean
  /** Writes of this run's rows so far in this process, and the run's status as the last one returned. */
  writes: number
  status: string
}

/** The sink, plus what its writes learnt about a run's status. */
export interface PayloadSink extends EventSink {
  /**
   * The run's status as its last row write returned it, and how many writes this process has made; a
   * caller compares `writes` before and after an event to know whether `status` is fresh.
   */
  observed(runId: string): { writes: number; status: string } | undefined
  /** Takes over a run its worker already marked running (`beginRun`): its `run-started` writes nothing more. */
  adopt(found: { row: TrackedRunRow; lastSeq: number }): void
}

export interface PayloadSinkOptions {
  /** How long a pending approval stays open. */
  approvalTtlHours: number
}

/** What the sink keeps per run in this process. */
interface SinkContext {
  payload: Payload
  options: PayloadSinkOptions
  runs: Map<string, Tracked>
}

/**
 * The sink: each event finds (or makes) its run's row, then its handler writes what the event means.
 * Text deltas are live only and never persisted.
 */
export function payloadSink(payload: Payload, options: PayloadSinkOptions): PayloadSink {
  const ctx: SinkContext = { payload, options, runs: new Map() }
  return {
    async emit(event) {
      if (event.type === 'text-delta') return
      const t = await track(ctx, event)
      await (HANDLERS[event.type] as Handler<typeof event>)(ctx, t, event)
    },
    adopt(found) {
      ctx.runs.set(found.row.runId, newTracked(found))
    },
    observed(runId) {
      const t = ctx.runs.get(runId)
      return t ? { writes: t.writes, status: t.status } : undefined
    },
  }
}

type Persisted = Exclude<RunEvent, { type: 'text-delta' }>
type Handler<E extends Persisted> = (ctx: SinkContext, t: Tracked, event: E) => Promise<void>
type EventOf<K extends Persisted['type']> = Extract<Persisted, { type: K }>

/** One handler per persisted event type: what that event writes. */
const HANDLERS: { [K in Persisted['type']]: Handler<EventOf<K>> } = {
  'run-started': markStarted,
  step: writeStep,
  'model-call': writeModelCall,
  'tool-call': writeToolCall,
  output: holdOutput,
  'awaiting-approval': awaitApproval,
  applied: async (ctx, t, event) => {
    await updateRun(ctx, t, { status: RUN_STATUS.succeeded, appliedAt: event.at })
    await runFinished(ctx, t, event.at)
  },
  failed: (ctx, t, event) =>
    updateRun(ctx, t, {
      status: RUN_STATUS.failed,
      error: event.error,
      usage: event.usage,
      costUsd: event.usage.costUsd,
    }),
  cancelled: (ctx, t, event) =>
    updateRun(ctx, t, {
      status: RUN_STATUS.cancelled,
      error: { code: 'cancelled', message: event.reason },
      usage: event.usage,
      costUsd: event.usage.costUsd,
    }),
  'run-finished': finishRun,
}

/** The run's tracking entry: read (or marked running) on first sight in this process. */
async function track({ payload, runs }: SinkContext, event: Persisted): Promise<Tracked> {
  const known = runs.get(event.runId)
  if (known) return known
  // A run normally starts here: mark it running and read it back in the same statement.
  const read = () =>
    event.type === 'run-started' ? startRunRow(payload, event.runId, event.at) : trackRunRow(payload, event.runId)
  let found = await read()
  if (!found) {
    await insertMissingRow(payload, event)
    found = await read()
    if (!found) throw new Error(`Run ${event.runId}: its row vanished right after it was written`)
  }
  const tracked = newTracked(found)
  runs.set(event.runId, tracked)
  return tracked
}

/** Runs enqueued without a row (cron schedules, direct queue use) get one on first sight. */
async function insertMissingRow(payload: Payload, event: Persisted): Promise<void> {
  const tenant = 'tenant' in event ? event.tenant : undefined
  if (!tenant) throw new Error(`Run ${event.runId} of "${event.agent}" has no tenant; agent runs belong to a tenant`)
  await insertRunRow(payload, {
    runId: event.runId,
    agent: event.agent,
    tenant: tenantRef(tenant),
    input: 'input' in event ? event.input : undefined,
    triggerKind: TRIGGER_KIND.schedule,
  })
}

const newTracked = (found: { row: TrackedRunRow; lastSeq: number }): Tracked => ({
  row: found.row,
  seq: found.lastSeq + 1,
  steps: [],
  writes: 1,
  status: found.row.status,
})

const ref = (t: Tracked) => ({ id: t.row.id, runId: t.row.runId, agent: t.row.agent, tenant: idOf(t.row.tenant) })

/** Writes the run's held-back steps and columns with `data`, in one statement. */
async function updateRun({ payload }: SinkContext, t: Tracked, data: RunColumns): Promise<void> {
  const update = { ...t.pending, ...data }
  const steps = t.steps
  t.pending = undefined
  t.steps = []
  const status = await writeRunRows(payload, ref(t), { steps, update })
  if (status === undefined) return
  t.status = status
  t.writes++
}

/**
 * Adds a step row. `defer` holds it back to ride along with the run's next write: for rows that are
 * always followed at once by another (the prompt before the first model call, a model call before
 * its step). Losing a held-back row in a crash costs at most a repeated model call, never a repeated
 * tool call: tool calls and the steps after them are written at once.
 */
async function addStep(ctx: SinkContext, t: Tracked, data: Omit<StepColumns, 'seq'>, defer = false): Promise<void> {
  t.steps.push({ ...data, seq: t.seq++ })
  if (!defer) await updateRun(ctx, t, {})
}

/**
 * Already marked running when first tracked (`startRunRow`); a second start in this process (a resumed
 * attempt) marks it again.
 */
async function markStarted(ctx: SinkContext, t: Tracked): Promise<void> {
  if (t.startedHere) {
    t.row.attempt = Number(t.row.attempt ?? 0) + 1
    await updateRun(ctx, t, { status: RUN_STATUS.running, attempt: t.row.attempt })
  }
  t.startedHere = true
}

/**
 * Steps that ride along with the run's next write: the prompt (the first model call follows), and a
 * model's final answer — no tool calls, so the output, a repair or the finish follows at once. Losing
 * one in a crash costs a repeated model call; a step with tool calls is written before they run.
 */
export const isHeldBack = (event: EventOf<'step'>): boolean =>
  event.kind === 'prompt' ||
  (event.kind === 'model' && event.messages.every((m) => m.role !== 'assistant' || !m.toolCalls?.length))

function writeStep(ctx: SinkContext, t: Tracked, event: EventOf<'step'>): Promise<void> {
  return addStep(
    ctx,
    t,
    { kind: STEP_KIND.step, step: event.step, data: { step: event.step, kind: event.kind, messages: event.messages } },
    isHeldBack(event),
  )
}

function writeModelCall(ctx: SinkContext, t: Tracked, event: EventOf<'model-call'>): Promise<void> {
  return addStep(
    ctx,
    t,
    {
      kind: STEP_KIND.modelCall,
      step: event.step,
      name: event.model,
      inputTokens: event.inputTokens,
      outputTokens: event.outputTokens,
      cachedTokens: event.cachedTokens,
      costUsd: event.costUsd,
      latencyMs: Math.round(event.latencyMs),
      isError: Boolean(event.error),
      data: {
        responseModel: event.responseModel,
        attempt: event.attempt,
        chainIndex: event.chainIndex,
        finishReason: event.finishReason,
        error: event.error,
      },
    },
    // A failed call is written at once (a fallback model is tried next); a good one rides with its step.
    !event.error,
  )
}

function writeToolCall(ctx: SinkContext, t: Tracked, event: EventOf<'tool-call'>): Promise<void> {
  return addStep(ctx, t, {
    kind: STEP_KIND.toolCall,
    step: event.step,
    name: event.tool,
    latencyMs: Math.round(event.latencyMs),
    isError: event.isError,
    data: { toolCallId: event.toolCallId, input: event.input, output: event.output, message: event.message },
  })
}

/**
 * An agent that applies changes has its output stored before `apply` runs (a crash mid-apply must find
 * it). Otherwise the output rides along with the run's next write (approval or finish).
 */
async function holdOutput(ctx: SinkContext, t: Tracked, event: EventOf<'output'>): Promise<void> {
  const columns: RunColumns = {
    output: event.output,
    model: event.model,
    offline: event.model === OFFLINE_MODEL,
    usage: event.usage,
    costUsd: event.usage.costUsd,
  }
  if (hostedAgent(ctx.payload, t.row.agent)?.agent.apply) await updateRun(ctx, t, columns)
  else t.pending = columns
}

/** The approval exists before the run says it is waiting for one. */
async function awaitApproval(ctx: SinkContext, t: Tracked, event: EventOf<'awaiting-approval'>): Promise<void> {
  await createApproval(ctx, t, event.output)
  await updateRun(ctx, t, { status: RUN_STATUS.awaitingApproval })
}

/**
 * A run that ends "succeeded" without `applied` had nothing to apply; a status set on the way (awaiting
 * approval, failed, cancelled) stays.
 */
async function finishRun(ctx: SinkContext, t: Tracked, event: EventOf<'run-finished'>): Promise<void> {
  await updateRun(ctx, t, {
    statusIfRunning: event.status,
    finishedAt: event.at,
    durationMs: Math.round(event.durationMs),
    usage: event.usage,
    costUsd: event.usage.costUsd,
  })
  ctx.runs.delete(event.runId)
  await runFinished(ctx, t, event.at)
}

/** `run.finished` for a run that reached a final status (not one now waiting for approval). */
async function runFinished(ctx: SinkContext, t: Tracked, at: string): Promise<void> {
  if (!FINAL_RUN_STATUSES.includes(t.status as RunRowStatus)) return
  await tell(ctx.payload, {
    type: 'run.finished',
    id: `evt_run_${t.row.runId}_finished`,
    tenant: idOf(t.row.tenant as never) as Id,
    data: { runId: t.row.runId, run: t.row.id, agent: t.row.agent, status: t.status, finishedAt: at },
  })
}

/** Tells the host's `onEvent` (outgoing webhooks); its failure is logged and never fails the run. */
async function tell(payload: Payload, event: AgentEvent): Promise<void> {
  const { onEvent } = pluginConfigOf(payload)
  if (!onEvent) return
  try {
    await onEvent(payload, event)
  } catch (error) {
    payload.logger.error({ err: error, event: event.type, eventId: event.id }, 'agents: onEvent failed')
  }
}

/** The approval a person reviews: the proposal, the current value beside it, and when it expires. */
async function createApproval({ payload, options }: SinkContext, t: Tracked, output: unknown): Promise<void> {
  const hosted = hostedAgent(payload, t.row.agent)
  const tenant = tenantRef(t.row.tenant)
  const input = t.row.input as Record<string, unknown> | undefined
  const target = (input?.target ?? null) as { collection?: string; id?: Id } | null
  let current: unknown = null
  try {
    current = hosted?.current
      ? await hosted.current({ payload, input: input as never, output: output as never, tenant })
      : null
  } catch (error) {
    payload.logger.warn({ err: error, runId: t.row.runId }, 'agents: could not read the current value for review')
  }
  const existing = await payload.find({
    collection: APPROVALS,
    where: { runId: { equals: t.row.runId } },
    limit: 1,
    ...LOCAL,
  })
  if (existing.docs.length) return // a retried run reaching approval again keeps the first approval
  const approval = (await payload.create({
    collection: APPROVALS,
    data: {
      agentRun: t.row.id,
      runId: t.row.runId,
      agent: t.row.agent,
      tenant,
      status: APPROVAL_STATUS.pending,
      proposed: output,
      current,
      target: target ? { collection: target.collection, docId: target.id == null ? null : String(target.id) } : {},
      expiresAt: new Date(Date.now() + options.approvalTtlHours * 3_600_000).toISOString(),
    } as never,
    ...LOCAL,
  })) as unknown as { id: Id; expiresAt: string }
  await tell(payload, {
    type: 'approval.waiting',
    id: `evt_approval_${approval.id}_waiting`,
    tenant: idOf(tenant as never) as Id,
    data: {
      approval: approval.id,
      runId: t.row.runId,
      run: t.row.id,
      agent: t.row.agent,
      expiresAt: approval.expiresAt,
    },
  })
}
