/**
 * The pieces `pnpm dev`, `pnpm migrate` and `pnpm seed` share: PostgreSQL (embedded unless
 * DATABASE_URL is set), the CMS database, the dev secret, and running the CMS's Payload CLI.
 */
import { spawn } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { existsSync } from 'node:fs'
import { mkdir, readFile, writeFile } from 'node:fs/promises'
import path from 'node:path'
import pg from 'pg'
import { DevConfigError, type DevEnv, repoRoot } from './env.ts'
import { portInUse } from './ports.ts'
import {
  databaseName,
  databaseUrl,
  ensureDatabase,
  externalPostgres,
  type PostgresServer,
  redactUrl,
  startEmbeddedPostgres,
  waitForPostgres,
} from './postgres.ts'

export const CMS_DATABASE = 'bizosaas_cms'
export const cmsDir = path.join(repoRoot, 'cms')

export interface Database {
  server: PostgresServer
  cmsUrl: string
}

const log = (msg: string) => console.log(`[bizosaas] ${msg}`)

/** Starts the embedded PostgreSQL (or checks the external one) and makes sure the CMS database exists. */
export async function openDatabase(env: DevEnv): Promise<Database> {
  if (env.DATABASE_URL) {
    const server = externalPostgres(env.DATABASE_URL)
    try {
      await waitForPostgres(env.DATABASE_URL, 5_000)
    } catch {
      // The database itself may not exist yet; the server must answer.
      await waitForPostgres(server.adminUrl, 10_000).catch((error: Error) => {
        throw new DevConfigError(`Cannot reach DATABASE_URL (${redactUrl(env.DATABASE_URL!)}): ${error.message}`)
      })
      await ensureDatabase(server.adminUrl, databaseName(env.DATABASE_URL))
      log(`created database ${databaseName(env.DATABASE_URL)}`)
    }
    log(`using PostgreSQL at ${redactUrl(env.DATABASE_URL)}`)
    return { server, cmsUrl: env.DATABASE_URL }
  }

  const dataDir = path.join(env.DATA_DIR, 'postgres')
  if (await portInUse(env.EMBEDDED_POSTGRES_PORT, '127.0.0.1'))
    throw new DevConfigError(
      `Port ${env.EMBEDDED_POSTGRES_PORT} (embedded PostgreSQL) is in use. Stop what is using it, ` +
        'set EMBEDDED_POSTGRES_PORT to a free port, or set DATABASE_URL to use your own server.',
    )
  const fresh = !existsSync(path.join(dataDir, 'PG_VERSION'))
  log(
    `${fresh ? 'initialising' : 'starting'} embedded PostgreSQL in ${path.relative(process.cwd(), dataDir) || dataDir} on port ${env.EMBEDDED_POSTGRES_PORT}`,
  )
  const server = await startEmbeddedPostgres({ dataDir, port: env.EMBEDDED_POSTGRES_PORT })
  try {
    if (await ensureDatabase(server.adminUrl, CMS_DATABASE)) log(`created database ${CMS_DATABASE}`)
  } catch (error) {
    await server.stop()
    throw error
  }
  return { server, cmsUrl: databaseUrl(server.adminUrl, CMS_DATABASE) }
}

/** PAYLOAD_SECRET from the environment, or a random one made once and kept in DATA_DIR for dev. */
export async function devSecret(env: DevEnv): Promise<string> {
  return env.PAYLOAD_SECRET ?? keptSecret(env.DATA_DIR, 'payload-secret')
}

/** A random secret made on first use and kept in `dataDir/name` (mode 600), so dev sessions survive restarts. */
export async function keptSecret(dataDir: string, name: string): Promise<string> {
  const file = path.join(dataDir, name)
  if (existsSync(file)) return (await readFile(file, 'utf8')).trim()
  await mkdir(dataDir, { recursive: true })
  const secret = randomBytes(32).toString('hex')
  await writeFile(file, `${secret}\n`, { mode: 0o600 })
  return secret
}

/** The environment the CMS processes run with. */
export function cmsEnv(env: DevEnv, db: Database, secret: string): NodeJS.ProcessEnv {
  return {
    ...process.env,
    DATABASE_URL: db.cmsUrl,
    PAYLOAD_SECRET: secret,
    CMS_PORT: String(env.CMS_PORT),
    MEDIA_DIR: process.env.MEDIA_DIR || path.join(env.DATA_DIR, 'media'),
    // Next.js would report usage to its servers; nothing here calls out.
    NEXT_TELEMETRY_DISABLED: process.env.NEXT_TELEMETRY_DISABLED ?? '1',
    // The CMS's Medusa client: the dev commerce server, and the secret key `pnpm dev` keeps once it is up.
    MEDUSA_URL: process.env.MEDUSA_URL || `http://localhost:${env.COMMERCE_PORT}`,
    ...(process.env.MEDUSA_API_KEY ? {} : { MEDUSA_API_KEY_FILE: medusaApiKeyFile(env) }),
  }
}

/** Where `pnpm dev` keeps the CMS's Medusa secret API key (Medusa shows a token only once). */
export const medusaApiKeyFile = (env: Pick<DevEnv, 'DATA_DIR'>) =>
  process.env.MEDUSA_API_KEY_FILE || path.join(env.DATA_DIR, 'medusa-api-key')

/** Runs `payload <args>` in cms/ and resolves when it exits 0 (rejects otherwise). */
export function runPayload(args: string[], env: NodeJS.ProcessEnv): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(path.join(cmsDir, 'node_modules/.bin/payload'), args, {
      cwd: cmsDir,
      env,
      stdio: ['ignore', 'inherit', 'inherit'],
    })
    child.on('error', reject)
    child.on('exit', (code, signal) =>
      code === 0 ? resolve() : reject(new Error(`payload ${args.join(' ')} failed (${signal ?? `exit ${code}`})`)),
    )
  })
}

/** Seeds on first start (no tenants yet), on every start with SEED=always, never with SEED=never. */
export async function shouldSeed(env: Pick<DevEnv, 'SEED'>, database: Database): Promise<boolean> {
  if (env.SEED !== 'auto') return env.SEED === 'always'
  const client = new pg.Client({ connectionString: database.cmsUrl })
  await client.connect()
  try {
    const { rows } = await client.query('SELECT count(*)::int AS n FROM tenants')
    return rows[0].n === 0
  } finally {
    await client.end()
  }
}
