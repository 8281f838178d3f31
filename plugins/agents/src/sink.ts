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
import { APPROVAL_STATUS, RUN_STATUS, STEP_KIND } from './constants.ts'
import { hostedAgent } from './registry.ts'
import { insertRunRow, type RunColumns, type StepColumns, startRunRow, trackRunRow, writeRunRows } from './sql.ts'
import { idOf, type RunRow } from './state.ts'
import type { Id } from './types.ts'

const APPROVALS = 'approvals' as never

interface Tracked {
  row: RunRow & { attempt?: number }
  seq: number
  /** Columns held back to ride along with the run's next write (see `output`). */
  pending?: RunColumns
  /** Step rows held back to ride along with the run's next write (see `addStep`). */
  steps: StepColumns[]
  /** Whether this process has seen the run start (the first start is written by `startRunRow`). */
  startedHere?: boolean
}

export interface PayloadSinkOptions {
  /** How long a pending approval stays open. */
  approvalTtlHours: number
}

export function payloadSink(payload: Payload, options: PayloadSinkOptions): EventSink {
  const runs = new Map<string, Tracked>()
  const local = { depth: 0, overrideAccess: true } as const

  async function track(event: RunEvent): Promise<Tracked> {
    let tracked = runs.get(event.runId)
    if (tracked) return tracked
    // A run normally starts here: mark it running and read it back in the same statement.
    let found =
      event.type === 'run-started'
        ? await startRunRow(payload, event.runId, event.at)
        : await trackRunRow(payload, event.runId)
    if (!found) {
      // Runs enqueued without a row (cron schedules, direct queue use) get one on first sight.
      const tenant = 'tenant' in event ? event.tenant : undefined
      if (!tenant)
        throw new Error(`Run ${event.runId} of "${event.agent}" has no tenant; agent runs belong to a tenant`)
      await insertRunRow(payload, {
        runId: event.runId,
        agent: event.agent,
        tenant: Number.isNaN(Number(tenant)) ? tenant : Number(tenant),
        input: 'input' in event ? event.input : undefined,
        triggerKind: 'schedule',
      })
      found =
        event.type === 'run-started'
          ? await startRunRow(payload, event.runId, event.at)
          : await trackRunRow(payload, event.runId)
      if (!found) throw new Error(`Run ${event.runId}: its row vanished right after it was written`)
    }
    tracked = { row: found.row, seq: found.lastSeq + 1, steps: [] }
    runs.set(event.runId, tracked)
    return tracked
  }

  const ref = (t: Tracked) => ({ id: t.row.id, runId: t.row.runId, agent: t.row.agent, tenant: idOf(t.row.tenant) })

  /** Writes the run's held-back steps and columns with `data`, in one statement. */
  const updateRun = (t: Tracked, data: RunColumns) => {
    const update = { ...t.pending, ...data }
    const steps = t.steps
    t.pending = undefined
    t.steps = []
    return writeRunRows(payload, ref(t), { steps, update })
  }

  /**
   * Adds a step row. `defer` holds it back to ride along with the run's next write: for rows that are
   * always followed at once by another (the prompt before the first model call, a model call before
   * its step). Losing a held-back row in a crash costs at most a repeated model call, never a repeated
   * tool call: tool calls and the steps after them are written at once.
   */
  const addStep = async (t: Tracked, data: Omit<StepColumns, 'seq'>, defer = false) => {
    t.steps.push({ ...data, seq: t.seq++ })
    if (!defer) await updateRun(t, {})
  }

  return {
    async emit(event) {
      if (event.type === 'text-delta') return // live only; not persisted
      const t = await track(event)
      switch (event.type) {
        case 'run-started':
          // Already marked running when first tracked (`startRunRow`); a second start in this process
          // (a resumed attempt) marks it again.
          if (t.startedHere) {
            t.row.attempt = Number(t.row.attempt ?? 0) + 1
            await updateRun(t, { status: RUN_STATUS.running, attempt: t.row.attempt })
          }
          t.startedHere = true
          return
        case 'step':
          await addStep(
            t,
            {
              kind: STEP_KIND.step,
              step: event.step,
              data: { step: event.step, kind: event.kind, messages: event.messages },
            },
            event.kind === 'prompt',
          )
          return
        case 'model-call':
          await addStep(
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
          return
        case 'tool-call':
          await addStep(t, {
            kind: STEP_KIND.toolCall,
            step: event.step,
            name: event.tool,
            latencyMs: Math.round(event.latencyMs),
            isError: event.isError,
            data: { toolCallId: event.toolCallId, input: event.input, output: event.output, message: event.message },
          })
          return
        case 'output': {
          const columns: RunColumns = {
            output: event.output,
            model: event.model,
            offline: event.model === OFFLINE_MODEL,
            usage: event.usage,
            costUsd: event.usage.costUsd,
          }
          // An agent that applies changes has its output stored before `apply` runs (a crash mid-apply
          // must find it). Otherwise the output rides along with the run's next write (approval or finish).
          if (hostedAgent(payload, t.row.agent)?.agent.apply) await updateRun(t, columns)
          else t.pending = columns
          return
        }
        case 'awaiting-approval':
          // The approval exists before the run says it is waiting for one.
          await createApproval(t, event.output)
          await updateRun(t, { status: RUN_STATUS.awaitingApproval })
          return
        case 'applied':
          await updateRun(t, { status: RUN_STATUS.succeeded, appliedAt: event.at })
          return
        case 'failed':
          await updateRun(t, {
            status: RUN_STATUS.failed,
            error: event.error,
            usage: event.usage,
            costUsd: event.usage.costUsd,
          })
          return
        case 'cancelled':
          await updateRun(t, {
            status: RUN_STATUS.cancelled,
            error: { code: 'cancelled', message: event.reason },
            usage: event.usage,
            costUsd: event.usage.costUsd,
          })
          return
        case 'run-finished': {
          await updateRun(t, {
            // A run that ends "succeeded" without `applied` had nothing to apply; a status set on the
            // way (awaiting approval, failed, cancelled) stays.
            statusIfRunning: event.status,
            finishedAt: event.at,
            durationMs: Math.round(event.durationMs),
            usage: event.usage,
            costUsd: event.usage.costUsd,
          })
          runs.delete(event.runId)
          return
        }
      }
    },
  }

  async function createApproval(t: Tracked, output: unknown) {
    const hosted = hostedAgent(payload, t.row.agent)
    const tenant = idOf(t.row.tenant) as Id
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
      ...local,
    })
    if (existing.docs.length) return // a retried run reaching approval again keeps the first approval
    await payload.create({
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
      ...local,
    })
  }
}
