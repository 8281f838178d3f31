/**
 * Small helpers for plugins that ship agents (`@bizosaas/plugin-content-agents`,
 * `@bizosaas/plugin-commerce-agents`, yours): the default model chain, a `models` option that takes one
 * chain for all of a plugin's agents or one per agent, and "same content" for idempotent applies.
 */
import { isDeepStrictEqual } from 'node:util'

/** A small, cheap model first; another provider's as the fallback on 429/5xx/timeouts. */
export const DEFAULT_AGENT_MODELS: readonly string[] = Object.freeze([
  'openai:gpt-4.1-mini',
  'anthropic:claude-haiku-4-5',
])

/** A plugin's `models` option: one chain for all its agents, or a chain per agent slug. */
export type AgentModelsOption<Slug extends string> = readonly string[] | Partial<Record<Slug, readonly string[]>>

/** The model chain of agent `slug` under a plugin's `models` option; `fallback` where it names none. */
export function modelChainFor<Slug extends string>(
  models: AgentModelsOption<Slug> | undefined,
  slug: Slug,
  fallback: readonly string[] = DEFAULT_AGENT_MODELS,
): readonly string[] {
  if (models === undefined) return fallback
  if (isChain(models)) return models
  return models[slug] ?? fallback
}

const isChain = (value: unknown): value is readonly string[] => Array.isArray(value)

/** JSON without row ids and empty values: what "the same content" means for idempotent writes. */
function normalise(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(normalise)
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {}
    for (const [key, child] of Object.entries(value)) {
      if (key === 'id' || child === null || child === undefined) continue
      out[key] = normalise(child)
    }
    return out
  }
  return value
}

/**
 * Whether two field values hold the same content: Payload row ids (of arrays and blocks), `null`s,
 * missing keys and key order are ignored. An apply that finds the proposed value already in place can
 * skip its write, so applying the same approval twice changes nothing.
 */
export function sameContent(a: unknown, b: unknown): boolean {
  return isDeepStrictEqual(normalise(a ?? null), normalise(b ?? null))
}
