/**
 * The CMS's configuration, read once from the environment and validated, so that a wrong setting
 * stops start-up with one message that names the variable and the fix.
 */
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { limitSetting, rateLimitEnvShape } from '@bizosaas/plugin-rate-limit/core'
import { z } from 'zod'

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..')

/** The database `pnpm dev` creates on the embedded PostgreSQL when DATABASE_URL is unset. */
export const EMBEDDED_DATABASE_URL = 'postgres://postgres:postgres@127.0.0.1:5433/bizosaas_cms'
const DEV_SECRET = 'bizosaas-development-secret-do-not-use-in-production'

const postgresUrl = z
  .string()
  .trim()
  .refine((value) => {
    try {
      return ['postgres:', 'postgresql:'].includes(new URL(value).protocol)
    } catch {
      return false
    }
  }, 'must be a PostgreSQL URL like postgres://user:password@host:5432/database')

const schema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  DATABASE_URL: postgresUrl.optional(),
  PAYLOAD_SECRET: z.string().optional(),
  CMS_PORT: z.coerce.number().int().min(1).max(65535).default(3001),
  CMS_URL: z.url({ error: 'must be the public URL of the CMS, like https://cms.example.com' }).optional(),
  MEDIA_DIR: z.string().default(path.join(repoRoot, '.data', 'media')),
  /**
   * The portal's public URL: OAuth providers send the browser back to `${PORTAL_URL}/oauth/callback`
   * (register exactly that at each provider). Unset: OAuth connections cannot be started.
   */
  PORTAL_URL: z.url({ error: 'must be the public URL of the portal, like https://portal.example.com' }).optional(),
  AGENTS_WORKER: z.enum(['in-process', 'off']).default('off'),
  /**
   * `true`: the CMS applies pending migrations when it boots (Payload's prodMigrations). Off by default:
   * migrations run once per deploy as their own step (`pnpm migrate`), not in every replica.
   */
  MIGRATE_ON_START: z.enum(['true', 'false'], { error: 'must be true or false' }).default('false'),
  /** Days audit entries are kept; the daily prune job deletes older ones. */
  AUDIT_LOG_RETENTION_DAYS: z.coerce
    .number({ error: 'must be a whole number of days, like 400' })
    .int('must be a whole number of days, like 400')
    .min(1, 'must be at least 1 day')
    .default(400),
  NEXT_PHASE: z.string().optional(),
  /** The platform mailer (emails to tenants without their own SMTP connection): smtp(s)://user:password@host:port. */
  SMTP_URL: z
    .string()
    .trim()
    .refine((value) => {
      try {
        const url = new URL(value)
        return ['smtp:', 'smtps:'].includes(url.protocol) && url.hostname !== ''
      } catch {
        return false
      }
    }, 'must be an SMTP URL like smtp://user:password@smtp.example.com:587 (smtps:// for TLS on port 465)')
    .optional(),
  /** The From of the platform's emails. */
  MAIL_FROM: z
    .string()
    .trim()
    .regex(
      /^[^<>@\s]+@[^<>@\s]+\.[^<>@\s]+$|<[^<>@\s]+@[^<>@\s]+>$/,
      'must be an address like no-reply@example.com or "BizOSaaS <no-reply@example.com>"',
    )
    .optional(),
  // Rate limits (plugins/rate-limit): the switch, trusted proxies, Redis, and each limit as <points>/<window>.
  ...rateLimitEnvShape,
  RATE_LIMIT_SIGN_IN_EMAIL: limitSetting('5/15m'),
  RATE_LIMIT_SIGN_IN_IP: limitSetting('50/1h'),
  RATE_LIMIT_FORGOT_PASSWORD_EMAIL: limitSetting('3/1h'),
  RATE_LIMIT_FORGOT_PASSWORD_IP: limitSetting('20/1h'),
  RATE_LIMIT_AGENT_RUNS: limitSetting('30/1m'),
  RATE_LIMIT_APPROVALS: limitSetting('120/1m'),
})

/**
 * Rules across variables, checked on the raw values so they are reported together with the schema's
 * own issues (a refinement of the object would run only once every field parsed).
 */
function crossChecks(env: Record<string, string>): { key: string; message: string }[] {
  const problems: { key: string; message: string }[] = []
  // `next build` runs in production mode but serves nothing; the settings are needed when serving.
  const serving = env.NODE_ENV === 'production' && env.NEXT_PHASE !== 'phase-production-build'
  if (serving && !env.DATABASE_URL)
    problems.push({
      key: 'DATABASE_URL',
      message:
        'is required in production: the PostgreSQL URL of the CMS database, like postgres://user:password@host:5432/bizosaas_cms',
    })
  // The vault derives a development key from PAYLOAD_SECRET; production needs its own (plugins/vault).
  if (serving && !env.VAULT_KEYS && !env.VAULT_KEY)
    problems.push({
      key: 'VAULT_KEYS',
      message:
        'is required in production (or VAULT_KEY): the keys that seal integration secrets, like "2026-12:<32 random bytes as base64>" (`openssl rand -base64 32`)',
    })
  if (serving && !env.PAYLOAD_SECRET)
    problems.push({
      key: 'PAYLOAD_SECRET',
      message: 'is required in production. Set it to a long random string, e.g. `openssl rand -hex 32`',
    })
  else if (env.PAYLOAD_SECRET !== undefined && env.PAYLOAD_SECRET.length < 32)
    problems.push({
      key: 'PAYLOAD_SECRET',
      message: 'must be at least 32 characters. Generate one with `openssl rand -hex 32`',
    })
  return problems
}

export type CmsEnv = Omit<z.infer<typeof schema>, 'PAYLOAD_SECRET' | 'DATABASE_URL'> & {
  PAYLOAD_SECRET: string
  DATABASE_URL: string
  CMS_URL: string
}

/** Never echoed in error messages: secrets, keys, and URLs (a database or Redis URL may hold a password). */
const isSecret = (key: string) => /SECRET|KEY|PASSWORD|TOKEN|_URL$/.test(key)

/** Thrown for bad configuration; its message is meant to be printed as is. */
export class ConfigError extends Error {
  override name = 'ConfigError'
}

/** Parses `source` (default: process.env) or throws a ConfigError naming every bad variable. */
export function readCmsEnv(source: Record<string, string | undefined> = process.env): CmsEnv {
  // Treat empty strings as unset: `FOO= pnpm dev` should mean "use the default".
  const cleaned = Object.fromEntries(Object.entries(source).filter(([, v]) => v !== undefined && v !== ''))
  const parsed = schema.safeParse(cleaned)
  const issues = [
    ...(parsed.success
      ? []
      : parsed.error.issues.map((i) => ({ key: String(i.path[0] ?? 'configuration'), message: i.message }))),
    ...crossChecks(cleaned as Record<string, string>),
  ]
  if (!parsed.success || issues.length > 0) {
    const lines = issues.map(({ key, message }) => {
      const got = key in cleaned && !isSecret(key) ? ` (got "${cleaned[key]}")` : ''
      return `  - ${key} ${message}${got}`
    })
    throw new ConfigError(`Invalid CMS configuration:\n${lines.join('\n')}`)
  }
  const env = parsed.data
  return {
    ...env,
    PAYLOAD_SECRET: env.PAYLOAD_SECRET ?? DEV_SECRET,
    DATABASE_URL: env.DATABASE_URL ?? EMBEDDED_DATABASE_URL,
    CMS_URL: env.CMS_URL ?? `http://localhost:${env.CMS_PORT}`,
  }
}

/**
 * For the servers' start (instrumentation.ts, the worker): in production, a bad or missing setting prints
 * the one message naming each variable and stops the process, before anything serves.
 */
export function assertCmsEnv(source: Record<string, string | undefined> = process.env): void {
  try {
    readCmsEnv(source)
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error
    process.stderr.write(`${error.message}\n`)
    process.exit(1)
  }
}
