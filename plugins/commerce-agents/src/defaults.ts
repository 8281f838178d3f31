import type { CommerceAgentSlug } from './constants.ts'
import type { CommerceAgentsPluginConfig } from './types.ts'

/** A small, cheap model first; another provider's as the fallback on 429/5xx/timeouts. */
export const DEFAULT_MODELS: readonly string[] = Object.freeze(['openai:gpt-4.1-mini', 'anthropic:claude-haiku-4-5'])

export interface ResolvedCommerceAgentsConfig {
  enabled: boolean
  /** The model chain of one agent. */
  modelsFor: (slug: CommerceAgentSlug) => readonly string[]
}

/** Fills in defaults once, at the top of the plugin. */
export function resolveConfig(options: Omit<CommerceAgentsPluginConfig, 'access'>): ResolvedCommerceAgentsConfig {
  const { models } = options
  return {
    enabled: options.enabled ?? true,
    modelsFor: (slug) => {
      if (models === undefined) return DEFAULT_MODELS
      if (isChain(models)) return models
      return models[slug] ?? DEFAULT_MODELS
    },
  }
}

const isChain = (value: unknown): value is readonly string[] => Array.isArray(value)
