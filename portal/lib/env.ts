/** The portal's environment, read once and checked with zod. */
import { rateLimitEnvShape } from '@bizosaas/plugin-rate-limit/settings'
import { z } from 'zod'

const schema = z.object({
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

export function portalEnv(): PortalEnv {
  const parsed = schema.safeParse(Object.fromEntries(Object.entries(process.env).filter(([, v]) => v !== '')))
  if (!parsed.success)
    throw new Error(
      `portal: bad environment: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`,
    )
  return parsed.data
}
