import { tool as langchainTool } from '@langchain/core/tools'
import { ChatOpenAI } from '@langchain/openai'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { z } from 'zod'
import { defineAgent } from '../agent.ts'
import { recordingSink } from '../events.ts'
import { runAgent } from '../run.ts'
import { type MockLLM, startMockLLM } from '../testing/mock-llm.ts'
import { defineTool, executeTool } from '../tool.ts'
import { fromLangChainTool, langchainProvider, toLangChainTool } from './langchain.ts'
import { createProviderRegistry, type ProviderRegistry } from './registry.ts'

let mock: MockLLM
let providers: ProviderRegistry

// a real LangChain chat model talking HTTP to the mock; LangChain's own retries off
const chatModel = (model: string) =>
  new ChatOpenAI({ model, apiKey: 'test-key', configuration: { baseURL: mock.openaiBaseURL }, maxRetries: 0 })

beforeAll(async () => {
  mock = await startMockLLM()
  providers = createProviderRegistry()
    .register('lc', langchainProvider(chatModel))
    .register('lc-json', langchainProvider(chatModel, { id: 'lc-json', structuredOutput: 'response_format' }))
})
afterAll(() => mock.close())
beforeEach(() => mock.reset())

const fast = { retry: { baseDelayMs: 5, maxDelayMs: 20, requestTimeoutMs: 2_000 } }

const stockTool = defineTool({
  id: 'stock-level',
  description: 'Units in stock for a SKU',
  input: z.object({ sku: z.string().describe('SKU') }),
  execute: ({ sku }) => ({ sku, units: sku === 'OUT' ? 0 : 7 }),
})

const restock = defineAgent({
  slug: 'restock',
  description: 'Decides what to restock',
  input: z.object({ skus: z.array(z.string()).describe('SKUs to check') }),
  output: z.object({ reorder: z.array(z.string()).describe('SKUs to reorder') }),
  instructions: 'Check stock levels and list SKUs to reorder.',
  tools: [stockTool],
  model: 'lc:gpt-5.4-mini',
})

const chat = defineAgent({
  slug: 'lc-chat',
  description: 'Chats',
  input: z.object({ q: z.string() }),
  output: z.string(),
  instructions: 'Answer briefly.',
  model: 'lc:gpt-5.4-mini',
})

describe('LangChain adapter (ChatOpenAI over HTTP to the mock)', () => {
  it('answers plain text with usage', async () => {
    mock.setScript([{ reply: { text: 'Forty-two.', usage: { inputTokens: 50, outputTokens: 3 } } }])
    const result = await runAgent(chat, { q: 'meaning?' }, { providers, stream: false })
    expect(result.output).toBe('Forty-two.')
    expect(result.usage).toMatchObject({ inputTokens: 50, outputTokens: 3 })
    expect(mock.requests[0]?.system).toBe('Answer briefly.')
  })

  it('streams text deltas', async () => {
    mock.setScript([{ reply: { text: 'A streamed LangChain answer', chunkSize: 4 } }])
    const deltas: string[] = []
    const result = await runAgent(
      chat,
      { q: 'x' },
      { providers, onEvent: (e) => e.type === 'text-delta' && deltas.push(e.delta) },
    )
    expect(result.output).toBe('A streamed LangChain answer')
    expect(deltas.length).toBeGreaterThan(3)
    expect(deltas.join('')).toBe('A streamed LangChain answer')
    expect(mock.requests[0]?.stream).toBe(true)
  })

  for (const stream of [false, true]) {
    it(`binds tools, runs single and parallel calls, and repairs structured output (stream: ${stream})`, async () => {
      mock.setScript([
        { reply: { toolCalls: [{ name: 'stock-level', arguments: { sku: 'A' } }] } },
        {
          reply: {
            toolCalls: [
              { name: 'stock-level', arguments: { sku: 'OUT' } },
              { name: 'stock-level', arguments: { sku: 'B' } },
            ],
          },
        },
        { reply: { text: '{"reorder": "OUT"}' } },
        { reply: { text: '{"reorder": ["OUT"]}' } },
      ])
      const sink = recordingSink()
      const result = await runAgent(restock, { skus: ['A', 'OUT', 'B'] }, { providers, sink, stream })
      expect(result.status).toBe('succeeded')
      expect(result.output).toEqual({ reorder: ['OUT'] })
      expect(result.state.repaired).toBe(true)
      expect(sink.ofType('tool-call').map((c) => c.output)).toEqual([
        { sku: 'A', units: 7 },
        { sku: 'OUT', units: 0 },
        { sku: 'B', units: 7 },
      ])
      expect(mock.requests[0]?.tools).toEqual(['stock-level'])
      // structured output requested through the prompt: the schema is in the system message
      expect(mock.requests[0]?.system).toContain('"reorder"')
      expect(mock.requests[3]?.lastUserText).toMatch(/reorder: .*array/)
    })
  }

  it('gets a schema-valid offline reply when the schema is in the prompt', async () => {
    const result = await runAgent(restock, { skus: [] }, { providers })
    expect(result.status).toBe('succeeded')
    expect(result.output).toEqual({ reorder: [] })
    expect(result.state.outputModel).toBe('offline-mock')
  })

  it('can request structured output with response_format (schema-valid offline reply)', async () => {
    const result = await runAgent(restock, { skus: [] }, { providers, model: 'lc-json:gpt-5.4-mini' })
    expect(result.status).toBe('succeeded')
    expect(result.output).toEqual({ reorder: [] })
    expect(mock.requests[0]?.jsonSchema).toMatchObject({ type: 'object' })
    expect(result.state.outputModel).toBe('offline-mock')
  })

  it.each([
    ['429', { fault: 'rate-limit' as const, retryAfterMs: 50 }, 'rate-limit'],
    ['500', { fault: 'server-error' as const }, 'server'],
    ['dropped connection', { fault: 'drop' as const }, 'connection'],
  ])('retries after a %s', async (_label, fault, kind) => {
    mock.setScript([{ reply: fault }, { reply: { text: 'ok now' } }])
    const sink = recordingSink()
    const result = await runAgent(chat, { q: 'x' }, { providers, sink, stream: false, ...fast })
    expect(result.output).toBe('ok now')
    expect(sink.ofType('model-call')[0]?.error?.kind).toBe(kind)
  })

  it('fails at once on 401 and falls back on repeated 500s', async () => {
    mock.setScript([{ reply: { fault: 'http-error', status: 401, message: 'bad key (mock)' } }])
    const denied = await runAgent(chat, { q: 'x' }, { providers, ...fast, model: ['lc:a', 'lc:b'] })
    expect(denied.status).toBe('failed')
    expect(denied.error?.message).toContain('bad key (mock)')
    expect(denied.error?.attempts).toHaveLength(1)

    mock.reset()
    mock.setScript([{ model: 'a', match: () => true, reply: { fault: 'server-error' } }])
    const sink = recordingSink()
    const fallback = await runAgent(
      chat,
      { q: 'x' },
      { providers, sink, model: ['lc:a', 'lc:b'], retry: { ...fast.retry, maxRetries: 1 } },
    )
    expect(fallback.status).toBe('succeeded')
    expect(sink.ofType('model-call').map((c) => `${c.model}#${c.attempt}`)).toEqual(['lc:a#1', 'lc:a#2', 'lc:b#1'])
  })

  it('honours budget, timeout and cancellation', async () => {
    mock.setScript([
      { match: () => true, reply: { text: 'slow', delayMs: 3_000, usage: { inputTokens: 10, outputTokens: 10 } } },
    ])
    const timedOut = await runAgent(chat, { q: 'x' }, { providers, timeoutMs: 150 })
    expect(timedOut.error?.code).toBe('timeout')
    const controller = new AbortController()
    setTimeout(() => controller.abort(), 80)
    const cancelled = await runAgent(chat, { q: 'x' }, { providers, signal: controller.signal })
    expect(cancelled.status).toBe('cancelled')

    mock.reset()
    mock.setScript([
      {
        match: () => true,
        reply: {
          toolCalls: [{ name: 'stock-level', arguments: { sku: 'A' } }],
          usage: { inputTokens: 90, outputTokens: 10 },
        },
      },
    ])
    const broke = await runAgent(restock, { skus: ['A'] }, { providers, budget: { maxTokens: 150 } })
    expect(broke.error?.code).toBe('budget-exceeded')
    expect(mock.requests).toHaveLength(2)
  })
})

describe('LangChain tool conversion', () => {
  it('turns our tool into a LangChain tool that returns failures as data', async () => {
    const lc = toLangChainTool(stockTool)
    expect(lc.name).toBe('stock-level')
    expect(JSON.parse(await lc.invoke({ sku: 'OUT' }))).toEqual({ sku: 'OUT', units: 0 })
    const failing = toLangChainTool(
      defineTool({
        id: 'boom',
        description: 'fails',
        input: z.object({}),
        execute: () => {
          throw new Error('kaput')
        },
      }),
    )
    expect(JSON.parse(await failing.invoke({}))).toEqual({ isError: true, message: 'kaput' })
  })

  it('turns a LangChain tool (zod or JSON schema) into ours, validating input', async () => {
    const zodTool = langchainTool(async ({ a, b }: { a: number; b: number }) => JSON.stringify({ sum: a + b }), {
      name: 'add',
      description: 'Adds',
      schema: z.object({ a: z.number(), b: z.number() }),
    })
    const ours = fromLangChainTool(zodTool)
    const context = {
      runId: 'r',
      agent: 'a',
      signal: new AbortController().signal,
      step: 1,
      toolCallId: 'c',
      services: {},
    }
    expect(await executeTool(ours, '{"a":2,"b":3}', context)).toEqual({ isError: false, output: { sum: 5 } })
    expect((await executeTool(ours, '{"a":"x"}', context)).isError).toBe(true)

    const jsonTool = langchainTool(async (input: { city: string }) => `Sunny in ${input.city}`, {
      name: 'weather',
      description: 'Weather',
      schema: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
    })
    const converted = fromLangChainTool(jsonTool)
    expect(await executeTool(converted, '{"city":"Lyon"}', context)).toEqual({
      isError: false,
      output: 'Sunny in Lyon',
    })
    const invalid = await executeTool(converted, '{}', context)
    expect(invalid.isError && invalid.message).toMatch(/city/)
  })

  it('lets a runtime agent use a converted LangChain tool end to end', async () => {
    const add = fromLangChainTool(
      langchainTool(async ({ a, b }: { a: number; b: number }) => String(a + b), {
        name: 'add',
        description: 'Adds',
        schema: z.object({ a: z.number(), b: z.number() }),
      }),
    )
    const agent = defineAgent({
      slug: 'calc',
      description: 'Calculates',
      input: z.object({}),
      output: z.string(),
      instructions: 'Use add.',
      tools: [add],
      model: 'lc:gpt-5.4-mini',
    })
    mock.setScript([
      { reply: { toolCalls: [{ name: 'add', arguments: { a: 20, b: 22 } }] } },
      { reply: (req) => ({ text: `result ${req.toolResults[0]?.content}` }) },
    ])
    const result = await runAgent(agent, {}, { providers })
    expect(result.output).toBe('result 42')
  })
})
