/**
 * `pnpm worker [--count N]`: N agent/bridge workers (WORKERS=N; default 1), each its own process with
 * the Payload Local API, worker i serving health and metrics on WORKER_PORT + i (default 3003 + i).
 * Against the dev database unless DATABASE_URL is set (beside a running `pnpm dev`, its embedded
 * PostgreSQL). With NODE_ENV=production the settings are checked first: one message names each bad one.
 * Ctrl-C stops the workers (they finish or hand back in-flight runs), then any PostgreSQL it started.
 */
import path from 'node:path'
import { DevConfigError, readDevEnv, repoRoot } from './lib/env.ts'
import { portInUse } from './lib/ports.ts'
import { CMS_DATABASE, cmsEnv, type Database, devSecret, openDatabase } from './lib/stack.ts'
import { startWorkers, workerCount } from './lib/workers.ts'

const log = (msg: string) => console.log(`[worker] ${msg}`)
let db: Database | undefined
let stopAll: (() => Promise<void>) | undefined
let stopping = false

for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
  process.removeAllListeners(signal)
  process.on(signal, () => void shutdown(0))
}

try {
  const count = workerCount(process.argv.slice(2), process.env)
  const env = readDevEnv()
  if (process.env.NODE_ENV === 'production') await checkCmsEnv()
  // Beside a running `pnpm dev`, share its embedded PostgreSQL instead of starting another.
  const devRunning = !env.DATABASE_URL && (await portInUse(env.EMBEDDED_POSTGRES_PORT, '127.0.0.1'))
  db = await openDatabase(
    devRunning
      ? { ...env, DATABASE_URL: `postgres://postgres:postgres@127.0.0.1:${env.EMBEDDED_POSTGRES_PORT}/${CMS_DATABASE}` }
      : env,
  )
  const workers = startWorkers({
    count,
    basePort: env.WORKER_PORT,
    env: cmsEnv(env, db, await devSecret(env)),
    onExit: (name, code, signal) => {
      if (!stopping) {
        log(`${name} exited (${signal ?? `code ${code}`})`)
        void shutdown(1)
      }
    },
  })
  stopAll = async () =>
    void (await Promise.all(workers.map((w) => w.stop(Number(process.env.AGENTS_GRACE_MS ?? 30_000) + 5_000))))
  log(`${count} worker${count === 1 ? '' : 's'} started (${workers.map((w) => `pid ${w.pid}`).join(', ')})`)
} catch (error) {
  console.error(
    error instanceof DevConfigError || (error as Error).name === 'ConfigError'
      ? (error as Error).message
      : `[worker] ${(error as Error).message}`,
  )
  await shutdown(1)
}

/**
 * The CMS's own settings check (cms/src/env.ts), before any worker starts. Loaded by path: the CMS
 * package depends on this one (its test harness), not the other way round.
 */
async function checkCmsEnv() {
  const cmsEnvModule = path.join(repoRoot, 'cms/src/env.ts')
  const { readCmsEnv } = (await import(cmsEnvModule)) as { readCmsEnv: (source: NodeJS.ProcessEnv) => unknown }
  readCmsEnv(process.env)
}

async function shutdown(code: number) {
  if (stopping) return
  stopping = true
  await stopAll?.()
  await db?.server.stop().catch((error: Error) => console.error(error))
  process.exit(code)
}
