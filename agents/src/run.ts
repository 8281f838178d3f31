import { randomUUID } from 'node:crypto'
import { z } from 'zod'
import { AbortError, abortable } from './abort.ts'
import {
  type Agent,
  type AgentContext,
  type AgentInput,
  type AgentOutput,
  type AgentServices,
  type AnyAgent,
  parseAgentInput,
} from './agent.ts'
import type { EventSink, RunEvent } from './events.ts'
import { type AttemptRecord, FallbackError, generateWithFallback, type RetryPolicy } from './fallback.ts'
import {
  type ProviderOptionsMap,
  type ProviderRegistry,
  providers,
  type ResolvedModel,
  UnknownModelError,
} from './providers/registry.ts'
import type { Message, ModelRequest, ToolCall } from './providers/types.ts'
import { emptyUsage, type RunError, type RunState, type RunStatus, type RunUsage } from './state.ts'
import { type AnyTool, executeTool, toJsonSchema, toolSpec } from './tool.ts'
import {
  type Budget,
  type BudgetGuard,
  type BudgetScope,
  costOf,
  DEFAULT_PRICES,
  exceeds,
  type PriceTable,
} from './usage.ts'

/** Options of `runAgent`. Everything is optional. */
export interface RunOptions {
  /** Id of the run (the queue passes its run row id). @default a random UUID */
  runId?: string
  tenant?: string
  /** Cancels the run: status `cancelled`. */
  signal?: AbortSignal
  /** Overrides the agent's `timeoutMs`; on expiry the run fails with code `timeout`. */
  timeoutMs?: number
  /** Overrides the agent's `maxSteps`. */
  maxSteps?: number
  /** Overrides the agent's model or chain (e.g. per-tenant settings). */
  model?: string | readonly string[]
  /** Receives every event; awaited in order (not for text deltas, which are queued). Errors reject the run. */
  sink?: EventSink
  /** Bound of one sink write; a slower sink fails the run like a failing one. @default 30000 */
  sinkTimeoutMs?: number
  /** Synchronous listener of every event, text deltas included; for live UIs. */
  onEvent?: (event: RunEvent) => void
  /** Stream model replies as `text-delta` events. @default true when `onEvent` is set */
  stream?: boolean
  /** @default the process-wide `providers` registry */
  providers?: ProviderRegistry
  /** Per-provider options (API keys per tenant, base URLs). */
  providerOptions?: ProviderOptionsMap
  retry?: Partial<RetryPolicy>
  /** @default DEFAULT_PRICES */
  prices?: PriceTable
  /** Per-run budget; replaces the agent's. */
  budget?: Budget
  /** Scope budgets (per tenant …) checked before each model call. */
  budgetGuards?: readonly BudgetGuard[]
  /** Call `apply` when no approval is needed. @default true */
  autoApply?: boolean
  /** Continue a run from saved state instead of starting over (input is taken from the state). */
  resume?: RunState
  /** Host services handed to tools, `approval` and `apply` (e.g. `{ payload }`). @default {} */
  services?: AgentServices
}

/** The outcome of `runAgent`. */
export interface RunResult<O = unknown, R = unknown> {
  runId: string
  status: Exclude<RunStatus, 'running'>
  /** Validated output (also set when awaiting approval, and when `apply` failed). */
  output?: O
  /** Final assistant text. */
  text?: string
  usage: RunUsage
  /** Model steps taken. */
  steps: number
  error?: RunError
  applied: boolean
  applyResult?: R
  /** The run as plain data; store it to resume or apply later. */
  state: RunState
}

/** Options of `applyRun`. */
export interface ApplyOptions {
  /** Host services handed to `apply`. @default {} */
  services?: AgentServices
  sink?: EventSink
  onEvent?: (event: RunEvent) => void
  signal?: AbortSignal
}

type EmitFn = (event: DistributiveOmit<RunEvent, 'runId' | 'agent' | 'at'>) => Promise<void>
type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never

function createEmitter(state: RunState, sink?: EventSink, onEvent?: (event: RunEvent) => void) {
  let chain: Promise<void> = Promise.resolve()
  const emit: EmitFn = (partial) => {
    const event = { ...partial, runId: state.runId, agent: state.agent, at: new Date().toISOString() } as RunEvent
    if (onEvent) {
      try {
        onEvent(event)
      } catch {
        // a listener must not break the run
      }
    }
    if (sink) chain = chain.then(() => sink.emit(event))
    // text deltas are queued so streaming is not slowed down by the sink; everything else is awaited
    return event.type === 'text-delta' ? Promise.resolve() : chain
  }
  return { emit, flush: () => chain }
}

/** Distinguishes errors of the sink (persistence broken: the run cannot be trusted) from run failures. */
class SinkFailure extends Error {}

function issuesOf(error: z.ZodError): RunError['issues'] {
  return error.issues.map((issue) => ({
    path: issue.path.length ? issue.path.join('.') : '(root)',
    message: issue.message,
  }))
}

function stripFences(text: string): string {
  const fenced = /^\s*```(?:json)?\s*([\s\S]*?)\s*```\s*$/.exec(text)
  return fenced?.[1] ?? text.trim()
}

function parseOutput(
  agent: AnyAgent,
  text: string,
): { ok: true; value: unknown } | { ok: false; issues: RunError['issues'] } {
  if (agent.output instanceof z.ZodString) {
    const checked = agent.output.safeParse(text)
    return checked.success ? { ok: true, value: checked.data } : { ok: false, issues: issuesOf(checked.error) }
  }
  let json: unknown
  try {
    json = JSON.parse(stripFences(text))
  } catch {
    return { ok: false, issues: [{ path: '(root)', message: 'Response is not valid JSON' }] }
  }
  const checked = agent.output.safeParse(json)
  return checked.success ? { ok: true, value: checked.data } : { ok: false, issues: issuesOf(checked.error) }
}

function addUsage(usage: RunUsage, delta: Partial<RunUsage>): RunUsage {
  return {
    inputTokens: usage.inputTokens + (delta.inputTokens ?? 0),
    outputTokens: usage.outputTokens + (delta.outputTokens ?? 0),
    cachedTokens: usage.cachedTokens + (delta.cachedTokens ?? 0),
    costUsd: usage.costUsd + (delta.costUsd ?? 0),
    modelCalls: usage.modelCalls + (delta.modelCalls ?? 0),
    toolCalls: usage.toolCalls + (delta.toolCalls ?? 0),
  }
}

/** Tool calls of the last assistant message that have no result yet (after a crash mid-step). */
function pendingToolCalls(messages: readonly Message[]): ToolCall[] {
  for (let i = messages.length - 1; i >= 0; i--) {
    const message = messages[i] as Message
    if (message.role !== 'assistant') continue
    if (!message.toolCalls?.length) return []
    const done = new Set(messages.slice(i + 1).flatMap((m) => (m.role === 'tool' ? [m.toolCallId] : [])))
    return message.toolCalls.filter((call) => !done.has(call.id))
  }
  return []
}

function repairMessage(issues: NonNullable<RunError['issues']>): string {
  const lines = issues.map((issue) => `- ${issue.path}: ${issue.message}`).join('\n')
  return `Your answer did not match the required output schema:\n${lines}\nReply again with only the corrected JSON.`
}

/** Whether this output waits for a human before `apply`. */
export async function requiresApproval(agent: AnyAgent, output: unknown, context: AgentContext): Promise<boolean> {
  if (typeof agent.approval === 'function') return Boolean(await agent.approval(output, context))
  return agent.approval === true
}

/**
 * Runs an agent: validates input (throws `AgentInputError`), drives model ↔ tool calls up to the step
 * limit, validates the output (one repair round), then waits for approval or applies. Never throws for
 * model, tool, budget, timeout or cancellation failures: they are in the result.
 */
export async function runAgent<A extends AnyAgent>(
  agent: A,
  input: AgentInput<A>,
  options: RunOptions = {},
): Promise<RunResult<AgentOutput<A>, A extends Agent<z.ZodType, z.ZodType, infer R> ? R : unknown>> {
  const resume = options.resume
  if (resume && resume.agent !== agent.slug) {
    throw new Error(`Cannot resume run ${resume.runId} of agent "${resume.agent}" with agent "${agent.slug}"`)
  }
  const parsedInput = parseAgentInput(agent, resume ? resume.input : input)
  const registry = options.providers ?? providers
  const modelIds =
    options.model === undefined ? agent.models : typeof options.model === 'string' ? [options.model] : options.model
  const chain: ResolvedModel[] = []
  // A fallback whose provider is not configured (no API key) is left out rather than failing the run;
  // unknown model strings still throw, and so does a chain with no usable model.
  const setupErrors: Error[] = []
  for (const id of modelIds) {
    try {
      chain.push(await registry.resolve(id, options.providerOptions))
    } catch (error) {
      if (error instanceof UnknownModelError) throw error
      setupErrors.push(error as Error)
    }
  }
  if (chain.length === 0) throw setupErrors[0] ?? new Error(`Agent "${agent.slug}" has no model`)

  const prices = options.prices ?? DEFAULT_PRICES
  const budget = options.budget ?? agent.budget
  const maxSteps = options.maxSteps ?? agent.maxSteps
  const timeoutMs = options.timeoutMs ?? agent.timeoutMs
  const stream = options.stream ?? options.onEvent !== undefined
  const tools = new Map<string, AnyTool>((agent.tools ?? []).map((tool: AnyTool) => [tool.id, tool]))
  const startedAt = performance.now()

  let state: RunState = resume
    ? { ...resume, status: 'running', error: undefined, messages: [...resume.messages], usage: { ...resume.usage } }
    : {
        runId: options.runId ?? randomUUID(),
        agent: agent.slug,
        tenant: options.tenant,
        status: 'running',
        input: parsedInput,
        messages: [],
        steps: 0,
        repaired: false,
        usage: emptyUsage(),
        startedAt: new Date().toISOString(),
      }
  const { emit: rawEmit, flush } = createEmitter(state, options.sink, options.onEvent)
  const sinkTimeoutMs = options.sinkTimeoutMs ?? 30_000
  const emit: EmitFn = async (event) => {
    try {
      await withTimeout(rawEmit(event), sinkTimeoutMs, 'Event sink')
    } catch (error) {
      throw new SinkFailure(error instanceof Error ? error.message : String(error), { cause: error })
    }
  }

  const controller = new AbortController()
  const timeoutReason = new Error(`Run timed out after ${timeoutMs} ms`)
  const timer = setTimeout(() => controller.abort(timeoutReason), timeoutMs)
  const onCallerAbort = () => controller.abort(options.signal?.reason ?? new Error('Run cancelled'))
  if (options.signal?.aborted) onCallerAbort()
  else options.signal?.addEventListener('abort', onCallerAbort, { once: true })
  const signal = controller.signal
  const services = options.services ?? {}
  const context: AgentContext = { runId: state.runId, tenant: state.tenant, input: parsedInput, signal, services }

  const finish = async (status: RunResult['status'], patch: Partial<RunState>) => {
    state = { ...state, ...patch, status, finishedAt: new Date().toISOString() }
    if (status === 'failed' && state.error) await emit({ type: 'failed', error: state.error, usage: state.usage })
    if (status === 'cancelled') {
      await emit({ type: 'cancelled', reason: state.error?.message ?? 'cancelled', usage: state.usage })
    }
    await emit({
      type: 'run-finished',
      status,
      steps: state.steps,
      usage: state.usage,
      durationMs: performance.now() - startedAt,
    })
  }

  try {
    await emit({ type: 'run-started', tenant: state.tenant, input: parsedInput, resumed: Boolean(resume) })
    if (!resume || state.messages.length === 0) {
      const system =
        typeof agent.instructions === 'function'
          ? await abortable(Promise.resolve(agent.instructions(parsedInput)), signal)
          : agent.instructions
      const prompt = agent.prompt
        ? await abortable(Promise.resolve(agent.prompt(parsedInput)), signal)
        : JSON.stringify(parsedInput, null, 2)
      state.messages = [
        { role: 'system', content: system },
        { role: 'user', content: prompt },
      ]
      await emit({ type: 'step', step: 0, kind: 'prompt', messages: [...state.messages], usage: state.usage })
    }
    const request: Omit<ModelRequest, 'model' | 'signal'> = {
      messages: state.messages,
      tools: tools.size ? [...tools.values()].map(toolSpec) : undefined,
      output:
        agent.output instanceof z.ZodString
          ? undefined
          : { name: agent.slug.replace(/-/g, '_'), schema: toJsonSchema(agent.output, 'output') },
      temperature: agent.temperature,
      maxOutputTokens: agent.maxOutputTokens,
    }

    let output: { value: unknown; text: string; model?: string } | undefined
    while (!output) {
      const pending = pendingToolCalls(state.messages)
      if (pending.length) {
        const step = state.steps
        const results = await Promise.all(
          pending.map(async (call): Promise<Message> => {
            const tool = tools.get(call.name)
            const started = performance.now()
            let parsedArgs: unknown = call.arguments
            try {
              parsedArgs = JSON.parse(call.arguments)
            } catch {
              // keep the raw text in the event
            }
            const result = tool
              ? await abortable(
                  executeTool(tool, call.arguments, {
                    runId: state.runId,
                    agent: agent.slug,
                    tenant: state.tenant,
                    signal,
                    step,
                    toolCallId: call.id,
                    services,
                  }),
                  signal,
                )
              : {
                  isError: true as const,
                  message: `Unknown tool "${call.name}". Available tools: ${[...tools.keys()].join(', ') || '(none)'}`,
                }
            await emit({
              type: 'tool-call',
              step,
              toolCallId: call.id,
              tool: call.name,
              input: parsedArgs,
              output: result.isError ? undefined : result.output,
              isError: result.isError,
              message: result.isError ? result.message : undefined,
              latencyMs: performance.now() - started,
            })
            return {
              role: 'tool',
              toolCallId: call.id,
              toolName: call.name,
              content: toolContent(
                result.isError ? { isError: true, message: result.message } : (result.output ?? null),
              ),
              ...(result.isError ? { isError: true } : {}),
            }
          }),
        )
        state.messages.push(...results)
        state.usage = addUsage(state.usage, { toolCalls: results.length })
        await emit({ type: 'step', step, kind: 'tools', messages: results, usage: state.usage })
        continue
      }

      const last = state.messages.at(-1)
      if (last?.role === 'assistant') {
        // a final answer (possibly restored from saved state): validate it
        const parsed = parseOutput(agent, last.content)
        if (parsed.ok) {
          output = { value: parsed.value, text: last.content, model: state.outputModel }
          break
        }
        if (state.repaired) {
          await finish('failed', {
            error: {
              code: 'invalid-output',
              message: `Output of agent "${agent.slug}" is invalid after one repair round`,
              issues: parsed.issues,
            },
          })
          return result()
        }
        const repair: Message = { role: 'user', content: repairMessage(parsed.issues ?? []) }
        state.messages.push(repair)
        state.repaired = true
        await emit({ type: 'step', step: state.steps, kind: 'repair', messages: [repair], usage: state.usage })
        continue
      }

      if (state.steps >= maxSteps) {
        await finish('failed', {
          error: { code: 'max-steps', message: `Agent "${agent.slug}" reached its step limit (${maxSteps})` },
        })
        return result()
      }

      const scope = (model: string): BudgetScope => ({
        runId: state.runId,
        agent: agent.slug,
        tenant: state.tenant,
        model,
        usage: state.usage,
      })
      const runBudgetReason = budget ? exceeds(budget, state.usage) : undefined
      if (runBudgetReason) {
        await finish('failed', { error: { code: 'budget-exceeded', message: `Run budget: ${runBudgetReason}` } })
        return result()
      }
      for (const guard of options.budgetGuards ?? []) {
        const decision = await abortable(Promise.resolve(guard.check(scope((chain[0] as ResolvedModel).id))), signal)
        if (!decision.ok) {
          await finish('failed', { error: { code: 'budget-exceeded', message: decision.reason } })
          return result()
        }
      }

      state.steps += 1
      const step = state.steps
      let attemptsEnded = 0
      const onAttempt = async (attempt: AttemptRecord) => {
        attemptsEnded += 1
        const usage = attempt.response?.usage ?? { inputTokens: 0, outputTokens: 0, cachedTokens: 0 }
        const costUsd = costOf(attempt.model.id, usage, prices)
        state.usage = addUsage(state.usage, { ...usage, costUsd, modelCalls: attempt.response ? 1 : 0 })
        if (attempt.response) {
          for (const guard of options.budgetGuards ?? [])
            await abortable(Promise.resolve(guard.record?.(scope(attempt.model.id), { usage, costUsd })), signal)
        }
        await emit({
          type: 'model-call',
          step,
          model: attempt.model.id,
          responseModel: attempt.response?.model,
          attempt: attempt.attempt,
          chainIndex: attempt.chainIndex,
          ...usage,
          latencyMs: attempt.latencyMs,
          costUsd,
          finishReason: attempt.response?.finishReason,
          error: attempt.error && {
            message: attempt.error.message,
            kind: attempt.error.kind,
            status: attempt.error.status,
            retryable: attempt.error.retryable,
          },
        })
      }
      const { response } = await generateWithFallback(
        chain,
        {
          ...request,
          messages: [...state.messages],
          onTextDelta: stream
            ? (delta) => void rawEmit({ type: 'text-delta', step, attempt: attemptsEnded + 1, delta })
            : undefined,
        },
        { signal, retry: options.retry, onAttempt },
      )
      const assistant: Message = {
        role: 'assistant',
        content: response.text,
        ...(response.toolCalls.length ? { toolCalls: response.toolCalls } : {}),
      }
      state.messages.push(assistant)
      if (!response.toolCalls.length) state.outputModel = response.model
      await emit({ type: 'step', step, kind: 'model', messages: [assistant], usage: state.usage })
    }

    // a valid output
    state.output = output.value
    await emit({ type: 'output', output: output.value, model: output.model, usage: state.usage })
    if (await abortable(requiresApproval(agent, output.value, context), signal)) {
      await emit({ type: 'awaiting-approval', output: output.value })
      await finish('awaiting-approval', {})
      return result(output.text)
    }
    if (agent.apply && options.autoApply !== false) {
      try {
        const applied = await abortable(Promise.resolve(agent.apply(output.value, context)), signal)
        state.appliedAt = new Date().toISOString()
        state.applyResult = applied
        await emit({ type: 'applied', result: applied })
      } catch (error) {
        if (error instanceof AbortError || error instanceof SinkFailure) throw error
        await finish('failed', {
          error: { code: 'apply-failed', message: error instanceof Error ? error.message : String(error) },
        })
        return result(output.text)
      }
    }
    await finish('succeeded', {})
    return result(output.text)
  } catch (error) {
    if (error instanceof SinkFailure) throw error.cause ?? error
    if (error instanceof AbortError || signal.aborted) {
      const timedOut = signal.reason === timeoutReason
      await finish(timedOut ? 'failed' : 'cancelled', {
        error: {
          code: timedOut ? 'timeout' : 'cancelled',
          message: timedOut ? timeoutReason.message : reasonText(signal.reason),
        },
      })
      return result()
    }
    if (error instanceof FallbackError) {
      await finish('failed', {
        error: {
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
        },
      })
      return result()
    }
    await finish('failed', {
      error: { code: 'internal', message: error instanceof Error ? error.message : String(error) },
    })
    return result()
  } finally {
    clearTimeout(timer)
    options.signal?.removeEventListener('abort', onCallerAbort)
    await withTimeout(flush(), sinkTimeoutMs, 'Event sink').catch(() => undefined)
  }

  // biome-ignore lint/suspicious/noExplicitAny: the result's generic types are asserted by the signature
  function result(text?: string): any {
    return {
      runId: state.runId,
      status: state.status,
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
}

/** What the model reads for a tool result: strings as they are, anything else as JSON. */
function toolContent(result: unknown): string {
  return typeof result === 'string' ? result : JSON.stringify(result ?? null)
}

/** Rejects when the promise takes longer than `ms` (a stuck sink must not hang a run). */
function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not answer within ${ms} ms`)), ms)
  })
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer))
}

function reasonText(reason: unknown): string {
  if (reason instanceof Error) return reason.message
  return typeof reason === 'string' ? reason : 'Run cancelled'
}

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
  const { emit, flush } = createEmitter(state, options.sink, options.onEvent)
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
    await emit({ type: 'applied', result: applied })
    return next
  } catch (error) {
    if (error instanceof AbortError) throw error
    const failed: RunState = {
      ...state,
      status: 'failed',
      error: { code: 'apply-failed', message: error instanceof Error ? error.message : String(error) },
      finishedAt: new Date().toISOString(),
    }
    await emit({ type: 'failed', error: failed.error as RunError, usage: state.usage })
    return failed
  } finally {
    await flush().catch(() => undefined)
  }
}

/** Rebuilds a run's state from its stored steps (the `messages` of `step` events, in order). */
export function stateFromSteps(
  run: Omit<RunState, 'messages'>,
  steps: ReadonlyArray<{ step: number; messages: Message[] }>,
): RunState {
  return { ...run, messages: steps.flatMap((s) => s.messages) }
}
