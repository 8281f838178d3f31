import { describe, expectTypeOf, it } from 'vitest'
import { z } from 'zod'
import { type AgentInput, type AgentOutput, defineAgent } from './agent.ts'
import { applyRun, type RunResult, runAgent } from './run.ts'
import type { RunState } from './state.ts'
import { defineTool } from './tool.ts'

describe('types flow from the zod schemas', () => {
  it('into execute, approval, apply and run results', () => {
    const tool = defineTool({
      id: 'get-product',
      description: 'Loads a product',
      input: z.object({ id: z.string(), withStock: z.boolean().default(false) }),
      execute: (input, context) => {
        expectTypeOf(input).toEqualTypeOf<{ id: string; withStock: boolean }>()
        expectTypeOf(context.signal).toEqualTypeOf<AbortSignal>()
        return { title: 'x' }
      },
    })
    const agent = defineAgent({
      slug: 'seo',
      description: 'SEO',
      input: z.object({ productId: z.string() }),
      output: z.object({ title: z.string(), score: z.number() }),
      instructions: (input) => {
        expectTypeOf(input).toEqualTypeOf<{ productId: string }>()
        return 'x'
      },
      tools: [tool],
      model: 'openai:gpt-5.4-mini',
      approval: (output, context) => {
        expectTypeOf(output).toEqualTypeOf<{ title: string; score: number }>()
        expectTypeOf(context.input).toEqualTypeOf<{ productId: string }>()
        return output.score < 0.5
      },
      apply: async (output) => ({ updated: output.title }),
    })
    expectTypeOf<AgentInput<typeof agent>>().toEqualTypeOf<{ productId: string }>()
    expectTypeOf<AgentOutput<typeof agent>>().toEqualTypeOf<{ title: string; score: number }>()
    expectTypeOf(runAgent<typeof agent>)
      .parameter(1)
      .toEqualTypeOf<{ productId: string }>()
    expectTypeOf(runAgent<typeof agent>).returns.resolves.toEqualTypeOf<
      RunResult<{ title: string; score: number }, { updated: string }>
    >()
    expectTypeOf(applyRun).returns.resolves.toEqualTypeOf<RunState>()
  })
})
