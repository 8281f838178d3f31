import type { LimitSetting } from './settings.ts'
import type { RateLimitPluginConfig } from './types.ts'

export const DEFAULT_SIGN_IN_PER_EMAIL: LimitSetting = { points: 5, durationSeconds: 15 * 60 }
export const DEFAULT_SIGN_IN_PER_IP: LimitSetting = { points: 50, durationSeconds: 3600 }
export const DEFAULT_FORGOT_PASSWORD_PER_EMAIL: LimitSetting = { points: 3, durationSeconds: 3600 }
export const DEFAULT_FORGOT_PASSWORD_PER_IP: LimitSetting = { points: 20, durationSeconds: 3600 }

export interface ResolvedRateLimitConfig {
  enabled: boolean
  authCollection: string
  trustedProxyCount: number
  redisUrl?: string
  signIn: { perEmail: LimitSetting; perIp: LimitSetting }
  forgotPassword: { perEmail: LimitSetting; perIp: LimitSetting }
  limits: NonNullable<RateLimitPluginConfig['limits']>
}

/** Fills in defaults once, at the top of the plugin. */
export function resolveConfig(options: RateLimitPluginConfig): ResolvedRateLimitConfig {
  return {
    enabled: options.enabled ?? true,
    authCollection: options.authCollection ?? 'users',
    trustedProxyCount: options.trustedProxyCount ?? 0,
    redisUrl: options.redisUrl,
    signIn: {
      perEmail: options.signIn?.perEmail ?? DEFAULT_SIGN_IN_PER_EMAIL,
      perIp: options.signIn?.perIp ?? DEFAULT_SIGN_IN_PER_IP,
    },
    forgotPassword: {
      perEmail: options.forgotPassword?.perEmail ?? DEFAULT_FORGOT_PASSWORD_PER_EMAIL,
      perIp: options.forgotPassword?.perIp ?? DEFAULT_FORGOT_PASSWORD_PER_IP,
    },
    limits: options.limits ?? {},
  }
}
