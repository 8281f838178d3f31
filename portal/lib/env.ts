/** The portal's environment, read once and checked with zod. */
import { rateLimitEnvShape } from '@bizosaas/plugin-rate-limit/settings'
import { z } from 'zod'

const schema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  NEXT_PHASE: z.string().optional(),
  /** Payload (the CMS) the portal signs in against and reads from. */
  CMS_URL: z.url().default('http://localhost:3001'),
  /** Metabase static embedding: both set → analytics shows the dashboard in an iframe. */
  METABASE_SITE_URL: z.url().optional(),
  METABASE_SECRET_KEY: z.string().min(32, 'METABASE_SECRET_KEY is the 64-hex embedding secret').optional(),
  METABASE_DASHBOARD_ID: z.coerce.number().int().positive().default(1),
  /** Medusa admin API for the dashboard's orders (a secret API key); unset → the dashboard says so. */
  MEDUSA_URL: z.url().optional(),
  MEDUSA_API_KEY: z.string().min(1).optional(),
  /** The portal's public URL; an https URL makes the session cookie `Secure`. */
  PORTAL_URL: z.url().default('http://localhost:3002'),
  /**
   * Proxies in front of the portal that append the client's address to X-Forwarded-For (0: none, the
   * header is not trusted). The portal passes the address it finds on to the CMS, whose sign-in limits
   * count it per IP.
   */
  TRUSTED_PROXY_COUNT: rateLimitEnvShape.TRUSTED_PROXY_COUNT,
})

export type PortalEnv = z.infer<typeof schema>

/** What a production server cannot go without (the defaults above are `pnpm dev`'s local services). */
const REQUIRED_IN_PRODUCTION = {
  CMS_URL: 'is required in production: the CMS the portal signs users in against, like https://cms.example.com',
  PORTAL_URL: "is required in production: the portal's public URL (https makes the session cookie Secure)",
} as const

/** Parses `source` or throws an Error whose message names every bad variable (values never echoed). */
export function readPortalEnv(source: Record<string, string | undefined> = process.env): PortalEnv {
  const cleaned = Object.fromEntries(
    Object.entries(source).filter((entry): entry is [string, string] => entry[1] !== undefined && entry[1] !== ''),
  )
  const parsed = schema.safeParse(cleaned)
  const problems = parsed.success ? [] : parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`)
  // Required means set, not defaulted; `next build` serves nothing and needs none of them.
  if (cleaned.NODE_ENV === 'production' && cleaned.NEXT_PHASE !== 'phase-production-build')
    for (const [key, message] of Object.entries(REQUIRED_IN_PRODUCTION))
      if (!(key in cleaned)) problems.push(`${key}: ${message}`)
  if (problems.length > 0 || !parsed.success) throw new Error(`portal: bad environment: ${problems.join('; ')}`)
  return parsed.data
}

export function portalEnv(): PortalEnv {
  return readPortalEnv()
}

/** For the server's start (instrumentation.ts): a bad production setting prints one message and exits. */
export function assertPortalEnv(source: Record<string, string | undefined> = process.env): void {
  try {
    readPortalEnv(source)
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n`)
    process.exit(1)
  }
}
