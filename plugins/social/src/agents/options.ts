/** Options of the social agents, and the model chain they use when the plugin names none. */
import { DEFAULT_AGENT_MODELS } from '@bizosaas/plugin-agents'
import type { SocialAgentSlug } from '../constants.ts'

/** A small, cheap model first; another provider's as the fallback on 429/5xx/timeouts. */
export const DEFAULT_SOCIAL_MODELS: readonly string[] = DEFAULT_AGENT_MODELS

/** How the pack builds one agent. */
export interface SocialAgentOptions {
  /** @default DEFAULT_SOCIAL_MODELS */
  models?: readonly string[]
}

/** What `socialAgents` needs of the plugin's resolved options. */
export interface SocialAgentsConfig {
  /** The model chain of one agent. @default DEFAULT_SOCIAL_MODELS */
  modelsFor?: (slug: SocialAgentSlug) => readonly string[]
  /**
   * Slugs of the collections in the config: auto-draft triggers on collections that are not there (no
   * `product-content` without the Medusa plugin) are left out. @default every trigger
   */
  collections?: readonly string[]
}
