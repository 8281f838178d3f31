/**
 * Opening a run: check what may be resumed, validate the input, resolve the model chain, build the run's
 * state, its signal (caller's cancel + timeout) and its event emitter. Closing it releases the timer.
 */
import { randomUUID } from 'node:crypto'
import { type AgentContext, type AnyAgent, parseAgentInput } from '../agent.ts'
import { providers, type ResolvedModel, UnknownModelError } from '../providers/registry.ts'
import { emptyUsage, type RunState } from '../state.ts'
import type { AnyTool } from '../tool.ts'
import { type Budget, DEFAULT_PRICES, type PriceTable } from '../usage.ts'
import { createEmitter, isoNow, type RunEmitter } from './emitter.ts'
import type { RunOptions } from './types.ts'

/** A run in progress: what every step reads, and the state they write. */
export interface ActiveRun {
  readonly agent: AnyAgent
  readonly options: RunOptions
  /** Replaced (not mutated) when the run finishes; steps append messages and add usage. */
  state: RunState
  readonly resumed: boolean
  /** The validated input. */
  readonly input: unknown
  readonly chain: readonly ResolvedModel[]
  readonly tools: ReadonlyMap<string, AnyTool>
  readonly prices: PriceTable
  readonly budget: Budget | undefined
  readonly maxSteps: number
  /** Stream model replies as `text-delta` events. */
  readonly stream: boolean
  /** Aborted by the caller's signal or the run's timeout. */
  readonly signal: AbortSignal
  /** What `approval`, `apply` and tools receive. */
  readonly context: AgentContext
  readonly events: RunEmitter
  /** `performance.now()` when the run opened. */
  readonly startedAt: number
  /** Its `release` clears the timeout and stops listening to the caller's signal. */
  readonly lifetime: { release(): void }
}

/** A valid answer of the model. */
export interface RunOutput {
  value: unknown
  text: string
  model?: string
}

/** Distinguishes errors of the sink (persistence broken: the run cannot be trusted) from run failures. */
export class SinkFailure extends Error {}

const toSinkFailure = (error: unknown) =>
  new SinkFailure(error instanceof Error ? error.message : String(error), { cause: error })

const NO_TOOLS: ReadonlyMap<string, AnyTool> = new Map()

/** Opens a run; throws for what the caller must fix (input, resume of another agent, no usable model). */
export async function openRun(agent: AnyAgent, input: unknown, options: RunOptions): Promise<ActiveRun> {
  const resume = options.resume
  if (resume && resume.agent !== agent.slug) {
    throw new Error(`Cannot resume run ${resume.runId} of agent "${resume.agent}" with agent "${agent.slug}"`)
  }
  const parsedInput = parseAgentInput(agent, resume ? resume.input : input)
  const chain = await resolveChain(agent, options)
  const state = initialState(agent, parsedInput, options)
  const timeoutMs = options.timeoutMs ?? agent.timeoutMs
  const lifetime = new RunSignal(timeoutMs, options.signal)
  const signal = lifetime.controller.signal
  return {
    agent,
    options,
    state,
    resumed: Boolean(resume),
    input: parsedInput,
    chain,
    tools: agent.tools?.length ? new Map(agent.tools.map((tool: AnyTool) => [tool.id, tool])) : NO_TOOLS,
    prices: options.prices ?? DEFAULT_PRICES,
    budget: options.budget ?? agent.budget,
    maxSteps: options.maxSteps ?? agent.maxSteps,
    stream: options.stream ?? options.onEvent !== undefined,
    signal,
    context: { runId: state.runId, tenant: state.tenant, input: parsedInput, signal, services: options.services ?? {} },
    events: createEmitter(state, {
      sink: options.sink,
      onEvent: options.onEvent,
      timeoutMs: options.sinkTimeoutMs ?? 30_000,
      wrapError: toSinkFailure,
    }),
    startedAt: performance.now(),
    lifetime,
  }
}

/** Releases the run's timer and listener, and waits (bounded) for the sink's last writes. */
export async function closeRun(run: ActiveRun): Promise<void> {
  run.lifetime.release()
  await run.events.flush().catch(() => undefined)
}

/**
 * The model chain of the run. A fallback whose provider is not configured (no API key) is left out rather
 * than failing the run; unknown model strings still throw, and so does a chain with no usable model.
 */
async function resolveChain(agent: AnyAgent, options: RunOptions): Promise<ResolvedModel[]> {
  const registry = options.providers ?? providers
  const ids =
    options.model === undefined ? agent.models : typeof options.model === 'string' ? [options.model] : options.model
  const chain: ResolvedModel[] = []
  const setupErrors: Error[] = []
  for (const id of ids) {
    try {
      chain.push(await registry.resolve(id, options.providerOptions))
    } catch (error) {
      if (error instanceof UnknownModelError) throw error
      setupErrors.push(error as Error)
    }
  }
  if (chain.length === 0) throw setupErrors[0] ?? new Error(`Agent "${agent.slug}" has no model`)
  return chain
}

/** A fresh state, or the saved one to continue (copied, so the caller's object is left alone). */
function initialState(agent: AnyAgent, input: unknown, options: RunOptions): RunState {
  const resume = options.resume
  if (resume) {
    return {
      ...resume,
      status: 'running',
      error: undefined,
      messages: [...resume.messages],
      usage: { ...resume.usage },
    }
  }
  return {
    runId: options.runId ?? randomUUID(),
    agent: agent.slug,
    tenant: options.tenant,
    status: 'running',
    input,
    messages: [],
    steps: 0,
    repaired: false,
    usage: emptyUsage(),
    startedAt: isoNow(),
  }
}

/** The abort reason of a run's own timeout (never a caller's), so a timeout is told from a cancel. */
export class RunTimeoutError extends Error {
  override name = 'RunTimeoutError'
}

/**
 * The run's signal: aborted by the caller's signal or, with a `RunTimeoutError`, when `timeoutMs` runs out.
 * A class listening as an object (`handleEvent`), so a run creates no closures for it.
 */
class RunSignal {
  readonly controller = new AbortController()
  private readonly timer: NodeJS.Timeout

  constructor(
    timeoutMs: number,
    private readonly caller: AbortSignal | undefined,
  ) {
    this.timer = setTimeout(abortOnTimeout, timeoutMs, this.controller, timeoutMs)
    if (caller?.aborted) this.handleEvent()
    else caller?.addEventListener('abort', this, { once: true })
  }

  /** The caller's signal aborted. */
  handleEvent(): void {
    this.controller.abort(this.caller?.reason ?? new Error('Run cancelled'))
  }

  release(): void {
    clearTimeout(this.timer)
    this.caller?.removeEventListener('abort', this)
  }
}

function abortOnTimeout(controller: AbortController, timeoutMs: number): void {
  controller.abort(new RunTimeoutError(`Run timed out after ${timeoutMs} ms`))
}
