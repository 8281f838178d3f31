/**
 * The CMS's rate limits from its settings (RATE_LIMIT* variables, cms/src/env.ts): sign-in and
 * forgot-password in `@bizosaas/plugin-rate-limit`, and the named limits the agents plugin's endpoints
 * spend — run starts per tenant, approval decisions per user.
 */
import type { AgentsRateLimit } from '@bizosaas/plugin-agents'
import { consumeRateLimit, type RateLimitPluginConfig } from '@bizosaas/plugin-rate-limit'
import type { CmsEnv } from '../env.ts'

export const AGENT_RUNS_LIMIT = 'agent-runs'
export const APPROVALS_LIMIT = 'approval-decisions'

export function rateLimitOptions(env: CmsEnv): RateLimitPluginConfig {
  return {
    enabled: env.RATE_LIMITS === 'on',
    trustedProxyCount: env.TRUSTED_PROXY_COUNT,
    redisUrl: env.REDIS_URL,
    signIn: { perEmail: env.RATE_LIMIT_SIGN_IN_EMAIL, perIp: env.RATE_LIMIT_SIGN_IN_IP },
    forgotPassword: { perEmail: env.RATE_LIMIT_FORGOT_PASSWORD_EMAIL, perIp: env.RATE_LIMIT_FORGOT_PASSWORD_IP },
    limits: {
      [AGENT_RUNS_LIMIT]: {
        ...env.RATE_LIMIT_AGENT_RUNS,
        message: (wait) => `This tenant has started too many agent runs in a short time; try again in ${wait}.`,
      },
      [APPROVALS_LIMIT]: {
        ...env.RATE_LIMIT_APPROVALS,
        message: (wait) => `You have approved or rejected too many proposals in a short time; try again in ${wait}.`,
      },
    },
  }
}

/** Run starts count against the tenant (one tenant's flood never blocks another); decisions against the user. */
export const agentsRateLimit: AgentsRateLimit = async ({ req, action, tenant }) =>
  action === 'start-run'
    ? consumeRateLimit(req.payload, AGENT_RUNS_LIMIT, `tenant:${String(tenant)}`)
    : consumeRateLimit(req.payload, APPROVALS_LIMIT, `user:${String(req.user?.id)}`)
