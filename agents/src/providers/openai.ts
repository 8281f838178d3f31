import OpenAI, { APIConnectionError, APIConnectionTimeoutError, APIError, APIUserAbortError } from 'openai'
import type {
  ChatCompletionCreateParamsBase,
  ChatCompletionMessageParam,
  ChatCompletionTool,
} from 'openai/resources/chat/completions'
import {
  type FinishReason,
  type Message,
  type ModelProvider,
  type ModelRequest,
  type ModelResponse,
  ProviderError,
  type ProviderOptions,
  type ToolCall,
} from './types.ts'
import { sdkConnection, sdkError } from './vendor-sdk.ts'

/** Options of `openaiProvider`. */
export interface OpenAIProviderOptions extends ProviderOptions {
  /** Provider id (register several OpenAI-compatible servers, e.g. `ollama`, `openrouter`). @default 'openai' */
  id?: string
  /** A ready client; `apiKey`, `baseURL` and `timeoutMs` are then ignored. */
  client?: OpenAI
}

function toOpenAIMessages(messages: readonly Message[]): ChatCompletionMessageParam[] {
  return messages.map((message): ChatCompletionMessageParam => {
    switch (message.role) {
      case 'system':
        return { role: 'system', content: message.content }
      case 'user':
        return { role: 'user', content: message.content }
      case 'assistant':
        return message.toolCalls?.length
          ? {
              role: 'assistant',
              content: message.content || null,
              tool_calls: message.toolCalls.map((call) => ({
                id: call.id,
                type: 'function' as const,
                function: { name: call.name, arguments: call.arguments },
              })),
            }
          : { role: 'assistant', content: message.content }
      default:
        return { role: 'tool', tool_call_id: message.toolCallId, content: message.content }
    }
  })
}

function finishReason(reason: string | null | undefined): FinishReason {
  switch (reason) {
    case 'stop':
      return 'stop'
    case 'tool_calls':
    case 'function_call':
      return 'tool-calls'
    case 'length':
      return 'length'
    case 'content_filter':
      return 'content-filter'
    default:
      return 'other'
  }
}

/** Maps an OpenAI SDK (or fetch) error to a classified `ProviderError`. */
export function openaiError(error: unknown, provider: string, model: string): ProviderError {
  return sdkError(error, provider, model, {
    APIUserAbortError,
    APIConnectionTimeoutError,
    APIConnectionError,
    APIError,
  })
}

/**
 * A provider on the OpenAI chat-completions API: tools, JSON-schema structured output, streaming.
 * Works with any OpenAI-compatible server through `baseURL` (Ollama, vLLM, OpenRouter, LM Studio, the mock LLM).
 */
export function openaiProvider(options: OpenAIProviderOptions = {}): ModelProvider {
  const id = options.id ?? 'openai'
  const { apiKey, baseURL } = sdkConnection(
    { name: 'OpenAI', keyVar: 'OPENAI_API_KEY', urlVar: 'OPENAI_BASE_URL', optionsKey: 'openai', mockPath: '/v1' },
    options,
  )
  const client =
    options.client ??
    new OpenAI({
      apiKey,
      baseURL,
      maxRetries: 0, // retries belong to the fallback chain
      timeout: options.timeoutMs ?? 60_000,
      defaultHeaders: options.headers,
    })

  return {
    id,
    async generate(request: ModelRequest): Promise<ModelResponse> {
      const tools: ChatCompletionTool[] | undefined = request.tools?.map((tool) => ({
        type: 'function',
        function: { name: tool.name, description: tool.description, parameters: tool.parameters },
      }))
      const params: ChatCompletionCreateParamsBase = {
        model: request.model,
        messages: toOpenAIMessages(request.messages),
        ...(tools?.length ? { tools } : {}),
        ...(request.output
          ? {
              response_format: {
                type: 'json_schema',
                json_schema: { name: request.output.name, schema: request.output.schema, strict: false },
              },
            }
          : {}),
        ...(request.temperature !== undefined ? { temperature: request.temperature } : {}),
        ...(request.maxOutputTokens !== undefined ? { max_completion_tokens: request.maxOutputTokens } : {}),
      }
      try {
        if (!request.onTextDelta) {
          const completion = await client.chat.completions.create(
            { ...params, stream: false },
            { signal: request.signal },
          )
          if (!completion || !Array.isArray(completion.choices)) {
            throw new ProviderError({
              message: 'Malformed response: no choices',
              kind: 'malformed-response',
              provider: id,
              model: request.model,
            })
          }
          const choice = completion.choices[0]
          const toolCalls: ToolCall[] = (choice?.message.tool_calls ?? []).flatMap((call) =>
            call.type === 'function'
              ? [{ id: call.id, name: call.function.name, arguments: call.function.arguments }]
              : [],
          )
          return {
            text: choice?.message.content ?? '',
            toolCalls,
            usage: {
              inputTokens: completion.usage?.prompt_tokens ?? 0,
              outputTokens: completion.usage?.completion_tokens ?? 0,
              cachedTokens: completion.usage?.prompt_tokens_details?.cached_tokens ?? 0,
            },
            finishReason: finishReason(choice?.finish_reason),
            model: completion.model,
          }
        }

        const stream = await client.chat.completions.create(
          { ...params, stream: true, stream_options: { include_usage: true } },
          { signal: request.signal },
        )
        let text = ''
        let model = request.model
        let reason: string | null | undefined
        let usage = { inputTokens: 0, outputTokens: 0, cachedTokens: 0 }
        const calls = new Map<number, ToolCall>()
        for await (const chunk of stream) {
          if (chunk.model) model = chunk.model
          if (chunk.usage) {
            usage = {
              inputTokens: chunk.usage.prompt_tokens ?? 0,
              outputTokens: chunk.usage.completion_tokens ?? 0,
              cachedTokens: chunk.usage.prompt_tokens_details?.cached_tokens ?? 0,
            }
          }
          const choice = chunk.choices?.[0]
          if (!choice) continue
          if (choice.finish_reason) reason = choice.finish_reason
          const delta = choice.delta
          if (delta?.content) {
            text += delta.content
            request.onTextDelta(delta.content)
          }
          for (const part of delta?.tool_calls ?? []) {
            const call = calls.get(part.index) ?? { id: '', name: '', arguments: '' }
            if (part.id) call.id = part.id
            if (part.function?.name) call.name += part.function.name
            if (part.function?.arguments) call.arguments += part.function.arguments
            calls.set(part.index, call)
          }
        }
        if (reason === undefined) {
          throw new ProviderError({
            message: 'Stream ended without a finish reason',
            kind: 'connection',
            provider: id,
            model: request.model,
          })
        }
        return {
          text,
          toolCalls: [...calls.entries()].sort(([a], [b]) => a - b).map(([, call]) => call),
          usage,
          finishReason: finishReason(reason),
          model,
        }
      } catch (error) {
        throw openaiError(error, id, request.model)
      }
    },
  }
}
