import { DEFAULT_AGENT_MODELS, modelChainFor } from '@bizosaas/plugin-agents'
import type { ContentAgentSlug } from './constants.ts'
import type { ContentAgentsPluginConfig } from './types.ts'

/** A small, cheap model first; another provider's as the fallback on 429/5xx/timeouts. */
export const DEFAULT_MODELS: readonly string[] = DEFAULT_AGENT_MODELS

export interface ResolvedContentAgentsConfig {
  enabled: boolean
  /** The model chain of one agent. */
  modelsFor: (slug: ContentAgentSlug) => readonly string[]
}

/** Fills in defaults once, at the top of the plugin. */
export function resolveConfig(options: ContentAgentsPluginConfig): ResolvedContentAgentsConfig {
  return {
    enabled: options.enabled ?? true,
    modelsFor: (slug) => modelChainFor(options.models, slug),
  }
}
