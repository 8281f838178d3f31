/**
 * How a run ends: a valid output waits for approval or is applied; any failure (model, tool, budget,
 * timeout, cancel) becomes the run's final state and events. Only sink failures escape as errors.
 */
import { AbortError, abortable, throwIfAborted } from '../abort.ts'
import type { AgentContext, AnyAgent } from '../agent.ts'
import { FallbackError } from '../fallback.ts'
import type { RunError, RunState } from '../state.ts'
import { isoNow } from './emitter.ts'
import { type ActiveRun, type RunOutput, RunTimeoutError, SinkFailure } from './open.ts'
import type { RunResult } from './types.ts'

/** Whether this output waits for a human before `apply`. */
export async function requiresApproval(agent: AnyAgent, output: unknown, context: AgentContext): Promise<boolean> {
  if (typeof agent.approval === 'function') return Boolean(await agent.approval(output, context))
  return agent.approval === true
}

/** Sets the final status, emits `failed`/`cancelled` when it applies, then `run-finished`. */
export async function finish(run: ActiveRun, status: RunResult['status'], patch: Partial<RunState>): Promise<void> {
  const state = { ...run.state, ...patch, status, finishedAt: isoNow() }
  run.state = state
  if (status === 'failed' && state.error)
    await run.events.emit({ type: 'failed', error: state.error, usage: state.usage })
  if (status === 'cancelled') {
    await run.events.emit({ type: 'cancelled', reason: state.error?.message ?? 'cancelled', usage: state.usage })
  }
  await run.events.emit({
    type: 'run-finished',
    status,
    steps: state.steps,
    usage: state.usage,
    durationMs: performance.now() - run.startedAt,
  })
}

/** A valid output: emitted, then it waits for approval, or `apply` runs (unless `autoApply` is off). */
export async function deliver(run: ActiveRun, output: RunOutput): Promise<RunResult> {
  const { agent, state, signal, context } = run
  state.output = output.value
  await run.events.emit({ type: 'output', output: output.value, model: output.model, usage: state.usage })
  if (await waitsForApproval(run, output.value)) {
    await run.events.emit({ type: 'awaiting-approval', output: output.value })
    await finish(run, 'awaiting-approval', {})
    return resultOf(run, output.text)
  }
  if (agent.apply && run.options.autoApply !== false) {
    try {
      const applied = await abortable(Promise.resolve(agent.apply(output.value, context)), signal)
      state.appliedAt = isoNow()
      state.applyResult = applied
      await run.events.emit({ type: 'applied', result: applied })
    } catch (error) {
      if (error instanceof AbortError || error instanceof SinkFailure) throw error
      await finish(run, 'failed', { error: { code: 'apply-failed', message: messageOf(error) } })
      return resultOf(run, output.text)
    }
  }
  await finish(run, 'succeeded', {})
  return resultOf(run, output.text)
}

/** `requiresApproval`, without a promise and a listener when the answer is fixed. */
function waitsForApproval(run: ActiveRun, output: unknown): boolean | Promise<boolean> {
  throwIfAborted(run.signal)
  if (typeof run.agent.approval !== 'function') return run.agent.approval === true
  return abortable(requiresApproval(run.agent, output, run.context), run.signal)
}

/**
 * Ends the run for an error thrown by a step: cancelled or timed out, provider failure, or internal error.
 * A sink failure is not a run outcome: it is thrown again (the run's record cannot be trusted).
 */
export async function failOnError(run: ActiveRun, error: unknown): Promise<RunResult> {
  if (error instanceof SinkFailure) throw error.cause ?? error
  const { signal } = run
  if (error instanceof AbortError || signal.aborted) {
    const timedOut = signal.reason instanceof RunTimeoutError
    await finish(run, timedOut ? 'failed' : 'cancelled', {
      error: { code: timedOut ? 'timeout' : 'cancelled', message: reasonText(signal.reason) },
    })
  } else if (error instanceof FallbackError) {
    await finish(run, 'failed', { error: providerError(error) })
  } else {
    await finish(run, 'failed', { error: { code: 'internal', message: messageOf(error) } })
  }
  return resultOf(run)
}

/** The result of a run as it stands (after `finish`). */
export function resultOf(run: ActiveRun, text?: string): RunResult {
  const { state } = run
  return {
    runId: state.runId,
    status: state.status as RunResult['status'],
    output: state.output,
    text,
    usage: state.usage,
    steps: state.steps,
    error: state.error,
    applied: state.appliedAt !== undefined,
    applyResult: state.applyResult,
    state,
  }
}

function providerError(error: FallbackError): RunError {
  return {
    code: 'provider',
    message: error.message,
    attempts: error.attempts.map((a) => ({
      model: a.model.id,
      attempt: a.attempt,
      error: a.error?.message,
      status: a.error?.status,
      kind: a.error?.kind,
      latencyMs: Math.round(a.latencyMs),
    })),
  }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error)
}

function reasonText(reason: unknown): string {
  if (reason instanceof Error) return reason.message
  return typeof reason === 'string' ? reason : 'Run cancelled'
}
