import type { LimitSetting } from './settings.ts'

/** A limit the host names and other plugins consume with `consumeRateLimit(payload, name, key)`. */
export interface NamedLimit extends LimitSetting {
  /** The refusal, given the wait in words, e.g. "4 minutes". */
  message: (wait: string) => string
}

export interface RateLimitPluginConfig {
  /**
   * `false` adds no hooks and every limit allows everything (the bench's baseline; debugging). The
   * counters' table is a migration either way. @default true
   */
  enabled?: boolean
  /** The auth collection whose sign-in and forgot-password are limited. @default 'users' */
  authCollection?: string
  /**
   * How many reverse proxies in front of the CMS append the client's address to X-Forwarded-For. 0:
   * the header is not trusted and per-IP limits are off. @default 0
   */
  trustedProxyCount?: number
  /** Counters in Redis instead of the CMS database's `rate_limits` table. @default undefined (PostgreSQL) */
  redisUrl?: string
  /**
   * Failed sign-ins per email (a successful sign-in resets it) and per IP (successful ones are not
   * counted). @default { perEmail: 5 per 15 minutes, perIp: 50 per hour }
   */
  signIn?: { perEmail?: LimitSetting; perIp?: LimitSetting }
  /** Forgot-password requests per email and per IP. @default { perEmail: 3 per hour, perIp: 20 per hour } */
  forgotPassword?: { perEmail?: LimitSetting; perIp?: LimitSetting }
  /** More limits by name, for other plugins' endpoints (e.g. agent runs per tenant). @default {} */
  limits?: Record<string, NamedLimit>
}
