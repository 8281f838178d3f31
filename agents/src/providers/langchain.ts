import type { BaseChatModel } from '@langchain/core/language_models/chat_models'
import {
  AIMessage,
  type AIMessageChunk,
  type BaseMessage,
  HumanMessage,
  SystemMessage,
  ToolMessage,
} from '@langchain/core/messages'
import { tool as langchainTool, type StructuredToolInterface } from '@langchain/core/tools'
import { z } from 'zod'
import type { AgentServices } from '../agent.ts'
import { type AnyTool, defineTool, executeTool, type Tool } from '../tool.ts'
import {
  type FinishReason,
  kindFromStatus,
  type Message,
  type ModelProvider,
  type ModelRequest,
  type ModelResponse,
  ProviderError,
  parseRetryAfter,
  type ToolCall,
} from './types.ts'

/** Options of `langchainProvider`. */
export interface LangChainProviderOptions {
  /** Provider id in model strings (`<id>:<model>`). @default 'langchain' */
  id?: string
  /**
   * How structured output is requested: `prompt` adds the JSON Schema to the system prompt (works with
   * any model); `response_format` passes OpenAI's `response_format` call option (ChatOpenAI and
   * OpenAI-compatible servers). @default 'prompt'
   */
  structuredOutput?: 'prompt' | 'response_format'
}

type ChatModelSource = BaseChatModel | ((model: string) => BaseChatModel)

function toLangChainMessages(messages: readonly Message[], schemaNote?: string): BaseMessage[] {
  const out: BaseMessage[] = []
  let systemSeen = false
  for (const message of messages) {
    switch (message.role) {
      case 'system':
        out.push(new SystemMessage(schemaNote && !systemSeen ? `${message.content}\n\n${schemaNote}` : message.content))
        systemSeen = true
        break
      case 'user':
        out.push(new HumanMessage(message.content))
        break
      case 'assistant':
        out.push(
          new AIMessage({
            content: message.content,
            tool_calls: (message.toolCalls ?? []).map((call) => ({
              id: call.id,
              name: call.name,
              args: safeArgs(call.arguments),
              type: 'tool_call' as const,
            })),
          }),
        )
        break
      case 'tool':
        out.push(
          new ToolMessage({
            tool_call_id: message.toolCallId,
            name: message.toolName,
            content: message.content,
            status: message.isError ? 'error' : 'success',
          }),
        )
        break
    }
  }
  if (schemaNote && !systemSeen) out.unshift(new SystemMessage(schemaNote))
  return out
}

function safeArgs(text: string): Record<string, unknown> {
  try {
    const value = JSON.parse(text || '{}')
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? value : {}
  } catch {
    return {}
  }
}

function textOf(message: BaseMessage): string {
  if (typeof message.content === 'string') return message.content
  return message.content
    .map((part) => (typeof part === 'string' ? part : part.type === 'text' ? String(part.text ?? '') : ''))
    .join('')
}

function finishReason(message: BaseMessage, toolCalls: number): FinishReason {
  const metadata = message.response_metadata as Record<string, unknown> | undefined
  const reason = String(metadata?.finish_reason ?? metadata?.stop_reason ?? '')
  if (toolCalls > 0 || reason === 'tool_calls' || reason === 'tool_use') return 'tool-calls'
  if (reason === 'length' || reason === 'max_tokens') return 'length'
  if (reason === 'content_filter') return 'content-filter'
  return 'stop'
}

/** Maps whatever a LangChain model threw (usually its SDK's error) to a `ProviderError`. */
export function langchainError(error: unknown, provider: string, model: string): ProviderError {
  if (error instanceof ProviderError) return error
  const e = (error ?? {}) as {
    status?: number
    response?: { status?: number; headers?: unknown }
    headers?: unknown
    name?: string
    message?: string
  }
  const message = e.message ?? String(error)
  const base = { provider, model, cause: error, message }
  if (e.name === 'AbortError' || /abort/i.test(e.name ?? '')) return new ProviderError({ ...base, kind: 'aborted' })
  const status = e.status ?? e.response?.status
  const rawHeaders = e.headers ?? e.response?.headers
  const headers =
    rawHeaders && typeof (rawHeaders as Headers).get === 'function'
      ? (rawHeaders as Headers)
      : rawHeaders && typeof rawHeaders === 'object'
        ? new Headers(rawHeaders as Record<string, string>)
        : undefined
  if (typeof status === 'number') {
    return new ProviderError({ ...base, kind: kindFromStatus(status), status, retryAfterMs: parseRetryAfter(headers) })
  }
  if (/timeout|timed out/i.test(`${e.name} ${message}`)) return new ProviderError({ ...base, kind: 'timeout' })
  if (/connection|ECONNRESET|ECONNREFUSED|socket|terminated|fetch failed/i.test(`${e.name} ${message}`)) {
    return new ProviderError({ ...base, kind: 'connection' })
  }
  if (error instanceof SyntaxError) return new ProviderError({ ...base, kind: 'malformed-response' })
  return new ProviderError({ ...base, kind: 'unknown' })
}

/**
 * Wraps any LangChain chat model (anything with `bindTools`) as a provider. Pass a model, or a function
 * that builds one per model name. Construct LangChain models with `maxRetries: 0`: retries belong to
 * our fallback chain.
 */
export function langchainProvider(source: ChatModelSource, options: LangChainProviderOptions = {}): ModelProvider {
  const id = options.id ?? 'langchain'
  const cache = new Map<string, BaseChatModel>()
  const modelFor = (name: string) => {
    if (typeof source !== 'function') return source
    let model = cache.get(name)
    if (!model) {
      model = source(name)
      cache.set(name, model)
    }
    return model
  }

  return {
    id,
    async generate(request: ModelRequest): Promise<ModelResponse> {
      const chat = modelFor(request.model)
      const useResponseFormat = request.output && options.structuredOutput === 'response_format'
      const schemaNote =
        request.output && !useResponseFormat
          ? `When you give your final answer, reply with only a JSON object (no prose, no code fence) that matches this JSON Schema:\n${JSON.stringify(request.output.schema)}`
          : undefined
      const callOptions: Record<string, unknown> = {
        signal: request.signal,
        ...(useResponseFormat && request.output
          ? {
              response_format: {
                type: 'json_schema',
                json_schema: { name: request.output.name, schema: request.output.schema, strict: false },
              },
            }
          : {}),
      }
      let runnable: Pick<BaseChatModel, 'invoke' | 'stream'> = chat
      if (request.tools?.length) {
        if (!chat.bindTools)
          throw new Error(`LangChain model of provider "${id}" does not support tools (no bindTools)`)
        runnable = chat.bindTools(
          request.tools.map((tool) => ({
            type: 'function' as const,
            function: { name: tool.name, description: tool.description, parameters: tool.parameters },
          })),
        ) as unknown as Pick<BaseChatModel, 'invoke' | 'stream'>
      }
      const messages = toLangChainMessages(request.messages, schemaNote)
      try {
        let result: AIMessage | AIMessageChunk
        if (request.onTextDelta) {
          let aggregate: AIMessageChunk | undefined
          for await (const chunk of await runnable.stream(messages, callOptions)) {
            const delta = textOf(chunk)
            if (delta) request.onTextDelta(delta)
            aggregate = aggregate ? aggregate.concat(chunk) : chunk
          }
          if (!aggregate)
            throw new ProviderError({ message: 'Empty stream', kind: 'connection', provider: id, model: request.model })
          result = aggregate
        } else {
          result = (await runnable.invoke(messages, callOptions)) as AIMessage
        }
        const toolCalls: ToolCall[] = (result.tool_calls ?? []).map((call, index) => ({
          id: call.id ?? `call_${index}`,
          name: call.name,
          arguments: JSON.stringify(call.args ?? {}),
        }))
        const usage = result.usage_metadata
        const metadata = result.response_metadata as Record<string, unknown> | undefined
        return {
          text: textOf(result),
          toolCalls,
          usage: {
            inputTokens: usage?.input_tokens ?? 0,
            outputTokens: usage?.output_tokens ?? 0,
            cachedTokens: usage?.input_token_details?.cache_read ?? 0,
          },
          finishReason: finishReason(result, toolCalls.length),
          model: String(metadata?.model_name ?? metadata?.model ?? request.model),
        }
      } catch (error) {
        throw langchainError(error, id, request.model)
      }
    },
  }
}

/**
 * Our tool as a LangChain tool (for LangChain agents). Failures come back as `{ isError, message }` JSON,
 * like in our runtime; results are JSON strings.
 */
export function toLangChainTool(
  tool: AnyTool,
  context: { runId?: string; agent?: string; tenant?: string; services?: AgentServices } = {},
) {
  return langchainTool(
    async (input: unknown, config?: { signal?: AbortSignal; toolCall?: { id?: string } }) => {
      const result = await executeTool(tool, JSON.stringify(input ?? {}), {
        runId: context.runId ?? 'langchain',
        agent: context.agent ?? 'langchain',
        tenant: context.tenant,
        services: context.services ?? {},
        connection: context.services?.connection,
        signal: config?.signal ?? new AbortController().signal,
        step: 0,
        toolCallId: config?.toolCall?.id ?? tool.id,
      })
      return JSON.stringify(result.isError ? { isError: true, message: result.message } : (result.output ?? null))
    },
    { name: tool.id, description: tool.description, schema: tool.input as z.ZodObject },
  )
}

/**
 * A LangChain tool as ours. Zod-4 schemas are used as they are; JSON-schema tools are converted with
 * `z.fromJSONSchema`. String results that hold JSON are parsed.
 */
export function fromLangChainTool(lcTool: StructuredToolInterface): Tool<z.ZodType, z.ZodUnknown> {
  const schema = lcTool.schema as unknown
  const input =
    schema instanceof z.ZodType
      ? schema
      : schema && typeof schema === 'object' && '_def' in schema
        ? z.looseObject({}) // a zod-3 schema: LangChain validates it itself on invoke
        : z.fromJSONSchema((schema ?? { type: 'object' }) as Parameters<typeof z.fromJSONSchema>[0])
  return defineTool({
    id: lcTool.name,
    description: lcTool.description,
    input,
    async execute(args, context) {
      const result: unknown = await lcTool.invoke(args as never, { signal: context.signal })
      const content =
        typeof result === 'object' && result !== null && 'content' in result
          ? (result as { content: unknown }).content
          : result
      if (typeof content !== 'string') return content
      try {
        return JSON.parse(content)
      } catch {
        return content
      }
    },
  })
}
