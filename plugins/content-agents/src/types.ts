import type { AgentModelsOption } from '@bizosaas/plugin-agents'
import type { ContentAgentSlug } from './constants.ts'

export interface ContentAgentsPluginConfig {
  /**
   * `false` registers no agents (and so no triggers). The pack adds no collections or fields, so the
   * database schema is the same either way.
   * @default true
   */
  enabled?: boolean
  /**
   * Model chains (`provider:model`, tried in order on 429/5xx/timeouts): one chain for every agent of
   * the pack, or one per agent slug (agents not named keep the default). Tenant settings in
   * `agent-settings` and the agents plugin's `models` still take precedence at run time.
   * @default ['openai:gpt-4.1-mini', 'anthropic:claude-haiku-4-5'] for every agent
   */
  models?: AgentModelsOption<ContentAgentSlug>
}

/** How the registry builds one agent: its model chain and the locales of the Payload config. */
export interface ContentAgentOptions {
  /** @default DEFAULT_MODELS */
  models?: readonly string[]
  /** Locale codes of the Payload config: locale inputs outside them are refused before a run starts. */
  locales?: LocaleSettings
}

export interface LocaleSettings {
  codes: readonly [string, ...string[]]
  defaultLocale: string
}
