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

const schema = z
  .object({
    NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
    DATABASE_URL: postgresUrl.default(EMBEDDED_DATABASE_URL),
    PAYLOAD_SECRET: z.string().optional(),
    CMS_PORT: z.coerce.number().int().min(1).max(65535).default(3001),
    CMS_URL: z.url({ error: 'must be the public URL of the CMS, like https://cms.example.com' }).optional(),
    MEDIA_DIR: z.string().default(path.join(repoRoot, '.data', 'media')),
    AGENTS_WORKER: z.enum(['in-process', 'off']).default('off'),
    /** Days audit entries are kept; the daily prune job deletes older ones. */
    AUDIT_LOG_RETENTION_DAYS: z.coerce
      .number({ error: 'must be a whole number of days, like 400' })
      .int('must be a whole number of days, like 400')
      .min(1, 'must be at least 1 day')
      .default(400),
    NEXT_PHASE: z.string().optional(),
    // Rate limits (plugins/rate-limit): the switch, trusted proxies, Redis, and each limit as <points>/<window>.
    ...rateLimitEnvShape,
    RATE_LIMIT_SIGN_IN_EMAIL: limitSetting('5/15m'),
    RATE_LIMIT_SIGN_IN_IP: limitSetting('50/1h'),
    RATE_LIMIT_FORGOT_PASSWORD_EMAIL: limitSetting('3/1h'),
    RATE_LIMIT_FORGOT_PASSWORD_IP: limitSetting('20/1h'),
    RATE_LIMIT_AGENT_RUNS: limitSetting('30/1m'),
    RATE_LIMIT_APPROVALS: limitSetting('120/1m'),
  })
  .superRefine((env, ctx) => {
    // `next build` runs in production mode but signs nothing; the secret is needed when serving.
    if (env.NODE_ENV === 'production' && !env.PAYLOAD_SECRET && env.NEXT_PHASE !== 'phase-production-build') {
      ctx.addIssue({
        code: 'custom',
        path: ['PAYLOAD_SECRET'],
        message: 'is required in production. Set it to a long random string, e.g. `openssl rand -hex 32`',
      })
    } else if (env.PAYLOAD_SECRET !== undefined && env.PAYLOAD_SECRET.length < 32) {
      ctx.addIssue({
        code: 'custom',
        path: ['PAYLOAD_SECRET'],
        message: 'must be at least 32 characters. Generate one with `openssl rand -hex 32`',
      })
    }
  })

export type CmsEnv = Omit<z.infer<typeof schema>, 'PAYLOAD_SECRET'> & { PAYLOAD_SECRET: string; CMS_URL: string }

/** Never echoed in error messages (a Redis URL may hold a password). */
const SECRET_KEYS = new Set(['PAYLOAD_SECRET', 'REDIS_URL'])

/** Thrown for bad configuration; its message is meant to be printed as is. */
export class ConfigError extends Error {
  override name = 'ConfigError'
}

/** Parses `source` (default: process.env) or throws a ConfigError naming every bad variable. */
export function readCmsEnv(source: Record<string, string | undefined> = process.env): CmsEnv {
  // Treat empty strings as unset: `FOO= pnpm dev` should mean "use the default".
  const cleaned = Object.fromEntries(Object.entries(source).filter(([, v]) => v !== undefined && v !== ''))
  const parsed = schema.safeParse(cleaned)
  if (!parsed.success) {
    const lines = parsed.error.issues.map((issue) => {
      const key = String(issue.path[0] ?? 'configuration')
      const got = key in cleaned && !SECRET_KEYS.has(key) ? ` (got "${cleaned[key]}")` : ''
      return `  - ${key} ${issue.message}${got}`
    })
    throw new ConfigError(`Invalid CMS configuration:\n${lines.join('\n')}`)
  }
  const env = parsed.data
  return {
    ...env,
    PAYLOAD_SECRET: env.PAYLOAD_SECRET ?? DEV_SECRET,
    CMS_URL: env.CMS_URL ?? `http://localhost:${env.CMS_PORT}`,
  }
}
