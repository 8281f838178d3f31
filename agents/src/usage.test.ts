import { describe, expect, it } from 'vitest'
import { costOf, createPriceTable, exceeds, findPrice, memoryBudgetGuard } from './usage.ts'

describe('usage and cost', () => {
  it('prices input, cached input and output per million tokens', () => {
    // gpt-5.4-mini: $0.75 in, $0.075 cached, $4.50 out
    const cost = costOf('openai:gpt-5.4-mini', { inputTokens: 1_000_000, cachedTokens: 400_000, outputTokens: 100_000 })
    expect(cost).toBeCloseTo(0.6 * 0.75 + 0.4 * 0.075 + 0.1 * 4.5, 10)
  })

  it('prices dated snapshots by their base model and unknown models at 0', () => {
    expect(findPrice('anthropic:claude-sonnet-4-5-20250929')).toEqual(findPrice('anthropic:claude-sonnet-4-5'))
    expect(findPrice('openai:gpt-5.4-mini-2026-03-17')?.input).toBe(0.75)
    expect(findPrice('openai:gpt-5.5-pro')?.input).toBe(30)
    expect(costOf('ollama:llama3', { inputTokens: 1e6, outputTokens: 1e6, cachedTokens: 0 })).toBe(0)
  })

  it('lets the table be overridden and extended', () => {
    const prices = createPriceTable({
      'ollama:llama3': { input: 0.1, output: 0.2 },
      'openai:gpt-5.4-mini': { input: 1, output: 1 },
    })
    expect(costOf('ollama:llama3', { inputTokens: 1e6, outputTokens: 1e6, cachedTokens: 0 }, prices)).toBeCloseTo(0.3)
    expect(costOf('openai:gpt-5.4-mini', { inputTokens: 1e6, outputTokens: 0, cachedTokens: 0 }, prices)).toBe(1)
  })

  it('explains which budget ran out', () => {
    expect(exceeds({ maxTokens: 100 }, { inputTokens: 60, outputTokens: 40, costUsd: 0 })).toMatch(/100 of 100 tokens/)
    expect(exceeds({ maxCostUsd: 1 }, { inputTokens: 0, outputTokens: 0, costUsd: 1.5 })).toMatch(
      /cost budget exhausted/,
    )
    expect(
      exceeds({ maxTokens: 100, maxCostUsd: 1 }, { inputTokens: 1, outputTokens: 1, costUsd: 0.1 }),
    ).toBeUndefined()
  })

  it('keeps per-scope budgets apart', async () => {
    const guard = memoryBudgetGuard({ maxTokens: 10 })
    const scope = (tenant: string) => ({
      runId: 'r',
      agent: 'a',
      tenant,
      model: 'openai:gpt-5.4-mini',
      usage: { inputTokens: 0, outputTokens: 0, cachedTokens: 0, costUsd: 0, modelCalls: 0, toolCalls: 0 },
    })
    await guard.record?.(scope('a'), { usage: { inputTokens: 8, outputTokens: 4, cachedTokens: 0 }, costUsd: 0 })
    expect(await guard.check(scope('a'))).toEqual({
      ok: false,
      reason: 'a: token budget exhausted: 12 of 10 tokens used',
    })
    expect(await guard.check(scope('b'))).toEqual({ ok: true })
  })
})
