/** `pnpm seed`: migrates, then seeds the demo tenants (embedded PostgreSQL unless DATABASE_URL is set). */
import { DevConfigError, readDevEnv } from './lib/env.ts'
import { cmsEnv, devSecret, openDatabase, runPayload } from './lib/stack.ts'

try {
  const env = readDevEnv()
  const db = await openDatabase(env)
  try {
    const childEnv = cmsEnv(env, db, await devSecret(env))
    await runPayload(['migrate'], childEnv)
    await runPayload(['run', 'src/seed/run.ts', ...process.argv.slice(2)], childEnv)
  } finally {
    await db.server.stop()
  }
} catch (error) {
  console.error(error instanceof DevConfigError ? error.message : `[bizosaas] ${(error as Error).message}`)
  process.exitCode = 1
}
