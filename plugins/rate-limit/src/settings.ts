/**
 * Rate-limit settings as environment variables: the zod pieces each app's env module spreads into its
 * own schema, so every app spells and checks them the same way (`5/15m` = 5 points per 15 minutes).
 */
import { z } from 'zod'

/** How many points a key may spend per window. */
export interface LimitSetting {
  points: number
  durationSeconds: number
}

const UNIT_SECONDS = { s: 1, m: 60, h: 3600, d: 86_400 } as const

/** `"5/15m"` → `{ points: 5, durationSeconds: 900 }`; undefined when the text is not of that form. */
export function parseLimitSetting(text: string): LimitSetting | undefined {
  const match = /^\s*(\d{1,6})\s*\/\s*(\d{1,6})\s*([smhd])\s*$/.exec(text)
  if (!match) return undefined
  const points = Number(match[1])
  const durationSeconds = Number(match[2]) * UNIT_SECONDS[match[3] as keyof typeof UNIT_SECONDS]
  if (points < 1 || durationSeconds < 1 || durationSeconds > 30 * 86_400) return undefined
  return { points, durationSeconds }
}

/** A `<points>/<window>` variable with a default, e.g. `limitSetting('5/15m')`. */
export const limitSetting = (fallback: string) =>
  z
    .string()
    .default(fallback)
    .transform((text, ctx) => {
      const parsed = parseLimitSetting(text)
      if (!parsed) {
        ctx.addIssue({
          code: 'custom',
          message: 'must be <points>/<window> with a window in s, m, h or d (at most 30 days), like 5/15m or 100/1h',
        })
        return z.NEVER
      }
      return parsed
    })

const redisUrl = z
  .string()
  .trim()
  .refine((value) => {
    try {
      return ['redis:', 'rediss:'].includes(new URL(value).protocol)
    } catch {
      return false
    }
  }, 'must be a Redis URL like redis://localhost:6379')

/** The switch, the proxy setting and the shared store: the same three variables in every app. */
export const rateLimitEnvShape = {
  /** `off` turns every rate limit of this app off (benchmarks, debugging). */
  RATE_LIMITS: z.enum(['on', 'off'], { error: 'must be on or off' }).default('on'),
  /**
   * How many reverse proxies in front of this app append the client's address to X-Forwarded-For
   * (Caddy: 1). 0: X-Forwarded-For is not trusted and per-IP limits are off.
   */
  TRUSTED_PROXY_COUNT: z.coerce
    .number({ error: 'must be a whole number (0 when no proxy is in front)' })
    .int('must be a whole number (0 when no proxy is in front)')
    .min(0, 'must be 0 or more')
    .max(10, 'must be at most 10')
    .default(0),
  /** Redis for the counters (shared by every process); unset: PostgreSQL (or memory where there is none). */
  REDIS_URL: redisUrl.optional(),
}
