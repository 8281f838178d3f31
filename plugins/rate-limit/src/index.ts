/**
 * `@bizosaas/plugin-rate-limit`: rate limits for Payload on rate-limiter-flexible. Limits sign-in (per
 * email and per IP) and forgot-password of the auth collection, and keeps named limits other plugins'
 * endpoints spend with `consumeRateLimit` (e.g. agent runs per tenant). Counters live in the CMS
 * database's `rate_limits` table (a migration), or in Redis when `redisUrl` is set.
 */
import type { CollectionConfig, Config } from 'payload'
import { explainLockedAccount, forgiveSuccessfulSignIn, limitAuthAttempts } from './auth-hooks.ts'
import { resolveConfig } from './defaults.ts'
import { rateLimitsOf, storeConfig } from './runtime.ts'
import type { RateLimitPluginConfig } from './types.ts'

export function rateLimitPlugin(options: RateLimitPluginConfig = {}) {
  const resolved = resolveConfig(options)
  return (incoming: Config): Config => {
    const config: Config = { ...incoming, custom: { ...incoming.custom } }
    storeConfig(config.custom as Record<string, unknown>, resolved)
    if (!resolved.enabled) return config
    const auth = incoming.collections?.find((c) => c.slug === resolved.authCollection)
    if (!auth?.auth)
      throw new Error(`@bizosaas/plugin-rate-limit: no auth collection "${resolved.authCollection}" in the config`)
    config.collections = incoming.collections!.map((c) => (c === auth ? withAuthLimits(c, resolved.authCollection) : c))
    const previous = config.onInit
    config.onInit = async (payload) => {
      await previous?.(payload)
      const { store } = rateLimitsOf(payload)
      payload.logger.info(
        `rate limits: counters in ${store?.kind}; ${
          resolved.trustedProxyCount > 0
            ? `client IP from X-Forwarded-For (${resolved.trustedProxyCount} trusted proxy hop(s))`
            : 'per-IP limits off (TRUSTED_PROXY_COUNT=0: X-Forwarded-For is not trusted)'
        }`,
      )
    }
    return config
  }
}

function withAuthLimits(collection: CollectionConfig, slug: string): CollectionConfig {
  const hooks = collection.hooks ?? {}
  return {
    ...collection,
    hooks: {
      ...hooks,
      // First, so nothing else runs for a refused attempt.
      beforeOperation: [limitAuthAttempts, ...(hooks.beforeOperation ?? [])],
      afterLogin: [...(hooks.afterLogin ?? []), forgiveSuccessfulSignIn],
      afterError: [...(hooks.afterError ?? []), explainLockedAccount(slug)],
    },
  }
}

export { clientIp } from './client-ip.ts'
export {
  DEFAULT_FORGOT_PASSWORD_PER_EMAIL,
  DEFAULT_FORGOT_PASSWORD_PER_IP,
  DEFAULT_SIGN_IN_PER_EMAIL,
  DEFAULT_SIGN_IN_PER_IP,
} from './defaults.ts'
export { type Refusal, refusalResponse, waitText } from './limits.ts'
export { consumeRateLimit, MESSAGES, rateLimitsOf } from './runtime.ts'
export { type LimitSetting, limitSetting, rateLimitEnvShape } from './settings.ts'
export { createRateLimitsTable, dropRateLimitsTable, RATE_LIMITS_TABLE } from './sql.ts'
export type * from './types.ts'
