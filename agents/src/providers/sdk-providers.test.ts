import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { z } from 'zod'
import { defineAgent } from '../agent.ts'
import { recordingSink } from '../events.ts'
import { type RunOptions, runAgent } from '../run.ts'
import { type MockLLM, OFFLINE_MODEL, startMockLLM } from '../testing/mock-llm.ts'
import { defineTool } from '../tool.ts'
import { anthropicProvider } from './anthropic.ts'
import { openaiProvider } from './openai.ts'
import { createProviderRegistry, defaultProviderRegistry, type ProviderRegistry } from './registry.ts'

let mock: MockLLM
let providers: ProviderRegistry

beforeAll(async () => {
  mock = await startMockLLM()
  providers = createProviderRegistry()
    .register('openai', (options) => openaiProvider({ baseURL: mock.openaiBaseURL, apiKey: 'test-key', ...options }))
    .register('anthropic', (options) =>
      anthropicProvider({ baseURL: mock.anthropicBaseURL, apiKey: 'test-key', ...options }),
    )
})
afterAll(() => mock.close())
beforeEach(() => mock.reset())

const fast = { retry: { baseDelayMs: 5, maxDelayMs: 20, requestTimeoutMs: 2_000 } } satisfies RunOptions

const priceTool = defineTool({
  id: 'get-price',
  description: 'Current price of a product',
  input: z.object({ sku: z.string().describe('Product SKU') }),
  output: z.object({ sku: z.string(), cents: z.number() }),
  execute: ({ sku }) => ({ sku, cents: sku.length * 100 }),
})

const cases = [
  { name: 'OpenAI SDK', api: 'openai', model: 'openai:gpt-5.4-mini', backup: 'openai:gpt-5.4-nano' },
  {
    name: 'Anthropic SDK',
    api: 'anthropic',
    model: 'anthropic:claude-sonnet-4-6',
    backup: 'anthropic:claude-haiku-4-5',
  },
] as const

describe.each(cases)('$name against the mock LLM over HTTP', ({ api, model, backup }) => {
  const textAgent = defineAgent({
    slug: 'greeter',
    description: 'Greets',
    input: z.object({ name: z.string().describe('Who to greet') }),
    output: z.string(),
    instructions: 'Greet the user warmly.',
    model,
  })
  const quoteAgent = defineAgent({
    slug: 'quote',
    description: 'Quotes a basket',
    input: z.object({ skus: z.array(z.string()).describe('SKUs') }),
    output: z.object({ totalCents: z.number().int().describe('Sum'), note: z.string().min(2).describe('Note') }),
    instructions: 'Price every SKU with get-price, then give the total.',
    tools: [priceTool],
    model,
  })

  it('answers plain text (non-streaming) with usage and cost', async () => {
    mock.setScript([
      {
        match: /Greet the user/,
        reply: { text: 'Hello, Ada!', usage: { inputTokens: 1000, outputTokens: 200, cachedTokens: 400 } },
      },
    ])
    const sink = recordingSink()
    const result = await runAgent(textAgent, { name: 'Ada' }, { providers, sink, stream: false })
    expect(result.status).toBe('succeeded')
    expect(result.output).toBe('Hello, Ada!')
    expect(result.usage).toMatchObject({ inputTokens: 1000, outputTokens: 200, cachedTokens: 400, modelCalls: 1 })
    expect(result.usage.costUsd).toBeGreaterThan(0)
    const call = sink.ofType('model-call')[0]
    expect(call).toMatchObject({ model, inputTokens: 1000, outputTokens: 200, cachedTokens: 400, attempt: 1 })
    expect(call?.latencyMs).toBeGreaterThan(0)
    expect(mock.requests[0]?.api).toBe(api)
    expect(mock.requests[0]?.system).toContain('Greet the user warmly.')
    expect(mock.requests[0]?.stream).toBe(false)
  })

  it('streams text deltas to the listener', async () => {
    mock.setScript([{ reply: { text: 'Hello there, streaming world!', chunkSize: 5 } }])
    const deltas: string[] = []
    const result = await runAgent(
      textAgent,
      { name: 'Ada' },
      {
        providers,
        onEvent: (event) => event.type === 'text-delta' && deltas.push(event.delta),
      },
    )
    expect(result.output).toBe('Hello there, streaming world!')
    expect(deltas.length).toBeGreaterThan(3)
    expect(deltas.join('')).toBe('Hello there, streaming world!')
    expect(mock.requests[0]?.stream).toBe(true)
    expect(result.usage.outputTokens).toBeGreaterThan(0)
  })

  for (const stream of [false, true]) {
    it(`runs a single tool call, then parallel tool calls, then structured output (stream: ${stream})`, async () => {
      mock.setScript([
        { reply: { toolCalls: [{ name: 'get-price', arguments: { sku: 'AB' } }] } },
        {
          reply: {
            toolCalls: [
              { name: 'get-price', arguments: { sku: 'ABC' } },
              { name: 'get-price', arguments: { sku: 'ABCD' } },
            ],
          },
        },
        { reply: (req) => ({ json: { totalCents: req.toolResults.length * 300, note: 'three tools' } }) },
      ])
      const sink = recordingSink()
      const result = await runAgent(quoteAgent, { skus: ['AB', 'ABC', 'ABCD'] }, { providers, sink, stream })
      expect(result.status).toBe('succeeded')
      expect(result.output).toEqual({ totalCents: 900, note: 'three tools' })
      expect(result.steps).toBe(3)
      expect(sink.ofType('tool-call').map((c) => c.output)).toEqual([
        { sku: 'AB', cents: 200 },
        { sku: 'ABC', cents: 300 },
        { sku: 'ABCD', cents: 400 },
      ])
      // the last request carried every tool result and asked for the JSON schema
      const last = mock.requests.at(-1)
      expect(last?.toolResults.map((r) => JSON.parse(r.content).cents)).toEqual([200, 300, 400])
      expect(last?.jsonSchema).toMatchObject({ type: 'object', required: ['totalCents', 'note'] })
      expect(last?.tools).toEqual(['get-price'])
    })
  }

  it('repairs invalid structured output once, sending the issues back', async () => {
    mock.setScript([
      { reply: { json: { totalCents: 'lots', note: 'x' } } },
      { reply: { json: { totalCents: 5, note: 'ok' } } },
    ])
    const result = await runAgent(quoteAgent, { skus: [] }, { providers })
    expect(result.status).toBe('succeeded')
    expect(result.output).toEqual({ totalCents: 5, note: 'ok' })
    expect(mock.requests[1]?.lastUserText).toMatch(/totalCents: .*number/)
    expect(mock.requests[1]?.lastUserText).toMatch(/note: /)
  })

  it('fails with the issues after a second invalid output', async () => {
    mock.setScript([{ reply: { json: { totalCents: 1.5, note: 'ok' } } }, { reply: { text: 'I cannot' } }])
    const result = await runAgent(quoteAgent, { skus: [] }, { providers })
    expect(result.status).toBe('failed')
    expect(result.error?.code).toBe('invalid-output')
    expect(result.error?.issues?.[0]?.message).toMatch(/JSON/)
    expect(mock.requests).toHaveLength(2)
  })

  it('answers offline with a schema-valid, clearly marked output when nothing is scripted', async () => {
    const result = await runAgent(quoteAgent, { skus: ['A'] }, { providers })
    expect(result.status).toBe('succeeded')
    expect(result.output).toEqual({ totalCents: 0, note: 'offline-mock' })
    expect(result.state.outputModel).toBe(OFFLINE_MODEL)
    const text = await runAgent(textAgent, { name: 'Ada' }, { providers })
    expect(text.output).toMatch(/^\[offline-mock\]/)
  })

  it('retries a 429 after the retry-after delay, then succeeds', async () => {
    mock.setScript([{ reply: { fault: 'rate-limit', retryAfter: 0.3 } }, { reply: { text: 'after wait' } }])
    const sink = recordingSink()
    const started = Date.now()
    const result = await runAgent(textAgent, { name: 'x' }, { providers, sink, ...fast })
    expect(result.output).toBe('after wait')
    expect(Date.now() - started).toBeGreaterThanOrEqual(290)
    const attempts = sink.ofType('model-call')
    expect(attempts.map((a) => [a.attempt, a.error?.status])).toEqual([
      [1, 429],
      [2, undefined],
    ])
    expect(attempts[0]?.error?.kind).toBe('rate-limit')
  })

  it.each([
    ['500', { fault: 'server-error' as const }, 'server'],
    ['slow response', { text: 'too late', delayMs: 1_000 }, 'timeout'],
    ['dropped connection', { fault: 'drop' as const }, 'connection'],
    ['dropped mid-stream', { fault: 'drop' as const, midStream: true }, 'connection'],
    ['malformed JSON', { fault: 'malformed' as const }, 'malformed-response'],
    ['malformed stream', { fault: 'malformed' as const, stream: true }, 'malformed-response'],
  ])('retries after a %s', async (_label, fault, kind) => {
    const { stream: _ignored, ...reply } = fault as typeof fault & { stream?: boolean }
    mock.setScript([{ reply }, { reply: { text: 'recovered' } }])
    const sink = recordingSink()
    const stream = 'midStream' in fault || 'stream' in fault
    const result = await runAgent(
      textAgent,
      { name: 'x' },
      {
        providers,
        sink,
        stream,
        retry: { ...fast.retry, requestTimeoutMs: 300 },
      },
    )
    expect(result.status).toBe('succeeded')
    expect(result.output).toBe('recovered')
    const attempts = sink.ofType('model-call')
    expect(attempts).toHaveLength(2)
    expect(attempts[0]?.error?.kind).toBe(kind)
    if ('midStream' in fault) {
      // the partial text of the broken stream is tagged with its attempt, so a UI can drop it
      const deltas = sink.ofType('text-delta')
      expect(deltas.filter((d) => d.attempt === 1).map((d) => d.delta)).toEqual(['partial'])
      expect(
        deltas
          .filter((d) => d.attempt === 2)
          .map((d) => d.delta)
          .join(''),
      ).toBe('recovered')
    }
  })

  it('fails at once on 400 and 401 with the provider message', async () => {
    for (const status of [400, 401]) {
      mock.reset()
      mock.setScript([{ reply: { fault: 'http-error', status, message: `mock says ${status}` } }])
      const result = await runAgent(textAgent, { name: 'x' }, { providers, ...fast, model: [model, backup] })
      expect(result.status).toBe('failed')
      expect(result.error?.code).toBe('provider')
      expect(result.error?.message).toContain(`mock says ${status}`)
      expect(result.error?.attempts).toHaveLength(1)
      expect(mock.requests).toHaveLength(1)
    }
  })

  it('falls back to the next model of the chain after retries, recording every attempt', async () => {
    const primary = model.split(':')[1] as string
    mock.setScript([{ model: primary, match: () => true, reply: { fault: 'server-error', status: 503 } }])
    const sink = recordingSink()
    const result = await runAgent(
      textAgent,
      { name: 'x' },
      {
        providers,
        sink,
        model: [model, backup],
        retry: { ...fast.retry, maxRetries: 2 },
      },
    )
    expect(result.status).toBe('succeeded')
    expect(
      sink.ofType('model-call').map((a) => `${a.model}#${a.attempt}${a.error ? `:${a.error.status}` : ''}`),
    ).toEqual([`${model}#1:503`, `${model}#2:503`, `${model}#3:503`, `${backup}#1`])
    expect(result.state.outputModel).toBe(OFFLINE_MODEL)
  })

  it('fails with all attempts when every model keeps failing', async () => {
    mock.setScript([{ match: () => true, reply: { fault: 'rate-limit', retryAfterMs: 1 } }])
    const result = await runAgent(
      textAgent,
      { name: 'x' },
      { providers, model: [model, backup], retry: { ...fast.retry, maxRetries: 1 } },
    )
    expect(result.status).toBe('failed')
    expect(result.error?.attempts?.map((a) => a.status)).toEqual([429, 429, 429, 429])
    expect(result.error?.message).toMatch(/All models failed after 4 attempts/)
  })

  it('stops when the token budget is exhausted', async () => {
    mock.setScript([
      {
        match: () => true,
        reply: {
          toolCalls: [{ name: 'get-price', arguments: { sku: 'A' } }],
          usage: { inputTokens: 400, outputTokens: 100 },
        },
      },
    ])
    const result = await runAgent(quoteAgent, { skus: ['A'] }, { providers, budget: { maxTokens: 1_200 } })
    expect(result.status).toBe('failed')
    expect(result.error?.code).toBe('budget-exceeded')
    expect(result.error?.message).toMatch(/token budget exhausted: 1500 of 1200/)
    expect(mock.requests).toHaveLength(3)
  })

  it('times out a run on a slow model and cancels on abort, without hanging', async () => {
    mock.setScript([{ match: () => true, reply: { text: 'late', delayMs: 5_000 } }])
    const started = Date.now()
    const timedOut = await runAgent(textAgent, { name: 'x' }, { providers, timeoutMs: 200 })
    expect(timedOut.status).toBe('failed')
    expect(timedOut.error?.code).toBe('timeout')

    const controller = new AbortController()
    setTimeout(() => controller.abort(), 100)
    const cancelled = await runAgent(textAgent, { name: 'x' }, { providers, signal: controller.signal })
    expect(cancelled.status).toBe('cancelled')
    expect(Date.now() - started).toBeLessThan(2_000)
  })

  it('uses per-call provider options (e.g. a tenant API key)', async () => {
    mock.setScript([{ reply: { text: 'hi' } }])
    await runAgent(textAgent, { name: 'x' }, { providers, providerOptions: { [api]: { apiKey: 'tenant-key-123' } } })
    const headers = mock.requests[0]?.headers ?? {}
    expect(`${headers.authorization} ${headers['x-api-key']}`).toContain('tenant-key-123')
  })
})

describe('default provider registry', () => {
  it('reads base URL and API key from the environment', async () => {
    const saved = { ...process.env }
    process.env.OPENAI_BASE_URL = mock.openaiBaseURL
    process.env.ANTHROPIC_BASE_URL = mock.anthropicBaseURL
    delete process.env.OPENAI_API_KEY
    delete process.env.ANTHROPIC_API_KEY
    try {
      const registry = defaultProviderRegistry()
      const agent = defineAgent({
        slug: 'env',
        description: 'env',
        input: z.object({}),
        output: z.string(),
        instructions: 'hi',
        model: ['openai:gpt-5.4-mini'],
      })
      const viaOpenAI = await runAgent(agent, {}, { providers: registry })
      const viaAnthropic = await runAgent(agent, {}, { providers: registry, model: 'anthropic:claude-haiku-4-5' })
      expect(viaOpenAI.output).toMatch(/offline-mock/)
      expect(viaAnthropic.output).toMatch(/offline-mock/)
      delete process.env.OPENAI_BASE_URL
      delete process.env.ANTHROPIC_BASE_URL
      await expect(runAgent(agent, {}, { providers: defaultProviderRegistry() })).rejects.toThrow(/OPENAI_API_KEY/)
      // pnpm dev without keys: MOCK_LLM_URL sends both providers to the offline mock
      process.env.MOCK_LLM_URL = mock.url
      const dev = defaultProviderRegistry()
      expect((await runAgent(agent, {}, { providers: dev })).output).toMatch(/offline-mock/)
      const claude = await runAgent(agent, {}, { providers: dev, model: 'anthropic:claude-haiku-4-5' })
      expect(claude.output).toMatch(/offline-mock/)
    } finally {
      process.env = saved
    }
  })
})
