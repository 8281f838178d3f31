/**
 * `pnpm status [--json]`: every service of the platform (CMS, storefront, portal, Medusa, each worker by its
 * heartbeat) with URL, health, version and uptime; PostgreSQL; each pg-boss queue's depth, oldest job and
 * dead letters; agent runs failed in the last hour. Exits 1 when a service is down or not ready,
 * PostgreSQL is unreachable or a worker is missing; 2 on bad configuration. Same env as `pnpm dev`.
 */
import { DevConfigError, readDevEnv } from './lib/env.ts'
import { collectStatus, formatStatus, serviceTargets, statusDatabaseUrl } from './lib/status.ts'

try {
  const env = readDevEnv()
  const report = await collectStatus({ targets: serviceTargets(env), databaseUrl: statusDatabaseUrl(env) })
  console.log(process.argv.includes('--json') ? JSON.stringify(report, null, 2) : formatStatus(report))
  process.exitCode = report.ok ? 0 : 1
} catch (error) {
  console.error(error instanceof DevConfigError ? error.message : `[bizosaas] ${(error as Error).message}`)
  process.exitCode = 2
}
