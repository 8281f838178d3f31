/** `pnpm worker`: agent workers in their own process, against the dev database unless DATABASE_URL is set. */
import { DevConfigError, readDevEnv } from './lib/env.ts'
import { portInUse } from './lib/ports.ts'
import { CMS_DATABASE, cmsEnv, devSecret, openDatabase, runPayload } from './lib/stack.ts'

try {
  const env = readDevEnv()
  // Beside a running `pnpm dev`, share its embedded PostgreSQL instead of starting another.
  const devRunning = !env.DATABASE_URL && (await portInUse(env.EMBEDDED_POSTGRES_PORT, '127.0.0.1'))
  const db = await openDatabase(
    devRunning
      ? { ...env, DATABASE_URL: `postgres://postgres:postgres@127.0.0.1:${env.EMBEDDED_POSTGRES_PORT}/${CMS_DATABASE}` }
      : env,
  )
  try {
    await runPayload(['run', 'src/worker.ts'], cmsEnv(env, db, await devSecret(env)))
  } finally {
    await db.server.stop()
  }
} catch (error) {
  console.error(error instanceof DevConfigError ? error.message : `[bizosaas] ${(error as Error).message}`)
  process.exitCode = 1
}
