/**
 * The storefront's settings, validated once: a wrong value stops with a message naming the variable,
 * and secrets are never echoed.
 */
import { limitSetting, rateLimitEnvShape } from '@bizosaas/plugin-rate-limit/settings'
import { z } from 'zod'

const url = (fallback: string) =>
  z
    .string()
    .default(fallback)
    .refine((value) => {
      try {
        return ['http:', 'https:'].includes(new URL(value).protocol)
      } catch {
        return false
      }
    }, 'must be an http(s) URL')
    .transform((value) => value.replace(/\/+$/, ''))

const schema = z.object({
  /** Payload's base URL (REST under /api). */
  CMS_URL: url('http://localhost:3001'),
  /** A Payload users API key that may read the tenants the storefront serves and their content. */
  CMS_API_KEY: z.string().min(1).optional(),
  /** Medusa's base URL (store API under /store). */
  MEDUSA_URL: url('http://localhost:9000'),
  /** Shared secret of POST /api/revalidate (Payload hook, Medusa subscriber). Unset: the endpoint refuses all. */
  REVALIDATE_SECRET: z.string().min(16, 'must be at least 16 characters').optional(),
  /** Seconds the proxy keeps the host → tenant table. */
  TENANT_CACHE_SECONDS: z.coerce.number().int().min(0).max(3600).default(30),
  // Rate limits (lib/rate-limits.ts): the switch, trusted proxies, Redis, and each limit as <points>/<window>.
  ...rateLimitEnvShape,
  /**
   * PostgreSQL for the counters when REDIS_URL is unset: a database with the CMS's `rate_limits` table
   * (the CMS database, ideally as a role that may only use that table). Unset too: in process memory.
   */
  RATE_LIMIT_DATABASE_URL: z
    .string()
    .refine(
      (value) => /^postgres(ql)?:\/\//.test(value),
      'must be a PostgreSQL URL like postgres://user:password@host/db',
    )
    .optional(),
  /** Failed customer log-ins per email (a successful one resets it). */
  RATE_LIMIT_SIGN_IN_EMAIL: limitSetting('5/15m'),
  /** Failed customer log-ins per IP. */
  RATE_LIMIT_SIGN_IN_IP: limitSetting('50/1h'),
  /** Registrations and saved addresses per IP. */
  RATE_LIMIT_ACCOUNT: limitSetting('20/1h'),
  /** Cart and checkout changes per IP. */
  RATE_LIMIT_CART: limitSetting('60/1m'),
  /** Calls of POST /api/revalidate per IP. */
  RATE_LIMIT_REVALIDATE: limitSetting('300/1m'),
})

export type StorefrontEnv = z.infer<typeof schema>

let cached: StorefrontEnv | undefined

export function storefrontEnv(): StorefrontEnv {
  if (cached) return cached
  const source = Object.fromEntries(Object.entries(process.env).filter(([, v]) => v !== undefined && v !== ''))
  const parsed = schema.safeParse(source)
  if (!parsed.success) {
    const lines = parsed.error.issues.map((issue) => `  - ${String(issue.path[0])} ${issue.message}`)
    throw new Error(`Invalid storefront configuration:\n${lines.join('\n')}`)
  }
  cached = parsed.data
  return cached
}
