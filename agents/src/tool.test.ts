import { describe, expect, it } from 'vitest'
import { z } from 'zod'
import { defineTool, executeTool, toolSpec } from './tool.ts'

const context = {
  runId: 'run-1',
  agent: 'test',
  signal: new AbortController().signal,
  step: 1,
  toolCallId: 'c1',
  services: {},
}

const discount = defineTool({
  id: 'apply-discount',
  description: 'Computes a discounted price',
  input: z.object({
    cents: z.number().int().positive().describe('Price in cents'),
    percent: z.number().min(0).max(90).describe('Discount in percent'),
  }),
  output: z.object({ cents: z.number().int() }),
  execute: ({ cents, percent }, ctx) => {
    if (ctx.tenant === 'frozen') return { isError: true, message: 'prices are frozen for this tenant' }
    return { cents: Math.round(cents * (1 - percent / 100)) }
  },
})

describe('defineTool / executeTool', () => {
  it('validates input before execute and passes typed input', async () => {
    expect(await executeTool(discount, '{"cents":1000,"percent":25}', context)).toEqual({
      isError: false,
      output: { cents: 750 },
    })
    const invalid = await executeTool(discount, '{"cents":-5,"percent":95}', context)
    expect(invalid.isError).toBe(true)
    expect(invalid.isError && invalid.message).toMatch(/cents:[\s\S]*percent:/)
    const notJson = await executeTool(discount, '{cents', context)
    expect(notJson).toEqual({ isError: true, message: 'Invalid arguments for tool "apply-discount": not valid JSON' })
  })

  it('returns thrown errors and { isError } results as data', async () => {
    expect(await executeTool(discount, '{"cents":10,"percent":1}', { ...context, tenant: 'frozen' })).toEqual({
      isError: true,
      message: 'prices are frozen for this tenant',
    })
    const throwing = defineTool({
      id: 'throws',
      description: 'x',
      input: z.object({}),
      execute: () => {
        throw new Error('upstream 502')
      },
    })
    expect(await executeTool(throwing, '', context)).toEqual({ isError: true, message: 'upstream 502' })
  })

  it('reports results that break the output schema', async () => {
    const liar = defineTool({
      id: 'liar',
      description: 'x',
      input: z.object({}),
      output: z.object({ n: z.number() }),
      execute: () => ({ n: 'one' }) as unknown as { n: number },
    })
    const result = await executeTool(liar, '{}', context)
    expect(result.isError && result.message).toMatch(/returned an invalid result[\s\S]*n:/)
  })

  it('exposes the input as JSON Schema with descriptions', () => {
    const spec = toolSpec(discount)
    expect(spec.name).toBe('apply-discount')
    expect(spec.parameters).toMatchObject({
      type: 'object',
      required: ['cents', 'percent'],
      properties: { cents: { type: 'integer', description: 'Price in cents' } },
    })
    expect(spec.parameters.$schema).toBeUndefined()
  })

  it('rejects ids a model cannot call', () => {
    expect(() => defineTool({ id: 'has space', description: 'x', input: z.object({}), execute: () => null })).toThrow(
      /must match/,
    )
  })
})
