import Anthropic, {
  APIConnectionError,
  APIConnectionTimeoutError,
  APIError,
  APIUserAbortError,
} from '@anthropic-ai/sdk'
import type {
  Tool as AnthropicTool,
  Usage as AnthropicUsage,
  ContentBlockParam,
  MessageCreateParamsBase,
  MessageParam,
} from '@anthropic-ai/sdk/resources/messages/messages'
import {
  type FinishReason,
  type Message,
  type ModelProvider,
  type ModelRequest,
  type ModelResponse,
  ProviderError,
  type ProviderOptions,
  type TokenUsage,
  type ToolCall,
} from './types.ts'
import { sdkConnection, sdkError } from './vendor-sdk.ts'

/** Options of `anthropicProvider`. */
export interface AnthropicProviderOptions extends ProviderOptions {
  /** @default 'anthropic' */
  id?: string
  /** A ready client; `apiKey`, `baseURL` and `timeoutMs` are then ignored. */
  client?: Anthropic
  /** Anthropic requires a cap on output tokens. @default 4096 */
  defaultMaxTokens?: number
}

function parseInput(text: string): Record<string, unknown> {
  try {
    const value = JSON.parse(text || '{}')
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? value : {}
  } catch {
    return {}
  }
}

/** Converts our messages to Anthropic's: system apart, tool results as user turns, same-role turns merged. */
function toAnthropic(messages: readonly Message[]): { system: string | undefined; messages: MessageParam[] } {
  const system: string[] = []
  const out: MessageParam[] = []
  const push = (role: 'user' | 'assistant', blocks: ContentBlockParam[]) => {
    const last = out.at(-1)
    if (last && last.role === role && Array.isArray(last.content)) last.content.push(...blocks)
    else out.push({ role, content: blocks })
  }
  for (const message of messages) {
    switch (message.role) {
      case 'system':
        system.push(message.content)
        break
      case 'user':
        push('user', [{ type: 'text', text: message.content }])
        break
      case 'assistant': {
        const blocks: ContentBlockParam[] = message.content ? [{ type: 'text', text: message.content }] : []
        for (const call of message.toolCalls ?? []) {
          blocks.push({ type: 'tool_use', id: call.id, name: call.name, input: parseInput(call.arguments) })
        }
        push('assistant', blocks.length ? blocks : [{ type: 'text', text: '' }])
        break
      }
      case 'tool':
        push('user', [
          {
            type: 'tool_result',
            tool_use_id: message.toolCallId,
            content: message.content,
            ...(message.isError ? { is_error: true } : {}),
          },
        ])
        break
    }
  }
  return { system: system.length ? system.join('\n\n') : undefined, messages: out }
}

function finishReason(reason: string | null | undefined): FinishReason {
  switch (reason) {
    case 'end_turn':
    case 'stop_sequence':
      return 'stop'
    case 'tool_use':
      return 'tool-calls'
    case 'max_tokens':
    case 'model_context_window_exceeded':
      return 'length'
    case 'refusal':
      return 'content-filter'
    default:
      return 'other'
  }
}

/** Anthropic counts cache reads and writes apart from `input_tokens`; ours includes them. */
function usageOf(usage: Partial<AnthropicUsage> | undefined | null): TokenUsage {
  const cached = usage?.cache_read_input_tokens ?? 0
  const created = usage?.cache_creation_input_tokens ?? 0
  return {
    inputTokens: (usage?.input_tokens ?? 0) + cached + created,
    outputTokens: usage?.output_tokens ?? 0,
    cachedTokens: cached,
  }
}

/** Maps an Anthropic SDK (or fetch) error to a classified `ProviderError`. */
export function anthropicError(error: unknown, provider: string, model: string): ProviderError {
  return sdkError(error, provider, model, {
    APIUserAbortError,
    APIConnectionTimeoutError,
    APIConnectionError,
    APIError,
  })
}

/** A provider on Anthropic's Messages API: tool use, structured output (`output_config.format`), streaming. */
export function anthropicProvider(options: AnthropicProviderOptions = {}): ModelProvider {
  const id = options.id ?? 'anthropic'
  const { apiKey, baseURL } = sdkConnection(
    {
      name: 'Anthropic',
      keyVar: 'ANTHROPIC_API_KEY',
      urlVar: 'ANTHROPIC_BASE_URL',
      optionsKey: 'anthropic',
      mockPath: '',
    },
    options,
  )
  const client =
    options.client ??
    new Anthropic({
      apiKey,
      baseURL,
      maxRetries: 0, // retries belong to the fallback chain
      timeout: options.timeoutMs ?? 60_000,
      defaultHeaders: options.headers,
    })

  return {
    id,
    async generate(request: ModelRequest): Promise<ModelResponse> {
      const { system, messages } = toAnthropic(request.messages)
      const tools: AnthropicTool[] | undefined = request.tools?.map((tool) => ({
        name: tool.name,
        description: tool.description,
        input_schema: { type: 'object', ...tool.parameters },
      }))
      const params: MessageCreateParamsBase = {
        model: request.model,
        max_tokens: request.maxOutputTokens ?? options.defaultMaxTokens ?? 4096,
        messages,
        ...(system ? { system } : {}),
        ...(tools?.length ? { tools } : {}),
        ...(request.output
          ? { output_config: { format: { type: 'json_schema', schema: request.output.schema } } }
          : {}),
        ...(request.temperature !== undefined ? { temperature: request.temperature } : {}),
      }
      try {
        if (!request.onTextDelta) {
          const message = await client.messages.create({ ...params, stream: false }, { signal: request.signal })
          if (!message || !Array.isArray(message.content)) {
            throw new ProviderError({
              message: 'Malformed response: no content',
              kind: 'malformed-response',
              provider: id,
              model: request.model,
            })
          }
          let text = ''
          const toolCalls: ToolCall[] = []
          for (const block of message.content) {
            if (block.type === 'text') text += block.text
            else if (block.type === 'tool_use') {
              toolCalls.push({ id: block.id, name: block.name, arguments: JSON.stringify(block.input ?? {}) })
            }
          }
          return {
            text,
            toolCalls,
            usage: usageOf(message.usage),
            finishReason: finishReason(message.stop_reason),
            model: message.model,
          }
        }

        const stream = await client.messages.create({ ...params, stream: true }, { signal: request.signal })
        let text = ''
        let model = request.model
        let reason: string | null | undefined
        let startUsage: Partial<AnthropicUsage> | undefined
        let outputTokens = 0
        let stopped = false
        const calls = new Map<number, ToolCall>()
        for await (const event of stream) {
          switch (event.type) {
            case 'message_start':
              model = event.message.model
              startUsage = event.message.usage
              outputTokens = event.message.usage?.output_tokens ?? 0
              break
            case 'content_block_start':
              if (event.content_block.type === 'tool_use') {
                calls.set(event.index, { id: event.content_block.id, name: event.content_block.name, arguments: '' })
              }
              break
            case 'content_block_delta':
              if (event.delta.type === 'text_delta') {
                text += event.delta.text
                request.onTextDelta(event.delta.text)
              } else if (event.delta.type === 'input_json_delta') {
                const call = calls.get(event.index)
                if (call) call.arguments += event.delta.partial_json
              }
              break
            case 'message_delta':
              reason = event.delta.stop_reason
              outputTokens = event.usage.output_tokens ?? outputTokens
              if (event.usage.input_tokens != null) {
                startUsage = {
                  input_tokens: event.usage.input_tokens,
                  cache_read_input_tokens: event.usage.cache_read_input_tokens,
                  cache_creation_input_tokens: event.usage.cache_creation_input_tokens,
                }
              }
              break
            case 'message_stop':
              stopped = true
              break
          }
        }
        if (!stopped) {
          throw new ProviderError({
            message: 'Stream ended before message_stop',
            kind: 'connection',
            provider: id,
            model: request.model,
          })
        }
        return {
          text,
          toolCalls: [...calls.entries()].sort(([a], [b]) => a - b).map(([, call]) => call),
          usage: { ...usageOf(startUsage), outputTokens },
          finishReason: finishReason(reason),
          model,
        }
      } catch (error) {
        throw anthropicError(error, id, request.model)
      }
    },
  }
}
