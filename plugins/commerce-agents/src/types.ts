import type { AgentModelsOption } from '@bizosaas/plugin-agents'
import type { MedusaClient } from '@bizosaas/plugin-medusa'
import type { Payload } from 'payload'
import type { ProductReviewsAccess } from './collections/product-reviews.ts'
import type { CommerceAgentSlug } from './constants.ts'

export interface CommerceAgentsPluginConfig {
  /**
   * `false` keeps the `product-reviews` collection (the schema never depends on the flag) but
   * registers no agents, and so no triggers or schedules.
   * @default true
   */
  enabled?: boolean
  /**
   * Model chains (`provider:model`, tried in order on 429/5xx/timeouts): one chain for every agent of
   * the pack, or one per agent slug (agents not named keep the default). Tenant settings in
   * `agent-settings` and the agents plugin's `models` still take precedence at run time.
   * @default ['openai:gpt-4.1-mini', 'anthropic:claude-haiku-4-5'] for every agent
   */
  models?: AgentModelsOption<CommerceAgentSlug>
  /** Access to product reviews; the multi-tenant plugin adds tenant scoping. */
  access: ProductReviewsAccess
}

/** How the registry builds one agent. */
export interface CommerceAgentOptions {
  /** @default DEFAULT_MODELS */
  models?: readonly string[]
  /**
   * The Medusa admin client tools and `apply` use.
   * @default `medusaClientOf(payload)` (the Medusa plugin's client)
   */
  medusa?: (payload: Payload) => MedusaClient
}
