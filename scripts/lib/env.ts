/**
 * Settings of the dev orchestration (`pnpm dev`, `pnpm migrate`, `pnpm seed`), validated once so a
 * wrong value stops with one message that names the variable and the fix.
 */
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { z } from 'zod'

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..')

const port = (fallback: number) => z.coerce.number().int().min(1).max(65535).default(fallback)

const postgresUrl = z.string().refine((value) => {
  try {
    return ['postgres:', 'postgresql:'].includes(new URL(value).protocol) && new URL(value).pathname.length > 1
  } catch {
    return false
  }
}, 'must be a PostgreSQL URL with a database name, like postgres://user:password@localhost:5432/bizosaas_cms')

const schema = z.object({
  DATABASE_URL: postgresUrl.optional(),
  EMBEDDED_POSTGRES_PORT: port(5433),
  /** `pnpm start` runs Debian's redis-server here when REDIS_URL is unset (and redis-server is on PATH). */
  EMBEDDED_REDIS_PORT: port(6380),
  STOREFRONT_PORT: port(3000),
  CMS_PORT: port(3001),
  PORTAL_PORT: port(3002),
  MOCK_LLM_PORT: port(4010),
  /**
   * The connectors' offline outside services (`pnpm mock-services`): an OAuth provider, Google's APIs, a
   * webhook receiver and an SMTP server that keeps every email. `off` starts none of them.
   */
  MOCK_SERVICES: z.enum(['on', 'off']).default('on'),
  MOCK_OAUTH_PORT: port(4011),
  MOCK_GOOGLE_PORT: port(4012),
  MOCK_WEBHOOKS_PORT: port(4013),
  MOCK_SOCIAL_PORT: port(4014),
  MOCK_SMTP_PORT: port(4025),
  /** Worker i of `pnpm worker` / `pnpm start` serves health and metrics on WORKER_PORT + i. */
  WORKER_PORT: port(3003),
  DATA_DIR: z.string().default(path.join(repoRoot, '.data')),
  PAYLOAD_SECRET: z.string().min(32, 'must be at least 32 characters (try `openssl rand -hex 32`)').optional(),
  COMMERCE_DATABASE_URL: postgresUrl.optional(),
  COMMERCE_PORT: port(9000),
  /** `pnpm start`'s Medusa worker (MEDUSA_WORKER_MODE=worker) answers /health here. Default: COMMERCE_PORT + 1. */
  COMMERCE_WORKER_PORT: z.coerce.number().int().min(1).max(65535).optional(),
  JWT_SECRET: z.string().min(32, 'must be at least 32 characters (try `openssl rand -hex 32`)').optional(),
  COOKIE_SECRET: z.string().min(32, 'must be at least 32 characters (try `openssl rand -hex 32`)').optional(),
  SEED: z.enum(['auto', 'always', 'never']).default('auto'),
})

export type DevEnv = z.infer<typeof schema>

export class DevConfigError extends Error {
  override name = 'DevConfigError'
}

export function readDevEnv(source: Record<string, string | undefined> = process.env): DevEnv {
  const cleaned = Object.fromEntries(Object.entries(source).filter(([, v]) => v !== undefined && v !== ''))
  const parsed = schema.safeParse(cleaned)
  if (parsed.success) return parsed.data
  const lines = parsed.error.issues.map((issue) => {
    const key = String(issue.path[0])
    const shown = key.endsWith('_SECRET') || key.endsWith('DATABASE_URL') ? '' : ` (got "${cleaned[key]}")`
    return `  - ${key} ${issue.message}${shown}`
  })
  throw new DevConfigError(`Invalid configuration:\n${lines.join('\n')}`)
}
