import { describe, expect, it } from 'vitest'
import { z } from 'zod'
import { AgentInputError, defineAgent } from './agent.ts'
import { recordingSink } from './events.ts'
import { createProviderRegistry, UnknownModelError } from './providers/registry.ts'
import { ProviderError } from './providers/types.ts'
import { applyRun, resumeRun, runAgent, stateFromSteps } from './run.ts'
import type { RunState } from './state.ts'
import { stubProvider } from './testing/stub-provider.ts'
import { defineTool } from './tool.ts'
import { memoryBudgetGuard } from './usage.ts'

const summary = z.object({
  title: z.string().min(3).describe('Short title'),
  words: z.number().int().describe('Word count'),
})

const lookup = defineTool({
  id: 'lookup-word',
  description: 'Looks a word up',
  input: z.object({ word: z.string().describe('The word') }),
  output: z.object({ length: z.number() }),
  execute: ({ word }) => ({ length: word.length }),
})

function setup(replies: Parameters<typeof stubProvider>[0] = {}) {
  const stub = stubProvider(replies)
  const providers = createProviderRegistry().register('stub', stub)
  return { stub, providers }
}

function makeAgent(overrides: Partial<Parameters<typeof defineAgent>[0]> = {}) {
  return defineAgent({
    slug: 'summarise',
    description: 'Summarises a text',
    input: z.object({ text: z.string().min(1).describe('Text to summarise') }),
    output: summary,
    instructions: 'Summarise the text.',
    tools: [lookup],
    model: 'stub:fast',
    ...overrides,
  })
}

describe('runAgent', () => {
  it('refuses invalid input with the zod issues before anything runs', async () => {
    const { stub, providers } = setup()
    const sink = recordingSink()
    const error = await runAgent(makeAgent(), { text: '' }, { providers, sink }).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(AgentInputError)
    expect((error as AgentInputError).issues[0]?.path).toEqual(['text'])
    expect((error as Error).message).toContain('text:')
    expect(stub.calls).toHaveLength(0)
    expect(sink.events).toHaveLength(0)
  })

  it('names the registered providers when the model string is unknown', async () => {
    const { providers } = setup()
    const agent = makeAgent({ model: 'nope:model' })
    await expect(runAgent(agent, { text: 'hi' }, { providers })).rejects.toThrow(/Unknown provider "nope".*stub/)
    await expect(runAgent(agent, { text: 'hi' }, { providers })).rejects.toBeInstanceOf(UnknownModelError)
  })

  it('drives tool calls, runs parallel calls concurrently and returns typed output', async () => {
    let running = 0
    let maxRunning = 0
    const slow = defineTool({
      id: 'slow-lookup',
      description: 'Slow lookup',
      input: z.object({ word: z.string() }),
      execute: async ({ word }) => {
        running += 1
        maxRunning = Math.max(maxRunning, running)
        await new Promise((resolve) => setTimeout(resolve, 30))
        running -= 1
        return { word, ok: true }
      },
    })
    const { stub, providers } = setup({
      replies: [
        {
          toolCalls: [
            { id: 'a', name: 'slow-lookup', arguments: '{"word":"one"}' },
            { id: 'b', name: 'slow-lookup', arguments: '{"word":"two"}' },
          ],
        },
        { text: '{"title":"Two words","words":2}' },
      ],
    })
    const sink = recordingSink()
    const result = await runAgent(makeAgent({ tools: [slow] }), { text: 'one two' }, { providers, sink })
    expect(result.status).toBe('succeeded')
    expect(result.output).toEqual({ title: 'Two words', words: 2 })
    expect(result.steps).toBe(2)
    expect(maxRunning).toBe(2)
    const calls = sink.ofType('tool-call')
    expect(calls.map((c) => c.input)).toEqual([{ word: 'one' }, { word: 'two' }])
    // the second model call saw both results, in order
    const toolMessages = stub.calls[1]?.messages.filter((m) => m.role === 'tool')
    expect(toolMessages?.map((m) => (m.role === 'tool' ? m.toolCallId : ''))).toEqual(['a', 'b'])
    expect(result.usage.toolCalls).toBe(2)
    expect(result.usage.modelCalls).toBe(2)
  })

  it('returns tool failures, invalid arguments and unknown tools to the model as data', async () => {
    const failing = defineTool({
      id: 'failing',
      description: 'Always fails',
      input: z.object({ n: z.number() }),
      execute: () => {
        throw new Error('database unreachable')
      },
    })
    const soft = defineTool({
      id: 'soft',
      description: 'Returns an error',
      input: z.object({}),
      execute: () => ({ isError: true as const, message: 'no such product' }),
    })
    const { stub, providers } = setup({
      replies: [
        {
          toolCalls: [
            { id: '1', name: 'failing', arguments: '{"n":1}' },
            { id: '2', name: 'failing', arguments: '{"n":"x"}' },
            { id: '3', name: 'soft', arguments: '{}' },
            { id: '4', name: 'missing', arguments: '{}' },
          ],
        },
      ],
    })
    const sink = recordingSink()
    const result = await runAgent(makeAgent({ tools: [failing, soft] }), { text: 'x' }, { providers, sink })
    expect(result.status).toBe('succeeded')
    const results = stub.calls[1]?.messages.filter((m) => m.role === 'tool') ?? []
    const contents = results.map((m) => JSON.parse(m.role === 'tool' ? m.content : '{}'))
    expect(contents[0]).toEqual({ isError: true, message: 'database unreachable' })
    expect(contents[1].message).toMatch(/Invalid arguments for tool "failing"[\s\S]*n:/)
    expect(contents[2]).toEqual({ isError: true, message: 'no such product' })
    expect(contents[3].message).toMatch(/Unknown tool "missing". Available tools: failing, soft/)
    expect(sink.ofType('tool-call').every((c) => c.isError)).toBe(true)
  })

  it('repairs invalid output once by sending the zod issues back', async () => {
    const { stub, providers } = setup({
      replies: [{ text: '{"title":"x","words":"many"}' }, { text: '{"title":"Fixed","words":3}' }],
    })
    const result = await runAgent(makeAgent(), { text: 'a b c' }, { providers })
    expect(result.status).toBe('succeeded')
    expect(result.output).toEqual({ title: 'Fixed', words: 3 })
    expect(result.state.repaired).toBe(true)
    const repair = stub.calls[1]?.messages.at(-1)
    expect(repair?.role).toBe('user')
    expect(repair?.content).toMatch(/title: .*3/)
    expect(repair?.content).toMatch(/words: /)
  })

  it('fails with the validation issues when the repaired output is still invalid', async () => {
    const { providers } = setup({ replies: [{ text: 'not json' }, { text: '{"title":"ok!"}' }] })
    const sink = recordingSink()
    const result = await runAgent(makeAgent(), { text: 'a' }, { providers, sink })
    expect(result.status).toBe('failed')
    expect(result.error?.code).toBe('invalid-output')
    expect(result.error?.issues).toEqual([{ path: 'words', message: expect.any(String) }])
    expect(sink.ofType('failed')[0]?.error.issues?.[0]?.path).toBe('words')
  })

  it('stops at the step limit', async () => {
    const loop = { toolCalls: [{ id: 'x', name: 'lookup-word', arguments: '{"word":"a"}' }] }
    const { providers } = setup({ replies: [loop, loop, loop, loop] })
    const result = await runAgent(makeAgent({ maxSteps: 3 }), { text: 'a' }, { providers })
    expect(result.status).toBe('failed')
    expect(result.error?.code).toBe('max-steps')
    expect(result.steps).toBe(3)
  })

  it('times out a run whose tool never finishes, and cancels on abort', async () => {
    const hang = defineTool({
      id: 'hang',
      description: 'Never returns',
      input: z.object({}),
      execute: () => new Promise(() => undefined),
    })
    const replies = [{ toolCalls: [{ id: 'h', name: 'hang', arguments: '{}' }] }]
    const agent = makeAgent({ tools: [hang] })
    const started = Date.now()
    const timedOut = await runAgent(agent, { text: 'a' }, { providers: setup({ replies }).providers, timeoutMs: 100 })
    expect(timedOut.status).toBe('failed')
    expect(timedOut.error?.code).toBe('timeout')
    expect(Date.now() - started).toBeLessThan(2_000)

    const controller = new AbortController()
    setTimeout(() => controller.abort(new Error('user pressed stop')), 50)
    const sink = recordingSink()
    const cancelled = await runAgent(
      agent,
      { text: 'a' },
      {
        providers: setup({ replies }).providers,
        signal: controller.signal,
        sink,
      },
    )
    expect(cancelled.status).toBe('cancelled')
    expect(cancelled.error?.message).toBe('user pressed stop')
    expect(sink.ofType('cancelled')[0]?.reason).toBe('user pressed stop')
  })

  it('stops when the run budget is exhausted, with a clear reason', async () => {
    const loop = {
      toolCalls: [{ id: 'x', name: 'lookup-word', arguments: '{"word":"a"}' }],
      usage: { inputTokens: 600, outputTokens: 100, cachedTokens: 0 },
    }
    const { stub, providers } = setup({ replies: [loop, loop, loop] })
    const result = await runAgent(makeAgent(), { text: 'a' }, { providers, budget: { maxTokens: 1000 } })
    expect(result.status).toBe('failed')
    expect(result.error?.code).toBe('budget-exceeded')
    expect(result.error?.message).toMatch(/1400 of 1000 tokens/)
    expect(stub.calls).toHaveLength(2)
  })

  it('checks scope budget guards before each call and records spending', async () => {
    const guard = memoryBudgetGuard({ maxCostUsd: 0.001 })
    const prices = { 'stub:fast': { input: 1000, output: 0 } } // $0.001 per token
    const { stub, providers } = setup()
    const first = await runAgent(
      makeAgent(),
      { text: 'a' },
      { providers, tenant: 'acme', budgetGuards: [guard], prices },
    )
    expect(first.status).toBe('succeeded')
    expect(first.usage.costUsd).toBeCloseTo(0.01)
    expect(guard.spent('acme').costUsd).toBeCloseTo(0.01)
    const second = await runAgent(
      makeAgent(),
      { text: 'a' },
      { providers, tenant: 'acme', budgetGuards: [guard], prices },
    )
    expect(second.status).toBe('failed')
    expect(second.error?.message).toMatch(/acme: cost budget exhausted/)
    expect(stub.calls).toHaveLength(1)
    const other = await runAgent(
      makeAgent(),
      { text: 'a' },
      { providers, tenant: 'other', budgetGuards: [guard], prices },
    )
    expect(other.status).toBe('succeeded')
  })

  it('emits typed events in order to the sink and streams text deltas to the listener', async () => {
    const { providers } = setup({
      replies: [
        { toolCalls: [{ id: 't', name: 'lookup-word', arguments: '{"word":"abc"}' }] },
        { text: '{"title":"Done","words":1}' },
      ],
    })
    const sink = recordingSink()
    const deltas: string[] = []
    await runAgent(
      makeAgent(),
      { text: 'abc' },
      {
        providers,
        sink,
        onEvent: (event) => {
          if (event.type === 'text-delta') deltas.push(event.delta)
        },
      },
    )
    const types = sink.events.map((e) => e.type).filter((t) => t !== 'text-delta')
    expect(types).toEqual([
      'run-started',
      'step',
      'model-call',
      'step',
      'tool-call',
      'step',
      'model-call',
      'step',
      'output',
      'run-finished',
    ])
    expect(deltas.join('')).toBe('{"title":"Done","words":1}')
    const call = sink.ofType('model-call')[0]
    expect(call).toMatchObject({ model: 'stub:fast', responseModel: 'offline-mock', attempt: 1, inputTokens: 10 })
    expect(sink.ofType('tool-call')[0]).toMatchObject({ tool: 'lookup-word', output: { length: 3 }, isError: false })
  })

  it('waits for approval, then applies once via applyRun', async () => {
    const applied: unknown[] = []
    const agent = defineAgent({
      slug: 'summarise',
      description: 'Summarises a text',
      input: z.object({ text: z.string() }),
      output: summary,
      instructions: 'Summarise the text.',
      model: 'stub:fast',
      approval: (output) => output.words > 2,
      apply: (output) => {
        applied.push(output)
        return { documentId: 'doc-1' }
      },
    })
    const { providers } = setup({
      replies: [{ text: '{"title":"Long one","words":5}' }, { text: '{"title":"Tiny","words":1}' }],
    })
    const waiting = await runAgent(agent, { text: 'a' }, { providers })
    expect(waiting.status).toBe('awaiting-approval')
    expect(waiting.applied).toBe(false)
    expect(applied).toHaveLength(0)

    // later, in another process: the state came back from rows as JSON
    const stored = JSON.parse(JSON.stringify(waiting.state)) as RunState
    const sink = recordingSink()
    const done = await applyRun(agent, stored, { sink })
    expect(done.status).toBe('succeeded')
    expect(done.applyResult).toEqual({ documentId: 'doc-1' })
    expect(sink.ofType('applied')[0]?.result).toEqual({ documentId: 'doc-1' })
    expect(await applyRun(agent, done)).toBe(done)
    expect(applied).toHaveLength(1)

    const auto = await runAgent(agent, { text: 'b' }, { providers })
    expect(auto.status).toBe('succeeded')
    expect(auto.applied).toBe(true)
    expect(applied).toHaveLength(2)
  })

  it('records a failing apply and lets applyRun retry it', async () => {
    let fail = true
    const agent = makeAgent({
      apply: () => {
        if (fail) throw new Error('CMS down')
        return 'ok'
      },
    })
    const { providers } = setup()
    const result = await runAgent(agent, { text: 'a' }, { providers })
    expect(result.status).toBe('failed')
    expect(result.error).toMatchObject({ code: 'apply-failed', message: 'CMS down' })
    fail = false
    const retried = await applyRun(agent, result.state)
    expect(retried.status).toBe('succeeded')
    expect(retried.applyResult).toBe('ok')
  })

  it('resumes a crashed run from its step rows without redoing finished work', async () => {
    const executed: string[] = []
    const tool = defineTool({
      id: 'record',
      description: 'Records',
      input: z.object({ id: z.string() }),
      execute: ({ id }) => {
        executed.push(id)
        return { ok: true }
      },
    })
    const agent = makeAgent({ tools: [tool] })
    const { providers } = setup({
      replies: [{ toolCalls: [{ id: 'c1', name: 'record', arguments: '{"id":"first"}' }] }],
    })
    const sink = recordingSink()
    // a crash right after the model asked for the tool: stop recording there
    const first = await runAgent(agent, { text: 'a' }, { providers, sink, autoApply: false })
    expect(first.status).toBe('succeeded')
    const steps = sink.ofType('step')
    const modelStep = steps.findIndex((s) => s.kind === 'model')
    const rows = steps.slice(0, modelStep + 1)
    const run = { ...first.state, status: 'running' as const, steps: 1, output: undefined }
    const state = stateFromSteps(run, rows)
    expect(state.messages.at(-1)?.role).toBe('assistant')

    executed.length = 0
    const resumedProviders = setup({ replies: [{ text: '{"title":"Resumed","words":2}' }] })
    const resumed = await resumeRun(agent, state, { providers: resumedProviders.providers })
    expect(resumed.status).toBe('succeeded')
    expect(resumed.runId).toBe(first.runId)
    expect(executed).toEqual(['first'])
    expect(resumedProviders.stub.calls).toHaveLength(1)
    expect(resumed.output).toEqual({ title: 'Resumed', words: 2 })
  })

  it('rejects when the sink fails or hangs, so the caller can retry the run', async () => {
    const { providers } = setup()
    const failing = { emit: () => Promise.reject(new Error('database is down')) }
    await expect(runAgent(makeAgent(), { text: 'a' }, { providers, sink: failing })).rejects.toThrow('database is down')
    const hanging = { emit: () => new Promise<void>(() => undefined) }
    const started = Date.now()
    await expect(runAgent(makeAgent(), { text: 'a' }, { providers, sink: hanging, sinkTimeoutMs: 50 })).rejects.toThrow(
      /did not answer within 50 ms/,
    )
    expect(Date.now() - started).toBeLessThan(1_000)
  })

  it('accepts plain text output for z.string() agents', async () => {
    const agent = defineAgent({
      slug: 'chat',
      description: 'Chats',
      input: z.object({ q: z.string() }),
      output: z.string(),
      instructions: (input) => `Answer: ${input.q}`,
      model: 'stub:fast',
    })
    const { stub, providers } = setup({ replies: [{ text: 'Hello there' }] })
    const result = await runAgent(agent, { q: 'hi' }, { providers })
    expect(result.output).toBe('Hello there')
    expect(stub.calls[0]?.output).toBeUndefined()
    expect(stub.calls[0]?.messages[0]).toEqual({ role: 'system', content: 'Answer: hi' })
  })

  it('fails with every attempt recorded when a provider keeps failing', async () => {
    const broken = {
      id: 'broken',
      generate: async () => {
        throw new ProviderError({ message: 'overloaded', kind: 'server', status: 503, provider: 'broken', model: 'm' })
      },
    }
    const { providers } = setup()
    providers.register('broken', broken)
    const agent = makeAgent({ model: ['broken:m', 'broken:n'] })
    const result = await runAgent(agent, { text: 'a' }, { providers, retry: { maxRetries: 1, baseDelayMs: 1 } })
    expect(result.status).toBe('failed')
    expect(result.error?.code).toBe('provider')
    expect(result.error?.attempts?.map((a) => `${a.model}#${a.attempt}:${a.status}`)).toEqual([
      'broken:m#1:503',
      'broken:m#2:503',
      'broken:n#1:503',
      'broken:n#2:503',
    ])
  })
})

describe('model chains with an unconfigured provider', () => {
  it('leaves out a fallback whose provider has no API key, and fails only when none is usable', async () => {
    const registry = createProviderRegistry()
    registry.register('stub', stubProvider({ replies: [{ text: 'hello' }] }))
    registry.register('keyless', () => {
      throw new Error('keyless provider: no API key')
    })
    const agent = defineAgent({
      slug: 'chain-test',
      description: 'test',
      input: z.object({}),
      output: z.string(),
      instructions: 'say hello',
      model: ['stub:any', 'keyless:model'],
    })
    const result = await runAgent(agent, {}, { providers: registry })
    expect(result.status).toBe('succeeded')
    await expect(runAgent(agent, {}, { providers: registry, model: ['keyless:model'] })).rejects.toThrow(/no API key/)
  })
})
