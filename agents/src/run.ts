/**
 * Running an agent: `runAgent` (one run, start to finish, or resumed), `applyRun` (apply an approved
 * output later) and `stateFromSteps`. The steps live in ./run/: open, converse, deliver or fail.
 */
import type { z } from 'zod'
import { AbortError, abortable } from './abort.ts'
import type { Agent, AgentInput, AgentOutput, AnyAgent } from './agent.ts'
import type { Message } from './providers/types.ts'
import { createEmitter } from './run/emitter.ts'
import { deliver, failOnError, requiresApproval, resultOf } from './run/finish.ts'
import { closeRun, openRun } from './run/open.ts'
import { converse, writePrompt } from './run/steps.ts'
import type { ApplyOptions, RunOptions, RunResult } from './run/types.ts'
import type { RunError, RunState } from './state.ts'

export type { ApplyOptions, RunOptions, RunResult }
export { requiresApproval }

type ApplyResultOf<A> = A extends Agent<z.ZodType, z.ZodType, infer R> ? R : unknown

/**
 * Runs an agent: validates input (throws `AgentInputError`), drives model ↔ tool calls up to the step
 * limit, validates the output (one repair round), then waits for approval or applies. Never throws for
 * model, tool, budget, timeout or cancellation failures: they are in the result.
 */
export async function runAgent<A extends AnyAgent>(
  agent: A,
  input: AgentInput<A>,
  options: RunOptions = {},
): Promise<RunResult<AgentOutput<A>, ApplyResultOf<A>>> {
  const run = await openRun(agent, input, options)
  try {
    await run.events.emit({ type: 'run-started', tenant: run.state.tenant, input: run.input, resumed: run.resumed })
    await writePrompt(run)
    const output = await converse(run)
    return typed(output ? await deliver(run, output) : resultOf(run))
  } catch (error) {
    return typed(await failOnError(run, error))
  } finally {
    await closeRun(run)
  }
}

// The result's generic types are asserted by runAgent's signature.
const typed = <T>(result: RunResult): T => result as T

/**
 * Continues a saved run (status `running` after a crash) from its messages: pending tool calls run,
 * then the loop goes on. Same result as `runAgent`.
 */
export function resumeRun<A extends AnyAgent>(agent: A, state: RunState, options: Omit<RunOptions, 'resume'> = {}) {
  return runAgent(agent, state.input as AgentInput<A>, {
    ...options,
    runId: state.runId,
    tenant: state.tenant,
    resume: state,
  })
}

/**
 * Applies a run's output (after approval, or to retry a failed `apply`): validates the stored output
 * against the agent's schema, calls `apply`, and returns the new state (status `succeeded`). A state
 * already applied is returned unchanged, so calling it twice is safe.
 */
export async function applyRun(agent: AnyAgent, state: RunState, options: ApplyOptions = {}): Promise<RunState> {
  if (state.agent !== agent.slug) {
    throw new Error(`Run ${state.runId} belongs to agent "${state.agent}", not "${agent.slug}"`)
  }
  if (state.appliedAt) return state
  const applicable =
    state.status === 'awaiting-approval' ||
    state.status === 'succeeded' ||
    (state.status === 'failed' && state.error?.code === 'apply-failed')
  if (!applicable || state.output === undefined) {
    throw new Error(`Run ${state.runId} has no output to apply (status ${state.status})`)
  }
  const output = agent.output.parse(state.output)
  const input = agent.input.parse(state.input)
  const events = createEmitter(state, { sink: options.sink, onEvent: options.onEvent })
  const signal = options.signal ?? new AbortController().signal
  try {
    const applied = await abortable(
      Promise.resolve(
        agent.apply
          ? agent.apply(output, {
              runId: state.runId,
              tenant: state.tenant,
              input,
              signal,
              services: options.services ?? {},
            })
          : undefined,
      ),
      signal,
    )
    const next: RunState = {
      ...state,
      status: 'succeeded',
      error: undefined,
      appliedAt: new Date().toISOString(),
      applyResult: applied,
      finishedAt: new Date().toISOString(),
    }
    await events.emit({ type: 'applied', result: applied })
    return next
  } catch (error) {
    if (error instanceof AbortError) throw error
    const failed: RunState = {
      ...state,
      status: 'failed',
      error: { code: 'apply-failed', message: error instanceof Error ? error.message : String(error) },
      finishedAt: new Date().toISOString(),
    }
    await events.emit({ type: 'failed', error: failed.error as RunError, usage: state.usage })
    return failed
  } finally {
    await events.flush().catch(() => undefined)
  }
}

/** Rebuilds a run's state from its stored steps (the `messages` of `step` events, in order). */
export function stateFromSteps(
  run: Omit<RunState, 'messages'>,
  steps: ReadonlyArray<{ step: number; messages: Message[] }>,
): RunState {
  return { ...run, messages: steps.flatMap((s) => s.messages) }
}
