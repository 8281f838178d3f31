/** Names the social plugin's parts agree on: collection slugs, queues, agent slugs. */

/** Where the plugin keeps its resolved options on `config.custom`. */
export const SOCIAL_CONFIG_KEY = 'bizosaas-social'

export const SOCIAL_ACCOUNTS = 'social-accounts'
export const SOCIAL_POSTS = 'social-posts'
export const SOCIAL_VARIANTS = 'social-variants'
export const SOCIAL_COLLECTIONS = [SOCIAL_ACCOUNTS, SOCIAL_POSTS, SOCIAL_VARIANTS] as const

/** One job per variant, singleton key = variant id, started at the scheduled minute. */
export const PUBLISH_QUEUE = 'social.publish-variant'
/** Metrics a day and a week after publishing, singleton key `<variant>:<window>`. */
export const METRICS_QUEUE = 'social.collect-metrics'
export const METRICS_WINDOWS = Object.freeze({ '1d': 24 * 3600, '7d': 7 * 24 * 3600 })
export type MetricsWindow = keyof typeof METRICS_WINDOWS

export const SOCIAL_AGENT_SLUGS = ['social-compose', 'social-repurpose', 'social-insights'] as const
export type SocialAgentSlug = (typeof SOCIAL_AGENT_SLUGS)[number]
