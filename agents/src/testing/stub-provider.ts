import type { ModelProvider, ModelRequest, ModelResponse } from '../providers/types.ts'
import { exampleFromSchema } from './json-example.ts'

/** A reply of the stub provider: a response, or a function of the request. */
export type StubReply = Partial<ModelResponse> | ((request: ModelRequest, call: number) => Partial<ModelResponse>)

/** Options of `stubProvider`. */
export interface StubProviderOptions {
  /** Provider id to register it under. @default 'stub' */
  id?: string
  /** Replies used in order; after the last, the default reply. */
  replies?: StubReply[]
  /** Artificial latency in ms (0 = answer in the same tick chain). @default 0 */
  latencyMs?: number
}

/**
 * An in-process provider that answers instantly: the requested structured output (a minimal valid
 * instance of the schema) or an offline text. For benchmarks and loop tests without HTTP.
 */
export function stubProvider(options: StubProviderOptions = {}): ModelProvider & { calls: ModelRequest[] } {
  const calls: ModelRequest[] = []
  return {
    id: options.id ?? 'stub',
    calls,
    async generate(request) {
      calls.push(request)
      if (options.latencyMs) await new Promise((resolve) => setTimeout(resolve, options.latencyMs))
      const reply = options.replies?.[calls.length - 1]
      const partial = typeof reply === 'function' ? reply(request, calls.length) : reply
      const text =
        partial?.text ??
        (partial?.toolCalls?.length ? '' : undefined) ??
        (request.output ? JSON.stringify(exampleFromSchema(request.output.schema)) : '[offline-mock] stub reply')
      const response: ModelResponse = {
        text,
        toolCalls: partial?.toolCalls ?? [],
        usage: partial?.usage ?? { inputTokens: 10, outputTokens: 5, cachedTokens: 0 },
        finishReason: partial?.finishReason ?? (partial?.toolCalls?.length ? 'tool-calls' : 'stop'),
        model: partial?.model ?? 'offline-mock',
      }
      if (request.onTextDelta && response.text) request.onTextDelta(response.text)
      return response
    },
  }
}
