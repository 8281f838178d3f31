import type { z } from 'zod'
import type { AgentServices } from './services.ts'
import type { AnyTool } from './tool.ts'
import { formatIssues } from './tool.ts'
import type { Budget } from './usage.ts'

export type { AgentServices } from './services.ts'

/** What `approval` and `apply` receive besides the output. */
export interface AgentContext<I = unknown> {
  runId: string
  tenant?: string
  input: I
  /** Aborted when the caller gives up (e.g. worker shutdown). */
  signal: AbortSignal
  /** Host services (`RunOptions.services`). */
  services: AgentServices
}

/**
 * Whether an output waits for a human before `apply`:
 * `true` always waits, `false` never does, a function decides per output (e.g. only large price changes).
 */
export type Approval<I, O> = boolean | ((output: O, context: AgentContext<I>) => boolean | Promise<boolean>)

/** Options of `defineAgent`. */
export interface AgentDefinition<I extends z.ZodType, O extends z.ZodType, R = unknown> {
  /** Kebab-case id, unique in a registry; the queue is `agent.<slug>`. */
  slug: string
  description: string
  /** Input schema; invalid input is refused before a run starts. */
  input: I
  /** Output schema; the model's final answer must satisfy it (one repair round). A `z.string()` takes plain text. */
  output: O
  /** System prompt, or a function of the input. */
  instructions: string | ((input: z.output<I>) => string | Promise<string>)
  /** User message built from the input. @default the input as JSON */
  prompt?: (input: z.output<I>) => string | Promise<string>
  tools?: readonly AnyTool[]
  /** `provider:model`, or a fallback chain tried in order. */
  model: string | readonly string[]
  /** @default false (apply runs as soon as the output is valid) */
  approval?: Approval<z.output<I>, z.output<O>>
  /** The side effect. Must be idempotent: it may run again after a crash. */
  apply?: (output: z.output<O>, context: AgentContext<z.output<I>>) => R | Promise<R>
  /** Model steps allowed (each model call, repair included). @default 10 */
  maxSteps?: number
  /** Whole-run timeout in ms. @default 120000 */
  timeoutMs?: number
  /** Per-run budget. */
  budget?: Budget
  temperature?: number
  maxOutputTokens?: number
}

/** A defined agent. The phantom types carry input/output/apply types to `runAgent` and `applyRun`. */
export interface Agent<I extends z.ZodType = z.ZodType, O extends z.ZodType = z.ZodType, R = unknown>
  extends Readonly<AgentDefinition<I, O, R>> {
  readonly kind: 'agent'
  readonly models: readonly string[]
  readonly maxSteps: number
  readonly timeoutMs: number
}

// biome-ignore lint/suspicious/noExplicitAny: registries hold agents of any schema
export type AnyAgent = Agent<any, any, any>
export type AgentInput<A extends AnyAgent> = A extends Agent<infer I, z.ZodType, unknown> ? z.output<I> : never
export type AgentOutput<A extends AnyAgent> = A extends Agent<z.ZodType, infer O, unknown> ? z.output<O> : never

export const DEFAULT_MAX_STEPS = 10
export const DEFAULT_TIMEOUT_MS = 120_000
const SLUG = /^[a-z0-9]+(?:-[a-z0-9]+)*$/

/** Defines an agent; types flow from the zod schemas into `runAgent`, `approval` and `apply`. */
export function defineAgent<I extends z.ZodType, O extends z.ZodType, R = unknown>(
  definition: AgentDefinition<I, O, R>,
): Agent<I, O, R> {
  if (!SLUG.test(definition.slug)) throw new Error(`Agent slug "${definition.slug}" must be kebab-case`)
  const models = typeof definition.model === 'string' ? [definition.model] : [...definition.model]
  if (models.length === 0) throw new Error(`Agent "${definition.slug}" needs at least one model`)
  const ids = new Set<string>()
  for (const tool of definition.tools ?? []) {
    if (ids.has(tool.id)) throw new Error(`Agent "${definition.slug}" has two tools with id "${tool.id}"`)
    ids.add(tool.id)
  }
  return Object.freeze({
    ...definition,
    kind: 'agent' as const,
    models: Object.freeze(models),
    maxSteps: definition.maxSteps ?? DEFAULT_MAX_STEPS,
    timeoutMs: definition.timeoutMs ?? DEFAULT_TIMEOUT_MS,
  })
}

/** Input refused by an agent's schema; `issues` are zod's. */
export class AgentInputError extends Error {
  override name = 'AgentInputError'
  readonly agent: string
  readonly issues: z.core.$ZodIssue[]
  constructor(agent: string, issues: z.core.$ZodIssue[]) {
    super(`Invalid input for agent "${agent}":\n${formatIssues(issues)}`)
    this.agent = agent
    this.issues = issues
  }
}

/** Validates input against the agent's schema; throws `AgentInputError` with the zod issues. Use before enqueueing. */
export function parseAgentInput<A extends AnyAgent>(agent: A, input: unknown): AgentInput<A> {
  const parsed = agent.input.safeParse(input)
  if (!parsed.success) throw new AgentInputError(agent.slug, parsed.error.issues)
  return parsed.data as AgentInput<A>
}
