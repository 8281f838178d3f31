/** A JSON Schema object, as produced by `z.toJSONSchema`. */
export type JsonSchema = Record<string, unknown>

/** A tool call requested by the model. `arguments` is the raw JSON text the model produced. */
export interface ToolCall {
  id: string
  name: string
  arguments: string
}

/** A provider-neutral chat message. Plain data, so a run's messages can be stored as rows and resumed. */
export type Message =
  | { role: 'system'; content: string }
  | { role: 'user'; content: string }
  | { role: 'assistant'; content: string; toolCalls?: ToolCall[] }
  | { role: 'tool'; toolCallId: string; toolName: string; content: string; isError?: boolean }

/** A tool as the model sees it. */
export interface ToolSpec {
  name: string
  description: string
  parameters: JsonSchema
}

/** Token counts of one model call. `cachedTokens` is the part of `inputTokens` served from the prompt cache. */
export interface TokenUsage {
  inputTokens: number
  outputTokens: number
  cachedTokens: number
}

export type FinishReason = 'stop' | 'tool-calls' | 'length' | 'content-filter' | 'other'

/** One request to a model. */
export interface ModelRequest {
  /** Model id within the provider, e.g. `gpt-4.1-mini`. */
  model: string
  messages: Message[]
  tools?: ToolSpec[]
  /** Ask for a JSON object matching this schema (structured output). */
  output?: { name: string; schema: JsonSchema }
  /** When set, the provider streams and calls this with each text delta. */
  onTextDelta?: (delta: string) => void
  signal?: AbortSignal
  maxOutputTokens?: number
  temperature?: number
}

/** What a model answered. */
export interface ModelResponse {
  text: string
  toolCalls: ToolCall[]
  usage: TokenUsage
  finishReason: FinishReason
  /** The model id the server reports (e.g. `offline-mock` for the mock LLM's default replies). */
  model: string
}

/** One interface for every model backend. Adapters map their SDK errors to `ProviderError`. */
export interface ModelProvider {
  /** Provider id, the part before `:` in a model string. */
  readonly id: string
  generate(request: ModelRequest): Promise<ModelResponse>
}

/** Per-call provider options (API keys per tenant, base URLs, timeouts). */
export interface ProviderOptions {
  apiKey?: string
  baseURL?: string
  /** Per-request timeout in ms. */
  timeoutMs?: number
  headers?: Record<string, string>
}

export type ProviderErrorKind =
  | 'rate-limit'
  | 'server'
  | 'timeout'
  | 'connection'
  | 'invalid-request'
  | 'auth'
  | 'malformed-response'
  | 'aborted'
  | 'unknown'

const RETRYABLE: ReadonlySet<ProviderErrorKind> = new Set([
  'rate-limit',
  'server',
  'timeout',
  'connection',
  'malformed-response',
])

/** A failed model call, classified so fallback chains know whether retrying can help. */
export class ProviderError extends Error {
  override name = 'ProviderError'
  readonly kind: ProviderErrorKind
  readonly status?: number
  /** Server-requested wait before retrying, from `retry-after` / `retry-after-ms`. */
  readonly retryAfterMs?: number
  readonly provider: string
  readonly model: string

  constructor(init: {
    message: string
    kind: ProviderErrorKind
    provider: string
    model: string
    status?: number
    retryAfterMs?: number
    cause?: unknown
  }) {
    super(init.message, { cause: init.cause })
    this.kind = init.kind
    this.status = init.status
    this.retryAfterMs = init.retryAfterMs
    this.provider = init.provider
    this.model = init.model
  }

  get retryable(): boolean {
    return RETRYABLE.has(this.kind)
  }
}

/** Classifies an HTTP status into a `ProviderErrorKind`. */
export function kindFromStatus(status: number | undefined): ProviderErrorKind {
  if (status === undefined) return 'connection'
  if (status === 429) return 'rate-limit'
  if (status === 408) return 'timeout'
  if (status === 401 || status === 403) return 'auth'
  if (status >= 500) return 'server'
  if (status >= 400) return 'invalid-request'
  return 'unknown'
}

/** Reads `retry-after-ms` / `retry-after` (seconds or HTTP date) from response headers. */
export function parseRetryAfter(headers: { get(name: string): string | null } | undefined | null): number | undefined {
  if (!headers) return undefined
  const ms = headers.get('retry-after-ms')
  if (ms && Number.isFinite(Number(ms))) return Math.max(0, Number(ms))
  const value = headers.get('retry-after')
  if (!value) return undefined
  const seconds = Number(value)
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000)
  const date = Date.parse(value)
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now())
}

/** Model id the offline mock LLM reports: output carrying it did not come from a real model. */
export const OFFLINE_MODEL = 'offline-mock'
