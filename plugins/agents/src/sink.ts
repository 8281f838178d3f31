/**
 * The runtime's event sink for Payload: every run event becomes rows (the run, its steps, its
 * approval), written through the Local API so hooks and the admin see them. State is rows, so any
 * process can pick a run up from here.
 */
import { type EventSink, OFFLINE_MODEL, type RunEvent } from '@bizosaas/agents'
import type { Payload } from 'payload'
import { APPROVAL_STATUS, RUN_STATUS, STEP_KIND } from './constants.ts'
import { hostedAgent } from './registry.ts'
import { nextStepSeq } from './sql.ts'
import { findRunRow, idOf, type RunRow } from './state.ts'
import type { Id } from './types.ts'

const RUNS = 'agent-runs' as never
const STEPS = 'agent-steps' as never
const APPROVALS = 'approvals' as never

interface Tracked {
  row: RunRow
  seq: number
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
    let row = await findRunRow(payload, event.runId)
    if (!row) {
      // Runs enqueued without a row (cron schedules, direct queue use) get one on first sight.
      const tenant = 'tenant' in event ? event.tenant : undefined
      if (!tenant)
        throw new Error(`Run ${event.runId} of "${event.agent}" has no tenant; agent runs belong to a tenant`)
      row = (await payload.create({
        collection: RUNS,
        data: {
          runId: event.runId,
          agent: event.agent,
          status: RUN_STATUS.queued,
          tenant: Number.isNaN(Number(tenant)) ? tenant : Number(tenant),
          input: 'input' in event ? event.input : undefined,
          trigger: { kind: 'schedule' },
        } as never,
        ...local,
      })) as unknown as RunRow
    }
    tracked = { row, seq: await nextStepSeq(payload, event.runId) }
    runs.set(event.runId, tracked)
    return tracked
  }

  const updateRun = (t: Tracked, data: Record<string, unknown>) =>
    payload.update({ collection: RUNS, id: t.row.id, data: data as never, ...local })

  const addStep = (t: Tracked, data: Record<string, unknown>) =>
    payload.create({
      collection: STEPS,
      data: {
        agentRun: t.row.id,
        runId: t.row.runId,
        agent: t.row.agent,
        tenant: idOf(t.row.tenant),
        seq: t.seq++,
        ...data,
      } as never,
      ...local,
    })

  return {
    async emit(event) {
      if (event.type === 'text-delta') return // live only; not persisted
      const t = await track(event)
      switch (event.type) {
        case 'run-started':
          await updateRun(t, {
            status: RUN_STATUS.running,
            startedAt: t.row.startedAt ?? event.at,
            attempt: ((t.row as { attempt?: number }).attempt ?? 0) + 1,
          })
          return
        case 'step':
          await addStep(t, {
            kind: STEP_KIND.step,
            step: event.step,
            data: { step: event.step, kind: event.kind, messages: event.messages },
          })
          return
        case 'model-call':
          await addStep(t, {
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
          })
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
        case 'output':
          await updateRun(t, {
            output: event.output,
            model: event.model,
            offline: event.model === OFFLINE_MODEL,
            usage: event.usage,
            costUsd: event.usage.costUsd,
          })
          return
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
          const fresh = (await payload.findByID({ collection: RUNS, id: t.row.id, ...local })) as unknown as RunRow
          await updateRun(t, {
            // A run that ends "succeeded" without `applied` had nothing to apply.
            status: fresh.status === RUN_STATUS.running ? event.status : fresh.status,
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
