import { spawn } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { exampleFromSchema } from './json-example.ts'
import { type MockLLM, OFFLINE_MODEL, startMockLLM } from './mock-llm.ts'

// biome-ignore lint/suspicious/noExplicitAny: wire bodies are checked field by field below
const json = async (res: Response): Promise<any> => res.json()

let mock: MockLLM
beforeAll(async () => {
  mock = await startMockLLM()
})
afterAll(() => mock.close())
beforeEach(() => mock.reset())

const openai = (content: string, extra: Record<string, unknown> = {}) =>
  fetch(`${mock.openaiBaseURL}/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ model: 'gpt-x', messages: [{ role: 'user', content }], ...extra }),
  })

const anthropic = (content: string, extra: Record<string, unknown> = {}) =>
  fetch(`${mock.anthropicBaseURL}/v1/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ model: 'claude-x', max_tokens: 10, messages: [{ role: 'user', content }], ...extra }),
  })

describe('mock LLM server', () => {
  it('answers by prompt match (regex, substring, function) before in-order entries', async () => {
    mock.setScript([
      { match: /refund/i, reply: { text: 'refund policy' } },
      { match: 'shipping', reply: { text: 'ships in 2 days' } },
      { match: (req) => req.api === 'anthropic', reply: { text: 'hello claude user' } },
      { reply: { text: 'first in order' } },
      { reply: { text: 'second in order' } },
    ])
    const text = async (res: Response) => {
      const body = await json(res)
      return body.choices?.[0].message.content ?? body.content?.[0].text
    }
    expect(await text(await openai('What is your REFUND policy?'))).toBe('refund policy')
    expect(await text(await openai('shipping?'))).toBe('ships in 2 days')
    expect(await text(await openai('anything'))).toBe('first in order')
    expect(await text(await openai('refund again'))).toBe('refund policy')
    expect(await text(await openai('anything'))).toBe('second in order')
    expect(await text(await anthropic('hi'))).toBe('hello claude user')
    expect(await text(await openai('anything'))).toMatch(/^\[offline-mock\]/)
    expect(mock.requests.map((r) => r.api)).toEqual([
      'openai',
      'openai',
      'openai',
      'openai',
      'openai',
      'anthropic',
      'openai',
    ])
  })

  it('marks unscripted replies as offline and fills requested JSON schemas', async () => {
    const res = await openai('describe the product', {
      response_format: {
        type: 'json_schema',
        json_schema: {
          name: 'p',
          schema: {
            type: 'object',
            properties: {
              title: { type: 'string', minLength: 20 },
              tags: { type: 'array', items: { type: 'string' }, minItems: 2 },
            },
            required: ['title', 'tags'],
          },
        },
      },
    })
    const body = await json(res)
    expect(body.model).toBe(OFFLINE_MODEL)
    const output = JSON.parse(body.choices[0].message.content)
    expect(output.title.length).toBeGreaterThanOrEqual(20)
    expect(output.title).toContain('offline-mock')
    expect(output.tags).toEqual(['offline-mock', 'offline-mock'])

    const claude = await json(await anthropic('hello there'))
    expect(claude.model).toBe(OFFLINE_MODEL)
    expect(claude.content[0].text).toContain('hello there')
  })

  it('injects faults in both wire formats', async () => {
    mock.setScript([
      { reply: { fault: 'rate-limit', retryAfter: 7 } },
      { reply: { fault: 'server-error', status: 503 } },
      { reply: { fault: 'http-error', status: 400, message: 'bad schema' } },
      { reply: { fault: 'malformed' } },
      { reply: { fault: 'drop' } },
    ])
    const limited = await anthropic('x')
    expect(limited.status).toBe(429)
    expect(limited.headers.get('retry-after')).toBe('7')
    expect((await json(limited)).error.type).toBe('rate_limit_error')
    expect((await openai('x')).status).toBe(503)
    const bad = await openai('x')
    expect(bad.status).toBe(400)
    expect((await json(bad)).error.message).toBe('bad schema')
    const malformed = await openai('x')
    await expect(malformed.json()).rejects.toThrow()
    await expect(openai('x')).rejects.toThrow()
  })

  it('streams OpenAI chunks with tool call deltas and usage', async () => {
    mock.setScript([
      {
        reply: {
          text: 'Checking.',
          toolCalls: [{ name: 'lookup', arguments: { q: 'a long query text' }, id: 'call_1' }],
        },
      },
    ])
    const res = await openai('x', { stream: true, stream_options: { include_usage: true } })
    expect(res.headers.get('content-type')).toBe('text/event-stream')
    const events = (await res.text()).split('\n\n').filter(Boolean)
    expect(events.at(-1)).toBe('data: [DONE]')
    const chunks = events.slice(0, -1).map((e) => JSON.parse(e.slice('data: '.length)))
    const args = chunks
      .flatMap((c) => c.choices[0]?.delta.tool_calls ?? [])
      .map((t: { function: { arguments: string } }) => t.function.arguments)
      .join('')
    expect(JSON.parse(args)).toEqual({ q: 'a long query text' })
    expect(chunks.at(-2).choices[0].finish_reason).toBe('tool_calls')
    expect(chunks.at(-1).usage.completion_tokens).toBeGreaterThan(0)
  })

  it('streams Anthropic events with tool_use blocks', async () => {
    mock.setScript([{ reply: { toolCalls: [{ name: 'lookup', arguments: { q: 'z' } }] } }])
    const res = await anthropic('x', { stream: true })
    const names = (await res.text())
      .split('\n\n')
      .filter(Boolean)
      .map((e) => e.split('\n')[0])
    expect(names).toEqual([
      'event: message_start',
      'event: content_block_start',
      'event: content_block_delta',
      'event: content_block_stop',
      'event: message_delta',
      'event: message_stop',
    ])
  })

  it('starts from the command line and logs its URL', async () => {
    const cli = fileURLToPath(new URL('./cli.ts', import.meta.url))
    const child = spawn(process.execPath, ['--import', 'tsx', cli], {
      env: { ...process.env, MOCK_LLM_PORT: '0' },
      cwd: fileURLToPath(new URL('../..', import.meta.url)),
    })
    try {
      const url = await new Promise<string>((resolve, reject) => {
        let out = ''
        child.stdout.on('data', (data: Buffer) => {
          out += data.toString()
          const found = /listening on (http:\/\/\S+)/.exec(out)
          if (found?.[1]) resolve(found[1])
        })
        child.once('exit', (code) => reject(new Error(`cli exited ${code}: ${out}`)))
        setTimeout(() => reject(new Error(`no URL logged: ${out}`)), 15_000)
      })
      expect(await json(await fetch(`${url}/health`))).toMatchObject({ ok: true, offlineModel: OFFLINE_MODEL })
    } finally {
      child.kill('SIGTERM')
    }
  })
})

describe('exampleFromSchema', () => {
  it('satisfies enums, bounds, formats, refs and unions', () => {
    const value = exampleFromSchema({
      type: 'object',
      properties: {
        status: { enum: ['draft', 'published'] },
        price: { type: 'number', exclusiveMinimum: 0 },
        qty: { type: 'integer', minimum: 5, maximum: 9 },
        email: { type: 'string', format: 'email' },
        owner: { $ref: '#/$defs/user' },
        maybe: { anyOf: [{ type: 'null' }, { type: 'boolean' }] },
        optional: { type: 'string' },
      },
      required: ['status', 'price', 'qty', 'email', 'owner', 'maybe'],
      $defs: { user: { type: 'object', properties: { id: { type: 'string', maxLength: 4 } }, required: ['id'] } },
    })
    expect(value).toEqual({
      status: 'draft',
      price: 0.5,
      qty: 5,
      email: 'offline-mock@example.com',
      owner: { id: 'offl' },
      maybe: false,
    })
  })
})
