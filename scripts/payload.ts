/**
 * `pnpm payload <command>`: the CMS's Payload CLI against the dev database (embedded PostgreSQL
 * unless DATABASE_URL is set), e.g. `pnpm payload migrate:create add-field`, `pnpm payload migrate:status`.
 */
import { DevConfigError, readDevEnv } from './lib/env.ts'
import { cmsEnv, devSecret, openDatabase, runPayload } from './lib/stack.ts'

try {
  const env = readDevEnv()
  const db = await openDatabase(env)
  try {
    const args = process.argv.slice(2)
    // `payload run` drops `--flags` from the script's argv; scripts read them from here (`--dry-run`).
    await runPayload(args, { ...cmsEnv(env, db, await devSecret(env)), PAYLOAD_RUN_ARGS: JSON.stringify(args) })
  } finally {
    await db.server.stop()
  }
} catch (error) {
  console.error(error instanceof DevConfigError ? error.message : `[bizosaas] ${(error as Error).message}`)
  process.exitCode = 1
}
