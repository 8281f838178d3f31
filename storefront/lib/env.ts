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

const base = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  NEXT_PHASE: z.string().optional(),
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

/** What a production server cannot go without (the defaults above are `pnpm dev`'s local services). */
const REQUIRED_IN_PRODUCTION = {
  CMS_URL: "is required in production: Payload's base URL, like https://cms.example.com",
  CMS_API_KEY: 'is required in production: the API key of a Payload user that reads the tenants and their content',
  MEDUSA_URL: "is required in production: Medusa's base URL, like https://commerce.example.com",
  REVALIDATE_SECRET:
    'is required in production: the shared secret of POST /api/revalidate (16+ characters, e.g. `openssl rand -hex 32`)',
} as const

export type StorefrontEnv = z.infer<typeof base>

let cached: StorefrontEnv | undefined

/** Parses `source` or throws an Error whose message names every bad variable (values never echoed). */
export function readStorefrontEnv(source: Record<string, string | undefined> = process.env): StorefrontEnv {
  const cleaned = Object.fromEntries(
    Object.entries(source).filter((entry): entry is [string, string] => entry[1] !== undefined && entry[1] !== ''),
  )
  const parsed = base.safeParse(cleaned)
  const lines = parsed.success
    ? []
    : parsed.error.issues.map((issue) => `  - ${String(issue.path[0])} ${issue.message}`)
  // Required means set, not defaulted: `next build` serves nothing and needs none of them.
  if (cleaned.NODE_ENV === 'production' && cleaned.NEXT_PHASE !== 'phase-production-build')
    for (const [key, message] of Object.entries(REQUIRED_IN_PRODUCTION))
      if (!(key in cleaned)) lines.push(`  - ${key} ${message}`)
  if (lines.length > 0 || !parsed.success) throw new Error(`Invalid storefront configuration:\n${lines.join('\n')}`)
  return parsed.data
}

export function storefrontEnv(): StorefrontEnv {
  cached ??= readStorefrontEnv()
  return cached
}

/** For the server's start (instrumentation.ts): a bad production setting prints one message and exits. */
export function assertStorefrontEnv(source: Record<string, string | undefined> = process.env): void {
  try {
    readStorefrontEnv(source)
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n`)
    process.exit(1)
  }
}
