/** How a queued job runs inside Payload: tenant settings and model keys applied, events persisted as rows. */

import { type AnyAgent, type EventSink, type RunEvent, type RunResult, type RunState, runAgent } from '@bizosaas/agents'
import type { ExecuteRun } from '@bizosaas/agents/queue'
import { withLogContext } from '@bizosaas/observability/logger'
import type { Payload } from 'payload'
import { asAgentWrites } from '../agent-writes.ts'
import { pluginConfigOf } from '../config.ts'
import { connectionService } from '../connections.ts'
import { RUN_STATUS } from '../constants.ts'
import { idOf } from '../documents.ts'
import { tenantBudgetGuard } from '../runs/budget.ts'
import { beginRun, cancellationOf, recordKeySource } from '../store/runs.ts'
import { loadSettings } from '../store/settings.ts'
import { isHeldBack, payloadSink } from '../store/sink.ts'
import { loadRunState } from '../store/state.ts'
import { runModelKeys } from './model-keys.ts'

/**
 * Runs one queued job: tenant settings (enabled, models, approval policy, budget) applied, state in rows.
 * Every line logged while it runs carries the request id that started it (`reqId`), its tenant, run and job.
 */
export function payloadExecute(payload: Payload): ExecuteRun {
  const execute = executeJob(payload)
  return (job) =>
    withLogContext(
      { reqId: job.requestId, tenant: job.tenant, runId: job.runId, jobId: job.jobId, agent: job.agent.slug },
      async () => {
        payload.logger.info({ attempt: job.attempt }, 'agent run started')
        const started = performance.now()
        const result = await execute(job)
        const ms = Math.round(performance.now() - started)
        payload.logger.info({ status: result.status, durationMs: ms }, 'agent run finished')
        return result
      },
    )
}

function executeJob(payload: Payload): ExecuteRun {
  const config = pluginConfigOf(payload)
  const sink = payloadSink(payload, { approvalTtlHours: config.approvalTtlHours })
  return async (job) => {
    const tenant = idOf(job.tenant)
    // A retry reads the run as the dead attempt left it, before `beginRun` marks it running again. Its
    // worker died after the run reached approval (or succeeded) but before the job was settled: the rows
    // say how it ended. Running it again would call the model again and put a row whose approval was
    // meanwhile applied back to awaiting approval.
    const saved = job.attempt > 0 ? await loadRunState(payload, job.runId) : undefined
    if (saved && SETTLED_STATUSES.has(saved.status)) return settledResult(saved)
    // One statement marks the run running and reads its row and the tenant's settings (a run queued
    // without a row — a cron schedule — gets its row from the sink on first sight).
    const begun = await beginRun(payload, job.runId, new Date().toISOString())
    if (begun) sink.adopt(begun)
    const settings = begun
      ? begun.settings
      : tenant === undefined
        ? undefined
        : await loadSettings(payload, tenant, job.agent.slug)
    const policy = settings?.approvalPolicy ?? 'default'
    const agent: AnyAgent = policy === 'default' ? job.agent : { ...job.agent, approval: policy === 'always' }
    // Cancelled by a person (the cancel endpoint marks the row): stop at the next step boundary.
    const cancel = new AbortController()
    const checkCancelled = async () => {
      if (cancel.signal.aborted) return
      const reason = await cancellationOf(payload, job.runId)
      if (reason) cancel.abort(reason)
    }
    // Disabled after it was queued: the run ends cancelled, with the reason. Cancelled while queued: it
    // stops before its first step.
    if (settings?.enabled === false) cancel.abort('the agent was disabled for this tenant')
    else if (begun?.row.status === RUN_STATUS.cancelled) await checkCancelled()
    // Whose keys pay (the tenant's policy, via the resolver another plugin registers), recorded on the run.
    const keys = await runModelKeys(payload, {
      tenant,
      models: settings?.models?.length ? settings.models : config.models?.length ? config.models : job.agent.models,
      registry: config.runtime?.providers,
    })
    const keySource = keys.keySource && { source: keys.keySource, connection: keys.keyConnection }
    const keyRecorded = Boolean(begun && keySource && (await recordKeySource(payload, job.runId, keySource)))
    const signal = AbortSignal.any([job.signal, cancel.signal])
    // A model call in flight is cut short too: the row is looked at every second while the run lasts.
    const poll = setInterval(() => void checkCancelled().catch(() => {}), CANCEL_POLL_MS)
    poll.unref()
    const jobSink: EventSink = {
      ...sink,
      async emit(event: RunEvent) {
        const before = sink.observed(event.runId)?.writes ?? 0
        await sink.emit(event)
        // Step boundaries: after a step, tool call or the output is written and before anything is
        // applied or proposed, a cancelled run goes no further. An event the sink wrote brought the
        // run's status back with it; one it held back is looked up.
        if (!BOUNDARIES.has(event.type) || cancel.signal.aborted) return
        const seen = sink.observed(event.runId)
        if (seen && seen.writes === before) {
          // Held back, so no status came with it. The start was read by `beginRun`; a held-back step is
          // followed at once by a model call, the output or the finish (whose boundaries decide); without
          // approval nothing is proposed after the output.
          if (event.type === 'run-started' && begun) return
          if (event.type === 'step' && isHeldBack(event)) return
          if (event.type === 'output' && !agent.approval) return
        }
        if (seen && seen.writes > before) {
          if (seen.status === RUN_STATUS.cancelled) await checkCancelled()
        } else await checkCancelled()
      },
    }
    try {
      return await asAgentWrites({ agent: job.agent.slug, runId: job.runId }, () =>
        runAgent(agent, job.input as never, {
          runId: job.runId,
          tenant: job.tenant,
          signal,
          sink: jobSink,
          services: {
            payload,
            connection: connectionService(payload, { agent: job.agent.slug, tenant: job.tenant, signal }),
          },
          model: keys.models,
          providers: keys.providers ?? config.runtime?.providers,
          providerOptions: keys.providerOptions,
          budgetGuards: [
            ...(tenant === undefined ? [] : [tenantBudgetGuard(payload, tenant, settings)]),
            ...(config.runtime?.budgetGuards ?? []),
          ],
          // Only a run cut off mid-way resumes; one that finished is not run again.
          ...(saved?.status === 'running' && saved.messages.length ? { resume: saved } : {}),
        }),
      )
    } finally {
      clearInterval(poll)
      // A run queued without a row (a cron schedule) has one once its first event was written.
      if (keySource && !keyRecorded) await recordKeySource(payload, job.runId, keySource).catch(() => false)
    }
  }
}

const CANCEL_POLL_MS = 1_000
/** Saved statuses of a run that a retried job must not run again. */
const SETTLED_STATUSES: ReadonlySet<string> = new Set([RUN_STATUS.awaitingApproval, RUN_STATUS.succeeded])

/** The result of a run that already ended, from its saved state. */
function settledResult(state: RunState): RunResult {
  return {
    runId: state.runId,
    status: state.status as RunResult['status'],
    output: state.output,
    usage: state.usage,
    steps: state.steps,
    applied: Boolean(state.appliedAt),
    state,
  }
}
const BOUNDARIES: ReadonlySet<RunEvent['type']> = new Set(['run-started', 'step', 'tool-call', 'output'])
