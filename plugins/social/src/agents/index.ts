/**
 * The social agent pack: `social-compose`, `social-repurpose` and `social-insights`, registered by the
 * social plugin with `registerAgents(config, socialAgents(resolved))`, and the tenants' `social` setting
 * that drives auto-drafts (added even when the plugin is disabled, for the schema).
 */
import type { PayloadAgent } from '@bizosaas/plugin-agents'
import type { SocialAgentSlug } from '../constants.ts'
import { socialComposePayloadAgent } from './compose.ts'
import { socialInsightsPayloadAgent } from './insights.ts'
import { DEFAULT_SOCIAL_MODELS, type SocialAgentsConfig } from './options.ts'
import { socialRepurposePayloadAgent } from './repurpose.ts'

/** The pack's agents, with model chains from the plugin's options. */
export function socialAgents(resolved: SocialAgentsConfig = {}): PayloadAgent[] {
  const models = (slug: SocialAgentSlug) => resolved.modelsFor?.(slug) ?? DEFAULT_SOCIAL_MODELS
  const compose = socialComposePayloadAgent({ models: models('social-compose') })
  const present = resolved.collections
  if (present) compose.triggers = compose.triggers?.filter((t) => present.includes(t.collection))
  return [
    compose,
    socialRepurposePayloadAgent({ models: models('social-repurpose') }),
    socialInsightsPayloadAgent({ models: models('social-insights') }),
  ] as PayloadAgent[]
}

export { decidePostStatus, type PostDecision } from './approval.ts'
export { AUTO_DRAFT_KINDS, autoDraftTriggers, socialTenantField, withSocialTenantSettings } from './auto-draft.ts'
export {
  COMPOSE,
  createSocialComposeAgent,
  socialComposeAgent,
  socialComposeInput,
  socialComposeOutput,
} from './compose.ts'
export { createSocialInsightsAgent, INSIGHTS, SOCIAL_INSIGHTS_CRON, socialInsightsAgent } from './insights.ts'
export { type SocialMetricsReport, socialMetricsReport } from './metrics.ts'
export { DEFAULT_SOCIAL_MODELS, type SocialAgentOptions, type SocialAgentsConfig } from './options.ts'
export { createSocialRepurposeAgent, REPURPOSE, seriesTimes, socialRepurposeAgent } from './repurpose.ts'
export { type SourceInput, sourceInput } from './sources.ts'
export { draftIssues } from './variants.ts'
