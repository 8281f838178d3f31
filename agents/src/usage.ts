import type { TokenUsage } from './providers/types.ts'
import type { RunUsage } from './state.ts'

/** US dollars per million tokens. `cachedInput` is the price of prompt-cache reads. */
export interface ModelPrice {
  input: number
  output: number
  cachedInput?: number
}

/** Prices keyed by `provider:model`. A key also prices dated snapshots (`claude-sonnet-4-5-20250929`). */
export type PriceTable = Readonly<Record<string, ModelPrice>>

/**
 * List prices in USD per million tokens, standard tier (short context), as published mid-2026. Maintained
 * by hand from the providers' pricing pages; models missing here cost 0, so pass `prices` to `runAgent`
 * (built with `createPriceTable`) to add or override models.
 */
export const DEFAULT_PRICES: PriceTable = Object.freeze({
  'openai:gpt-5.5': { input: 5, output: 30, cachedInput: 0.5 },
  'openai:gpt-5.5-pro': { input: 30, output: 180 },
  'openai:gpt-5.4': { input: 2.5, output: 15, cachedInput: 0.25 },
  'openai:gpt-5.4-pro': { input: 30, output: 180 },
  'openai:gpt-5.4-mini': { input: 0.75, output: 4.5, cachedInput: 0.075 },
  'openai:gpt-5.4-nano': { input: 0.2, output: 1.25, cachedInput: 0.02 },
  'openai:gpt-5.2': { input: 1.75, output: 14, cachedInput: 0.175 },
  'openai:gpt-5.2-pro': { input: 21, output: 168 },
  'openai:gpt-5.1': { input: 1.25, output: 10, cachedInput: 0.125 },
  'openai:gpt-5': { input: 1.25, output: 10, cachedInput: 0.125 },
  'openai:gpt-5-pro': { input: 15, output: 120 },
  'openai:gpt-5-mini': { input: 0.25, output: 2, cachedInput: 0.025 },
  'openai:gpt-5-nano': { input: 0.05, output: 0.4, cachedInput: 0.005 },
  'openai:gpt-4.1': { input: 2, output: 8, cachedInput: 0.5 },
  'openai:gpt-4.1-mini': { input: 0.4, output: 1.6, cachedInput: 0.1 },
  'openai:gpt-4.1-nano': { input: 0.1, output: 0.4, cachedInput: 0.025 },
  'openai:gpt-4o': { input: 2.5, output: 10, cachedInput: 1.25 },
  'openai:gpt-4o-mini': { input: 0.15, output: 0.6, cachedInput: 0.075 },
  'openai:o3': { input: 2, output: 8, cachedInput: 0.5 },
  'openai:o4-mini': { input: 1.1, output: 4.4, cachedInput: 0.275 },
  'anthropic:claude-opus-4-6': { input: 5, output: 25, cachedInput: 0.5 },
  'anthropic:claude-opus-4-5': { input: 5, output: 25, cachedInput: 0.5 },
  'anthropic:claude-opus-4-1': { input: 15, output: 75, cachedInput: 1.5 },
  'anthropic:claude-sonnet-4-6': { input: 3, output: 15, cachedInput: 0.3 },
  'anthropic:claude-sonnet-4-5': { input: 3, output: 15, cachedInput: 0.3 },
  'anthropic:claude-sonnet-4': { input: 3, output: 15, cachedInput: 0.3 },
  'anthropic:claude-haiku-4-5': { input: 1, output: 5, cachedInput: 0.1 },
  'anthropic:claude-3-5-haiku': { input: 0.8, output: 4, cachedInput: 0.08 },
})

/** The default table with overrides and additions applied. */
export function createPriceTable(overrides: Record<string, ModelPrice> = {}): PriceTable {
  return Object.freeze({ ...DEFAULT_PRICES, ...overrides })
}

/** Finds the price of `provider:model`: exact key first, then the longest key that prefixes it. */
export function findPrice(model: string, prices: PriceTable = DEFAULT_PRICES): ModelPrice | undefined {
  const exact = prices[model]
  if (exact) return exact
  // Every model call looks its price up; a frozen table cannot change, so its prefix matches are kept.
  const cache = Object.isFrozen(prices) ? prefixMatches(prices) : undefined
  if (cache?.has(model)) return cache.get(model)
  const price = longestPrefixPrice(model, prices)
  if (cache && cache.size < 1000) cache.set(model, price)
  return price
}

const prefixCaches = new WeakMap<PriceTable, Map<string, ModelPrice | undefined>>()

function prefixMatches(prices: PriceTable): Map<string, ModelPrice | undefined> {
  let cache = prefixCaches.get(prices)
  if (!cache) {
    cache = new Map()
    prefixCaches.set(prices, cache)
  }
  return cache
}

function longestPrefixPrice(model: string, prices: PriceTable): ModelPrice | undefined {
  let best: string | undefined
  for (const key of Object.keys(prices)) {
    if (model.startsWith(`${key}-`) && (!best || key.length > best.length)) best = key
  }
  return best ? prices[best] : undefined
}

/** Cost in USD of one call; 0 when the model is not in the table. `inputTokens` includes `cachedTokens`. */
export function costOf(model: string, usage: TokenUsage, prices: PriceTable = DEFAULT_PRICES): number {
  const price = findPrice(model, prices)
  if (!price) return 0
  const cached = Math.min(usage.cachedTokens, usage.inputTokens)
  const fresh = usage.inputTokens - cached
  const cost = fresh * price.input + cached * (price.cachedInput ?? price.input) + usage.outputTokens * price.output
  return cost / 1_000_000
}

/** A limit on tokens (input + output) and/or money. */
export interface Budget {
  maxTokens?: number
  maxCostUsd?: number
}

/** What a budget guard is asked before each model call. */
export interface BudgetScope {
  runId: string
  agent: string
  tenant?: string
  /** `provider:model` about to be called. */
  model: string
  /** The run's usage so far. */
  usage: RunUsage
}

export type BudgetDecision = { ok: true } | { ok: false; reason: string }

/**
 * Checked before every model call; a refusal stops the run with `budget-exceeded`. The Payload plugin
 * implements one per tenant (monthly budget); `record` is told about every call made.
 */
export interface BudgetGuard {
  check(scope: BudgetScope): Promise<BudgetDecision> | BudgetDecision
  record?(scope: BudgetScope, call: { usage: TokenUsage; costUsd: number }): Promise<void> | void
}

/** True when usage has reached the budget; returns the reason. */
export function exceeds(budget: Budget, usage: Pick<RunUsage, 'inputTokens' | 'outputTokens' | 'costUsd'>) {
  const tokens = usage.inputTokens + usage.outputTokens
  if (budget.maxTokens !== undefined && tokens >= budget.maxTokens) {
    return `token budget exhausted: ${tokens} of ${budget.maxTokens} tokens used`
  }
  if (budget.maxCostUsd !== undefined && usage.costUsd >= budget.maxCostUsd) {
    return `cost budget exhausted: $${usage.costUsd.toFixed(6)} of $${budget.maxCostUsd} spent`
  }
  return undefined
}

/**
 * An in-memory budget shared by every run with the same key (default: tenant). Useful in tests and
 * single-process setups; the Payload plugin supplies a database-backed guard.
 */
export function memoryBudgetGuard(
  budget: Budget,
  key: (scope: BudgetScope) => string = (scope) => scope.tenant ?? 'default',
): BudgetGuard & { spent(key: string): { inputTokens: number; outputTokens: number; costUsd: number } } {
  const totals = new Map<string, { inputTokens: number; outputTokens: number; costUsd: number }>()
  const totalFor = (k: string) => totals.get(k) ?? { inputTokens: 0, outputTokens: 0, costUsd: 0 }
  return {
    check(scope) {
      const reason = exceeds(budget, totalFor(key(scope)))
      return reason ? { ok: false, reason: `${key(scope)}: ${reason}` } : { ok: true }
    },
    record(scope, call) {
      const k = key(scope)
      const t = totalFor(k)
      totals.set(k, {
        inputTokens: t.inputTokens + call.usage.inputTokens,
        outputTokens: t.outputTokens + call.usage.outputTokens,
        costUsd: t.costUsd + call.costUsd,
      })
    },
    spent: totalFor,
  }
}
