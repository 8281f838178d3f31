import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { JsonSchema } from '../providers/types.ts'
import { exampleFromSchema, OFFLINE_MARKER } from './json-example.ts'

/** The model id of replies nobody scripted. */
export { OFFLINE_MODEL } from '../providers/types.ts'

import { OFFLINE_MODEL } from '../providers/types.ts'

/** A request as the mock understood it, in one shape for both wire formats. */
export interface MockRequest {
  api: 'openai' | 'anthropic'
  model: string
  stream: boolean
  system: string
  /** Every message as text (tool calls and results rendered as JSON). */
  messages: Array<{ role: string; text: string }>
  /** Text of the last user message (or tool results). */
  lastUserText: string
  /** System prompt and all messages, joined by newlines: what `match` tests. */
  prompt: string
  /** Names of the tools offered. */
  tools: string[]
  /** Tool results in this request (latest turn first is not guaranteed: in message order). */
  toolResults: Array<{ toolCallId: string; content: string; isError: boolean }>
  /** Schema of the requested structured output. */
  jsonSchema?: JsonSchema
  headers: Record<string, string | string[] | undefined>
  body: Record<string, unknown>
}

/** A scripted answer. */
export interface MockReply {
  text?: string
  /** Sugar for `text: JSON.stringify(json)`. */
  json?: unknown
  toolCalls?: Array<{ name: string; arguments?: unknown; id?: string }>
  /** @default the requested model */
  model?: string
  usage?: Partial<{ inputTokens: number; outputTokens: number; cachedTokens: number }>
  /** Wait before answering (a slow model). */
  delayMs?: number
  /** Characters per streamed text chunk. @default 8 */
  chunkSize?: number
}

/** An injected failure. */
export type MockFault =
  | { fault: 'rate-limit' /** seconds */; retryAfter?: number; retryAfterMs?: number; delayMs?: number }
  | { fault: 'server-error'; status?: number; message?: string; delayMs?: number }
  /** Any HTTP error, e.g. 400 invalid request or 401 bad key. */
  | { fault: 'http-error'; status: number; message?: string; delayMs?: number }
  /** Destroys the socket: before any byte, or after the first streamed chunk with `midStream`. */
  | { fault: 'drop'; midStream?: boolean; delayMs?: number }
  /** Answers 200 with a body that is not valid JSON (or a broken SSE event). */
  | { fault: 'malformed'; delayMs?: number }

export type MockResponse = MockReply | MockFault

/** One entry of a script. */
export interface MockRule {
  /** Regex or substring tested against `prompt`, or a predicate. No `match`: matches any request. */
  match?: RegExp | string | ((request: MockRequest) => boolean)
  api?: 'openai' | 'anthropic'
  /** Only requests for this model. */
  model?: string | RegExp
  reply: MockResponse | ((request: MockRequest) => MockResponse | Promise<MockResponse>)
  /** Uses before the rule is spent. @default 1 without `match`, unlimited with it */
  times?: number
}

/** Options of `startMockLLM`. */
export interface MockLLMOptions {
  /** @default 0 (a free port) */
  port?: number
  /** @default '127.0.0.1' */
  host?: string
  /** Rules tried in order; the first matching unspent rule answers. Nothing matches: the offline reply. */
  script?: MockRule[]
}

/** A running mock LLM server. */
export interface MockLLM {
  url: string
  port: number
  /** Base URL for the OpenAI SDK (`…/v1`). */
  openaiBaseURL: string
  /** Base URL for the Anthropic SDK. */
  anthropicBaseURL: string
  /** Every request received, in order. */
  readonly requests: MockRequest[]
  /** Replaces the script (and resets rule use counts). */
  setScript(script: MockRule[]): void
  /** Appends rules to the script. */
  push(...rules: MockRule[]): void
  /** Clears the script and the request log. */
  reset(): void
  close(): Promise<void>
}

interface NormalisedReply {
  text: string
  toolCalls: Array<{ id: string; name: string; arguments: string }>
  model: string
  usage: { inputTokens: number; outputTokens: number; cachedTokens: number }
  chunkSize: number
}

function isFault(response: MockResponse): response is MockFault {
  return 'fault' in response
}

function asText(content: unknown): string {
  if (typeof content === 'string') return content
  if (Array.isArray(content)) {
    return content
      .map((part) => {
        const block = part as Record<string, unknown>
        if (typeof block.text === 'string') return block.text
        if (block.type === 'tool_use') return JSON.stringify({ tool_use: block.name, input: block.input })
        if (block.type === 'tool_result') return asText(block.content)
        return ''
      })
      .join('\n')
  }
  return content == null ? '' : JSON.stringify(content)
}

function parseOpenAI(body: Record<string, unknown>, headers: MockRequest['headers']): MockRequest {
  const raw = (Array.isArray(body.messages) ? body.messages : []) as Array<Record<string, unknown>>
  const system = raw
    .filter((m) => m.role === 'system' || m.role === 'developer')
    .map((m) => asText(m.content))
    .join('\n')
  const messages = raw
    .filter((m) => m.role !== 'system' && m.role !== 'developer')
    .map((m) => ({
      role: String(m.role),
      text:
        asText(m.content) +
        (Array.isArray(m.tool_calls)
          ? `\n${JSON.stringify(m.tool_calls.map((c) => (c as { function: unknown }).function))}`
          : ''),
    }))
  const toolResults = raw
    .filter((m) => m.role === 'tool')
    .map((m) => {
      const content = asText(m.content)
      return { toolCallId: String(m.tool_call_id), content, isError: /"isError":\s*true/.test(content) }
    })
  const format = body.response_format as { type?: string; json_schema?: { schema?: JsonSchema } } | undefined
  const tools = (Array.isArray(body.tools) ? body.tools : []) as Array<{ function?: { name?: string } }>
  return finish({
    api: 'openai',
    model: String(body.model ?? ''),
    stream: body.stream === true,
    system,
    messages,
    tools: tools.map((t) => t.function?.name ?? ''),
    toolResults,
    jsonSchema: format?.type === 'json_schema' ? (format.json_schema?.schema ?? {}) : undefined,
    headers,
    body,
  })
}

function parseAnthropic(body: Record<string, unknown>, headers: MockRequest['headers']): MockRequest {
  const raw = (Array.isArray(body.messages) ? body.messages : []) as Array<Record<string, unknown>>
  const messages = raw.map((m) => ({ role: String(m.role), text: asText(m.content) }))
  const toolResults = raw.flatMap((m) =>
    Array.isArray(m.content)
      ? (m.content as Array<Record<string, unknown>>)
          .filter((b) => b.type === 'tool_result')
          .map((b) => ({ toolCallId: String(b.tool_use_id), content: asText(b.content), isError: b.is_error === true }))
      : [],
  )
  const format = (body.output_config as { format?: { type?: string; schema?: JsonSchema } } | undefined)?.format
  const tools = (Array.isArray(body.tools) ? body.tools : []) as Array<{ name?: string }>
  return finish({
    api: 'anthropic',
    model: String(body.model ?? ''),
    stream: body.stream === true,
    system: asText(body.system),
    messages,
    tools: tools.map((t) => t.name ?? ''),
    toolResults,
    jsonSchema: format?.type === 'json_schema' ? (format.schema ?? {}) : undefined,
    headers,
    body,
  })
}

/** Schemas asked for in the prompt (the LangChain adapter's `prompt` mode) count as structured-output requests. */
function schemaFromPrompt(system: string): JsonSchema | undefined {
  const found = /matches this JSON Schema:\n(\{[\s\S]*\})\s*$/.exec(system)
  if (!found?.[1]) return undefined
  try {
    return JSON.parse(found[1]) as JsonSchema
  } catch {
    return undefined
  }
}

function finish(request: Omit<MockRequest, 'prompt' | 'lastUserText'>): MockRequest {
  const lastUser = [...request.messages].reverse().find((m) => m.role === 'user' || m.role === 'tool')
  return {
    ...request,
    jsonSchema: request.jsonSchema ?? schemaFromPrompt(request.system),
    lastUserText: lastUser?.text ?? '',
    prompt: [request.system, ...request.messages.map((m) => m.text)].filter(Boolean).join('\n'),
  }
}

function ruleMatches(rule: MockRule, request: MockRequest): boolean {
  if (rule.api && rule.api !== request.api) return false
  if (rule.model !== undefined) {
    if (typeof rule.model === 'string' ? rule.model !== request.model : !rule.model.test(request.model)) return false
  }
  if (rule.match === undefined) return true
  if (typeof rule.match === 'string') return request.prompt.includes(rule.match)
  if (rule.match instanceof RegExp) return rule.match.test(request.prompt)
  return rule.match(request)
}

/** The answer when no rule matches: valid structured output, or a text marked as offline. */
export function offlineReply(request: MockRequest): MockReply {
  if (request.jsonSchema) return { json: exampleFromSchema(request.jsonSchema), model: OFFLINE_MODEL }
  const quoted = request.lastUserText.replace(/\s+/g, ' ').slice(0, 120)
  return {
    text: `[${OFFLINE_MARKER}] Offline reply: no language model is configured, so this text is a placeholder. You said: "${quoted}"`,
    model: OFFLINE_MODEL,
  }
}

function estimateTokens(text: string): number {
  return Math.max(1, Math.ceil(text.length / 4))
}

let idCounter = 0
function nextId(prefix: string): string {
  idCounter += 1
  return `${prefix}${Date.now().toString(36)}${idCounter.toString(36)}`
}

function normalise(reply: MockReply, request: MockRequest): NormalisedReply {
  const text = reply.text ?? (reply.json !== undefined ? JSON.stringify(reply.json) : '')
  const prefix = request.api === 'openai' ? 'call_mock_' : 'toolu_mock_'
  const toolCalls = (reply.toolCalls ?? []).map((call) => ({
    id: call.id ?? nextId(prefix),
    name: call.name,
    arguments: typeof call.arguments === 'string' ? call.arguments : JSON.stringify(call.arguments ?? {}),
  }))
  const outputText = text + toolCalls.map((c) => c.arguments).join('')
  return {
    text,
    toolCalls,
    model: reply.model ?? (request.model || OFFLINE_MODEL),
    usage: {
      inputTokens: reply.usage?.inputTokens ?? estimateTokens(request.prompt),
      outputTokens: reply.usage?.outputTokens ?? estimateTokens(outputText),
      cachedTokens: reply.usage?.cachedTokens ?? 0,
    },
    chunkSize: reply.chunkSize ?? 8,
  }
}

function chunks(text: string, size: number): string[] {
  const out: string[] = []
  for (let i = 0; i < text.length; i += size) out.push(text.slice(i, i + size))
  return out
}

function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) {
  const payload = JSON.stringify(body)
  res.writeHead(status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(payload),
    ...headers,
  })
  res.end(payload)
}

function errorBody(api: MockRequest['api'], status: number, message: string) {
  const type =
    status === 429
      ? 'rate_limit_error'
      : status === 401
        ? 'authentication_error'
        : status >= 500
          ? 'api_error'
          : 'invalid_request_error'
  return api === 'openai'
    ? { error: { message, type, param: null, code: null } }
    : { type: 'error', error: { type, message } }
}

function openaiBody(reply: NormalisedReply) {
  return {
    id: nextId('chatcmpl-mock-'),
    object: 'chat.completion',
    created: Math.floor(Date.now() / 1000),
    model: reply.model,
    choices: [
      {
        index: 0,
        message: {
          role: 'assistant',
          content: reply.text || (reply.toolCalls.length ? null : ''),
          refusal: null,
          ...(reply.toolCalls.length
            ? {
                tool_calls: reply.toolCalls.map((c) => ({
                  id: c.id,
                  type: 'function',
                  function: { name: c.name, arguments: c.arguments },
                })),
              }
            : {}),
        },
        logprobs: null,
        finish_reason: reply.toolCalls.length ? 'tool_calls' : 'stop',
      },
    ],
    usage: openaiUsage(reply),
  }
}

function openaiUsage(reply: NormalisedReply) {
  return {
    prompt_tokens: reply.usage.inputTokens,
    completion_tokens: reply.usage.outputTokens,
    total_tokens: reply.usage.inputTokens + reply.usage.outputTokens,
    prompt_tokens_details: { cached_tokens: reply.usage.cachedTokens },
  }
}

function openaiEvents(reply: NormalisedReply, includeUsage: boolean): string[] {
  const id = nextId('chatcmpl-mock-')
  const created = Math.floor(Date.now() / 1000)
  const chunk = (delta: Record<string, unknown>, finishReason: string | null = null) =>
    JSON.stringify({
      id,
      object: 'chat.completion.chunk',
      created,
      model: reply.model,
      choices: [{ index: 0, delta, logprobs: null, finish_reason: finishReason }],
    })
  const events = [chunk({ role: 'assistant', content: '' })]
  for (const piece of chunks(reply.text, reply.chunkSize)) events.push(chunk({ content: piece }))
  reply.toolCalls.forEach((call, index) => {
    events.push(
      chunk({ tool_calls: [{ index, id: call.id, type: 'function', function: { name: call.name, arguments: '' } }] }),
    )
    for (const piece of chunks(call.arguments, reply.chunkSize * 2)) {
      events.push(chunk({ tool_calls: [{ index, function: { arguments: piece } }] }))
    }
  })
  events.push(chunk({}, reply.toolCalls.length ? 'tool_calls' : 'stop'))
  if (includeUsage) {
    events.push(
      JSON.stringify({
        id,
        object: 'chat.completion.chunk',
        created,
        model: reply.model,
        choices: [],
        usage: openaiUsage(reply),
      }),
    )
  }
  return events.map((data) => `data: ${data}\n\n`).concat('data: [DONE]\n\n')
}

function anthropicUsage(reply: NormalisedReply) {
  return {
    input_tokens: reply.usage.inputTokens - reply.usage.cachedTokens,
    output_tokens: reply.usage.outputTokens,
    cache_read_input_tokens: reply.usage.cachedTokens,
    cache_creation_input_tokens: 0,
  }
}

function anthropicBody(reply: NormalisedReply) {
  return {
    id: nextId('msg_mock_'),
    type: 'message',
    role: 'assistant',
    model: reply.model,
    content: [
      ...(reply.text ? [{ type: 'text', text: reply.text }] : []),
      ...reply.toolCalls.map((c) => ({
        type: 'tool_use',
        id: c.id,
        name: c.name,
        input: JSON.parse(c.arguments || '{}'),
      })),
    ],
    stop_reason: reply.toolCalls.length ? 'tool_use' : 'end_turn',
    stop_sequence: null,
    usage: anthropicUsage(reply),
  }
}

function anthropicEvents(reply: NormalisedReply): string[] {
  const events: Array<[string, unknown]> = []
  const usage = anthropicUsage(reply)
  events.push([
    'message_start',
    {
      type: 'message_start',
      message: {
        id: nextId('msg_mock_'),
        type: 'message',
        role: 'assistant',
        model: reply.model,
        content: [],
        stop_reason: null,
        stop_sequence: null,
        usage: { ...usage, output_tokens: 1 },
      },
    },
  ])
  let index = 0
  if (reply.text) {
    events.push([
      'content_block_start',
      { type: 'content_block_start', index, content_block: { type: 'text', text: '' } },
    ])
    for (const piece of chunks(reply.text, reply.chunkSize)) {
      events.push([
        'content_block_delta',
        { type: 'content_block_delta', index, delta: { type: 'text_delta', text: piece } },
      ])
    }
    events.push(['content_block_stop', { type: 'content_block_stop', index }])
    index += 1
  }
  for (const call of reply.toolCalls) {
    events.push([
      'content_block_start',
      {
        type: 'content_block_start',
        index,
        content_block: { type: 'tool_use', id: call.id, name: call.name, input: {} },
      },
    ])
    for (const piece of chunks(call.arguments, reply.chunkSize * 2)) {
      events.push([
        'content_block_delta',
        { type: 'content_block_delta', index, delta: { type: 'input_json_delta', partial_json: piece } },
      ])
    }
    events.push(['content_block_stop', { type: 'content_block_stop', index }])
    index += 1
  }
  events.push([
    'message_delta',
    {
      type: 'message_delta',
      delta: { stop_reason: reply.toolCalls.length ? 'tool_use' : 'end_turn', stop_sequence: null },
      usage: { output_tokens: reply.usage.outputTokens },
    },
  ])
  events.push(['message_stop', { type: 'message_stop' }])
  return events.map(([event, data]) => `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`)
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const parts: Buffer[] = []
    req.on('data', (part: Buffer) => parts.push(part))
    req.on('end', () => resolve(Buffer.concat(parts).toString('utf8')))
    req.on('error', reject)
  })
}

/** Waits, but gives up as soon as the client goes away. Returns false when it did. */
function wait(ms: number | undefined, res: ServerResponse): Promise<boolean> {
  if (!ms) return Promise.resolve(!res.destroyed)
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      res.off('close', onClose)
      resolve(!res.destroyed)
    }, ms)
    const onClose = () => {
      clearTimeout(timer)
      resolve(false)
    }
    res.once('close', onClose)
  })
}

/**
 * Starts a mock LLM server on 127.0.0.1 speaking OpenAI chat completions (`POST /v1/chat/completions`)
 * and Anthropic messages (`POST /v1/messages`), streaming included, with scripted replies and faults.
 */
export async function startMockLLM(options: MockLLMOptions = {}): Promise<MockLLM> {
  type Entry = { rule: MockRule; left: number }
  let script: Entry[] = []
  const requests: MockRequest[] = []
  const load = (rules: MockRule[]) =>
    rules.map((rule) => ({ rule, left: rule.times ?? (rule.match === undefined ? 1 : Number.POSITIVE_INFINITY) }))
  script = load(options.script ?? [])

  async function choose(request: MockRequest): Promise<MockResponse> {
    for (const entry of script) {
      if (entry.left <= 0 || !ruleMatches(entry.rule, request)) continue
      entry.left -= 1
      return typeof entry.rule.reply === 'function' ? entry.rule.reply(request) : entry.rule.reply
    }
    return offlineReply(request)
  }

  async function handle(req: IncomingMessage, res: ServerResponse) {
    const url = new URL(req.url ?? '/', 'http://mock')
    if (req.method === 'GET' && (url.pathname === '/' || url.pathname === '/health')) {
      return sendJson(res, 200, { ok: true, name: 'bizosaas mock LLM', offlineModel: OFFLINE_MODEL })
    }
    if (req.method === 'GET' && url.pathname === '/v1/models') {
      return sendJson(res, 200, {
        object: 'list',
        data: [{ id: OFFLINE_MODEL, object: 'model', owned_by: 'bizosaas' }],
      })
    }
    const api =
      req.method === 'POST' && url.pathname === '/v1/chat/completions'
        ? 'openai'
        : req.method === 'POST' && url.pathname === '/v1/messages'
          ? 'anthropic'
          : undefined
    if (!api) return sendJson(res, 404, { error: { message: `No route ${req.method} ${url.pathname}` } })

    let body: Record<string, unknown>
    try {
      body = JSON.parse(await readBody(req))
    } catch {
      return sendJson(res, 400, errorBody(api, 400, 'Request body is not valid JSON'))
    }
    const request = api === 'openai' ? parseOpenAI(body, req.headers) : parseAnthropic(body, req.headers)
    requests.push(request)
    const response = await choose(request)
    if (!(await wait(response.delayMs, res))) return

    if (isFault(response)) {
      switch (response.fault) {
        case 'rate-limit': {
          const headers: Record<string, string> = {}
          if (response.retryAfterMs !== undefined) headers['retry-after-ms'] = String(response.retryAfterMs)
          if (response.retryAfter !== undefined) headers['retry-after'] = String(response.retryAfter)
          return sendJson(res, 429, errorBody(api, 429, 'Rate limit reached (mock)'), headers)
        }
        case 'server-error': {
          const status = response.status ?? 500
          return sendJson(res, status, errorBody(api, status, response.message ?? 'Internal server error (mock)'))
        }
        case 'http-error':
          return sendJson(
            res,
            response.status,
            errorBody(api, response.status, response.message ?? `HTTP ${response.status} (mock)`),
          )
        case 'drop':
          if (response.midStream && request.stream) {
            // a stream that breaks after its first text delta, before the finish events
            const partial = normalise({ text: 'partial' }, request)
            const events = api === 'openai' ? openaiEvents(partial, false) : anthropicEvents(partial)
            res.writeHead(200, { 'content-type': 'text/event-stream' })
            res.write(events.slice(0, -2).join(''))
            setTimeout(() => res.socket?.destroy(), 20)
            return
          }
          req.socket.destroy()
          return
        case 'malformed':
          if (request.stream) {
            res.writeHead(200, { 'content-type': 'text/event-stream' })
            res.end(
              api === 'openai'
                ? 'data: {"id": "broken", "choices": [\n\n'
                : 'event: message_start\ndata: {"type": "message_start", \n\n',
            )
            return
          }
          res.writeHead(200, { 'content-type': 'application/json' })
          res.end('{"id": "broken", "choices": [')
          return
      }
    }

    const reply = normalise(response, request)
    if (!request.stream) return sendJson(res, 200, api === 'openai' ? openaiBody(reply) : anthropicBody(reply))
    const includeUsage = (body.stream_options as { include_usage?: boolean } | undefined)?.include_usage === true
    const events = api === 'openai' ? openaiEvents(reply, includeUsage) : anthropicEvents(reply)
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive' })
    for (const event of events) {
      if (res.destroyed) return
      res.write(event)
    }
    res.end()
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((error) => {
      if (!res.headersSent) sendJson(res, 500, { error: { message: `mock LLM failure: ${String(error)}` } })
      else res.destroy()
    })
  })
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve())
  })
  const { port } = server.address() as AddressInfo
  const url = `http://${options.host ?? '127.0.0.1'}:${port}`
  return {
    url,
    port,
    openaiBaseURL: `${url}/v1`,
    anthropicBaseURL: url,
    requests,
    setScript(rules) {
      script = load(rules)
    },
    push(...rules) {
      script.push(...load(rules))
    },
    reset() {
      script = []
      requests.length = 0
    },
    close() {
      return new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      })
    },
  }
}
