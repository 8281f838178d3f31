/**
 * `@bizosaas/plugin-rate-limit/core`: the Payload-free part, for the Next.js apps and other plugins —
 * stores, limits, the client IP and the env settings.
 */
export { clientIp } from './client-ip.ts'
export {
  createRateLimit,
  type LimitDefinition,
  longestRefusal,
  type RateLimit,
  type Refusal,
  refusalResponse,
  waitText,
} from './limits.ts'
export { type LimitSetting, limitSetting, parseLimitSetting, rateLimitEnvShape } from './settings.ts'
export { createRateLimitsTable, dropRateLimitsTable, RATE_LIMITS_TABLE } from './sql.ts'
export {
  type LimiterOptions,
  memoryStore,
  openRateLimitStore,
  type PgPoolLike,
  postgresStore,
  type RateLimitStore,
  redisStore,
} from './store.ts'
