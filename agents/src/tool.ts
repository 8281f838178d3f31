import { z } from 'zod'
import type { JsonSchema, ToolSpec } from './providers/types.ts'
import type { AgentServices } from './services.ts'

/** What a tool's `execute` receives besides its input. */
export interface ToolContext {
  runId: string
  /** Slug of the agent running the tool. */
  agent: string
  /** Tenant the run belongs to, when any. */
  tenant?: string
  /** Aborted when the run is cancelled or times out; pass it to fetch and friends. */
  signal: AbortSignal
  /** Model step (1-based) that requested this call. */
  step: number
  /** The model's id for this call. */
  toolCallId: string
  /** Host services (`RunOptions.services`), e.g. the Payload Local API. */
  services: AgentServices
  /**
   * The client of the run's tenant's connection to connector `id`, typed by the caller
   * (`ctx.connection<ConnectorClient<'smtp'>>('smtp')`); absent when the host offers no connections.
   * A connection that is missing or needs reconnecting rejects with a message the model can relay.
   */
  connection?: <T = unknown>(id: string) => Promise<T>
}

/** A failure the model can act on: returned to the model as data, never thrown. */
export interface ToolError {
  isError: true
  message: string
}

// biome-ignore lint/suspicious/noExplicitAny: tool collections hold tools of any schema
export type AnyTool = Tool<any, any>

/** A tool: a typed function the model may call. Build it with `defineTool`. */
export interface Tool<I extends z.ZodType = z.ZodType, O extends z.ZodType = z.ZodType> {
  readonly kind: 'tool'
  readonly id: string
  readonly description: string
  readonly input: I
  readonly output?: O
  execute(input: z.output<I>, context: ToolContext): Promise<z.input<O> | ToolError> | z.input<O> | ToolError
}

/** Options of `defineTool`. */
export interface ToolDefinition<I extends z.ZodType, O extends z.ZodType> {
  /** Kebab-case id; it is also the name the model calls (`[a-zA-Z0-9_-]{1,64}`). */
  id: string
  /** What the tool does and when to use it; the model reads it. */
  description: string
  /** Input schema; every field should carry `.describe()`. */
  input: I
  /** Output schema; results are validated against it before the model sees them. */
  output?: O
  execute(input: z.output<I>, context: ToolContext): Promise<z.input<O> | ToolError> | z.input<O> | ToolError
}

const TOOL_ID = /^[a-zA-Z0-9_-]{1,64}$/

/** Defines a tool from zod schemas; `execute` gets the parsed, typed input. */
export function defineTool<I extends z.ZodType, O extends z.ZodType = z.ZodUnknown>(
  definition: ToolDefinition<I, O>,
): Tool<I, O> {
  if (!TOOL_ID.test(definition.id)) {
    throw new Error(`Tool id "${definition.id}" must match ${TOOL_ID} (it is the name the model calls)`)
  }
  return Object.freeze({ kind: 'tool' as const, ...definition })
}

/** The outcome of one tool call, as recorded and as sent back to the model. */
export type ToolResult = { isError: false; output: unknown } | ToolError

/** True when a value is a `{ isError: true, message }` tool failure. */
export function isToolError(value: unknown): value is ToolError {
  return (
    typeof value === 'object' &&
    value !== null &&
    (value as { isError?: unknown }).isError === true &&
    typeof (value as { message?: unknown }).message === 'string'
  )
}

/** Formats zod issues as one readable line per issue (`path: message`). */
export function formatIssues(issues: readonly z.core.$ZodIssue[]): string {
  return issues.map((issue) => `${issue.path.length ? issue.path.join('.') : '(root)'}: ${issue.message}`).join('\n')
}

/**
 * Runs a tool on the model's raw JSON arguments: parses and validates them, executes, validates the
 * output. Every failure becomes a `ToolError` so the model can correct itself.
 */
export async function executeTool(tool: AnyTool, rawArguments: string, context: ToolContext): Promise<ToolResult> {
  let args: unknown
  try {
    args = rawArguments.trim() === '' ? {} : JSON.parse(rawArguments)
  } catch {
    return { isError: true, message: `Invalid arguments for tool "${tool.id}": not valid JSON` }
  }
  const parsed = tool.input.safeParse(args)
  if (!parsed.success) {
    return { isError: true, message: `Invalid arguments for tool "${tool.id}":\n${formatIssues(parsed.error.issues)}` }
  }
  let result: unknown
  try {
    result = await tool.execute(parsed.data, context)
  } catch (error) {
    if (context.signal.aborted) throw error
    return { isError: true, message: error instanceof Error ? error.message : String(error) }
  }
  if (isToolError(result)) return { isError: true, message: result.message }
  if (tool.output) {
    const checked = tool.output.safeParse(result)
    if (!checked.success) {
      return {
        isError: true,
        message: `Tool "${tool.id}" returned an invalid result:\n${formatIssues(checked.error.issues)}`,
      }
    }
    return { isError: false, output: checked.data }
  }
  return { isError: false, output: result }
}

// Schemas are immutable once defined, and converting them costs about a fifth of a run's own CPU:
// convert each once.
const jsonSchemas = { input: new WeakMap<z.ZodType, JsonSchema>(), output: new WeakMap<z.ZodType, JsonSchema>() }

/** JSON Schema of a zod schema, for models and for listings (computed once per schema; do not mutate it). */
export function toJsonSchema(schema: z.ZodType, io: 'input' | 'output' = 'input'): JsonSchema {
  const cached = jsonSchemas[io].get(schema)
  if (cached) return cached
  const json = z.toJSONSchema(schema, { io, unrepresentable: 'any' }) as JsonSchema
  const { $schema: _ignored, ...rest } = json
  jsonSchemas[io].set(schema, rest)
  return rest
}

/** The tool as the model sees it. */
export function toolSpec(tool: AnyTool): ToolSpec {
  return { name: tool.id, description: tool.description, parameters: toJsonSchema(tool.input, 'input') }
}
