/**
 * The commerce app's configuration, read once from the environment and validated, so that a wrong
 * setting stops start-up with one line that names the variable and the fix.
 */
import { existsSync } from 'node:fs'
import path from 'node:path'
import { z } from 'zod'

/** Secret used when none is set outside production; `pnpm dev` passes a random one kept in DATA_DIR. */
const DEV_SECRET = 'bizosaas-commerce-development-secret-do-not-use-in-production'

/** The workspace root (where pnpm-workspace.yaml is), found from the working directory. */
function findRepoRoot(from: string): string | undefined {
  for (let dir = path.resolve(from); ; dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, 'pnpm-workspace.yaml'))) return dir
    if (dir === path.dirname(dir)) return undefined
  }
}

const postgresUrl = z
  .string()
  .trim()
  .refine((value) => {
    try {
      const url = new URL(value)
      return ['postgres:', 'postgresql:'].includes(url.protocol) && url.pathname.length > 1
    } catch {
      return false
    }
  }, 'must be a PostgreSQL URL with a database name, like postgres://user:password@host:5432/bizosaas_commerce')

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

const origins = z
  .string()
  .trim()
  .refine(
    (value) => value.split(',').every((origin) => /^https?:\/\/[^/]+$/.test(origin.trim())),
    'must be a comma-separated list of origins without a trailing slash, like http://localhost:3000,https://shop.example.com',
  )

/** A PostgreSQL schema name as pg-boss takes it: unquoted, lower case. */
const schemaName = z
  .string()
  .trim()
  .regex(/^[a-z_][a-z0-9_]*$/, 'must be a lower-case PostgreSQL schema name, like pgboss')

const secret = z.string().min(32, 'must be at least 32 characters (try `openssl rand -hex 32`)')
const portError = 'must be a port number from 1 to 65535'
const port = (fallback: number) =>
  z.coerce.number({ error: portError }).int(portError).min(1, portError).max(65535, portError).default(fallback)
const flag = z.enum(['true', 'false']).default('false')

const schema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  EMBEDDED_POSTGRES_PORT: port(5433),
  COMMERCE_DATABASE_URL: postgresUrl.optional(),
  COMMERCE_PORT: port(9000),
  COMMERCE_URL: z
    .url({ error: 'must be the public URL of the commerce server, like https://shop-api.example.com' })
    .optional(),
  COMMERCE_ADMIN_DISABLED: flag,
  REDIS_URL: redisUrl.optional(),
  JWT_SECRET: secret.optional(),
  COOKIE_SECRET: secret.optional(),
  STORE_CORS: origins.optional(),
  ADMIN_CORS: origins.optional(),
  AUTH_CORS: origins.optional(),
  DATA_DIR: z.string().optional(),
  COMMERCE_UPLOAD_DIR: z.string().optional(),
  CMS_QUEUE_URL: postgresUrl.optional(),
  CMS_QUEUE_SCHEMA: schemaName.default('pgboss'),
  /**
   * Medusa's own switch (read by Medusa too): `server` serves HTTP only, `worker` runs subscribers and
   * scheduled jobs only (no admin), `shared` does both in one process.
   */
  MEDUSA_WORKER_MODE: z
    .enum(['shared', 'server', 'worker'], { error: 'must be shared, server or worker' })
    .default('shared'),
})

/**
 * Rules across variables, checked on the raw values so they are reported together with the schema's
 * own issues (a refinement of the object would run only once every field parsed).
 */
function crossChecks(env: Record<string, string>): { key: string; message: string }[] {
  const problems: { key: string; message: string }[] = []
  if (env.NODE_ENV === 'production') {
    for (const key of ['JWT_SECRET', 'COOKIE_SECRET'] as const)
      if (!env[key])
        problems.push({
          key,
          message: 'is required in production: set it to a long random string, e.g. `openssl rand -hex 32`',
        })
    if (!env.COMMERCE_DATABASE_URL)
      problems.push({
        key: 'COMMERCE_DATABASE_URL',
        message: "is required in production: the PostgreSQL URL of Medusa's database",
      })
  }
  // A separate worker only hears the server's events through a shared event bus. (Not checked for
  // `server`: Medusa's own `db:migrate` and `exec` set MEDUSA_WORKER_MODE=server, with or without Redis.)
  if (env.MEDUSA_WORKER_MODE === 'worker' && !env.REDIS_URL)
    problems.push({
      key: 'REDIS_URL',
      message: 'is required with MEDUSA_WORKER_MODE=worker: server and worker share events and workflows through Redis',
    })
  return problems
}

export interface CommerceEnv {
  nodeEnv: 'development' | 'production' | 'test'
  databaseUrl: string
  port: number
  /** Public URL of this server: admin backend URL and the base of uploaded files' URLs. */
  url: string
  adminDisabled: boolean
  redisUrl?: string
  jwtSecret: string
  cookieSecret: string
  storeCors: string
  adminCors: string
  authCors: string
  /** Where the local file provider keeps public uploads; served at `/static`. */
  uploadDir: string
  /** Where it keeps private uploads (never served). */
  privateUploadDir: string
  /**
   * The CMS database that holds its pg-boss queues; product events are sent there. Unset: Medusa
   * sends nothing and the CMS catches up with its full re-sync.
   */
  cmsQueueUrl?: string
  /** The pg-boss schema in that database. */
  cmsQueueSchema: string
  /** `server`, `worker` (no admin) or `shared` (both in one process). */
  workerMode: 'shared' | 'server' | 'worker'
}

/** Parses `source` (default: process.env) or throws an Error whose one-line message names every bad variable. */
export function readCommerceEnv(
  source: Record<string, string | undefined> = process.env,
  cwd = process.cwd(),
): CommerceEnv {
  // Empty means unset: `COMMERCE_PORT= pnpm dev` uses the default.
  const cleaned = Object.fromEntries(Object.entries(source).filter(([, v]) => v !== undefined && v !== ''))
  const parsed = schema.safeParse(cleaned)
  const issues = [
    ...(parsed.success
      ? []
      : parsed.error.issues.map((i) => ({ key: String(i.path[0] ?? 'configuration'), message: i.message }))),
    ...crossChecks(cleaned as Record<string, string>),
  ]
  if (!parsed.success || issues.length > 0) {
    const problems = issues.map(({ key, message }) => {
      const hidden = key.endsWith('_SECRET') || key.endsWith('_URL')
      return `${key} ${message}${key in cleaned && !hidden ? ` (got "${cleaned[key]}")` : ''}`
    })
    throw new Error(`Invalid commerce configuration: ${problems.join('; ')}`)
  }
  const env = parsed.data
  const url = (env.COMMERCE_URL ?? `http://localhost:${env.COMMERCE_PORT}`).replace(/\/$/, '')
  const storefront = 'http://localhost:3000'
  const cms = 'http://localhost:3001'
  const portal = 'http://localhost:3002'
  const dataDir = path.resolve(env.DATA_DIR ?? path.join(findRepoRoot(cwd) ?? cwd, '.data'))
  const uploadDir = path.resolve(env.COMMERCE_UPLOAD_DIR ?? path.join(dataDir, 'commerce-uploads'))
  return {
    nodeEnv: env.NODE_ENV,
    databaseUrl:
      env.COMMERCE_DATABASE_URL ??
      `postgres://postgres:postgres@127.0.0.1:${env.EMBEDDED_POSTGRES_PORT}/bizosaas_commerce`,
    port: env.COMMERCE_PORT,
    url,
    // A worker serves no HTTP but /health: no admin bundle to load.
    adminDisabled: env.COMMERCE_ADMIN_DISABLED === 'true' || env.MEDUSA_WORKER_MODE === 'worker',
    redisUrl: env.REDIS_URL,
    jwtSecret: env.JWT_SECRET ?? DEV_SECRET,
    cookieSecret: env.COOKIE_SECRET ?? DEV_SECRET,
    storeCors: env.STORE_CORS ?? storefront,
    adminCors: env.ADMIN_CORS ?? [url, cms, portal].join(','),
    authCors: env.AUTH_CORS ?? [url, storefront, cms, portal].join(','),
    uploadDir,
    privateUploadDir: `${uploadDir}-private`,
    cmsQueueUrl: env.CMS_QUEUE_URL,
    cmsQueueSchema: env.CMS_QUEUE_SCHEMA,
    workerMode: env.MEDUSA_WORKER_MODE,
  }
}
