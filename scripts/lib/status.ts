/**
 * `pnpm status`, the parts: where each service is (the same ports and URLs as `pnpm dev` / `pnpm start`,
 * or *_URL overrides), asking each one's health, reading PostgreSQL (queues, dead letters, worker
 * heartbeats, failed runs) through @bizosaas/contracts/platform-state, and printing one screen.
 */
import { errorText, HEALTH_PATHS, type HealthCheck, type ReadinessBody } from '@bizosaas/contracts/health'
import {
  type FailedRuns,
  type PostgresState,
  type QueueState,
  readFailedRuns,
  readPostgres,
  readQueues,
  readWorkers,
  type WorkerState,
} from '@bizosaas/contracts/platform-state'
import pg from 'pg'
import type { DevEnv } from './env.ts'
import { redactUrl } from './postgres.ts'
import { CMS_DATABASE } from './stack.ts'

/** Generous: `next dev` compiles a route on its first request. */
const TIMEOUT_MS = 10_000
const DATABASE_TIMEOUT_MS = 3_000

export interface ServiceTarget {
  name: 'cms' | 'storefront' | 'portal' | 'medusa'
  url: string
  /** The readiness path (Medusa: its own `/health`). */
  healthPath: string
}

export interface ServiceStatus {
  name: string
  url: string
  /** `ok`, `unavailable` (answers, not ready) or `down` (no answer). */
  state: 'ok' | 'unavailable' | 'down'
  version?: string
  uptimeSeconds?: number
  /** What is wrong (the failing checks, or why it did not answer). */
  problem?: string
  checks?: Record<string, HealthCheck>
}

export interface StatusReport {
  at: string
  ok: boolean
  /** One line per reason the exit code is non-zero. */
  problems: string[]
  services: ServiceStatus[]
  workers: WorkerState[]
  postgres: ({ reachable: true; url: string } & PostgresState) | { reachable: false; url: string; error: string }
  queues: QueueState[]
  failedRuns: FailedRuns[]
}

const trim = (url: string) => url.replace(/\/+$/, '')

/** The services of `pnpm dev` / `pnpm start`, at their *_URL when set, else on localhost at their ports. */
export function serviceTargets(env: DevEnv, source: NodeJS.ProcessEnv = process.env): ServiceTarget[] {
  return [
    { name: 'cms', url: trim(source.CMS_URL || `http://localhost:${env.CMS_PORT}`), healthPath: HEALTH_PATHS.ready },
    {
      name: 'storefront',
      url: trim(source.STOREFRONT_URL || `http://localhost:${env.STOREFRONT_PORT}`),
      healthPath: HEALTH_PATHS.ready,
    },
    {
      name: 'portal',
      url: trim(source.PORTAL_URL || `http://localhost:${env.PORTAL_PORT}`),
      healthPath: HEALTH_PATHS.ready,
    },
    { name: 'medusa', url: trim(source.MEDUSA_URL || `http://localhost:${env.COMMERCE_PORT}`), healthPath: '/health' },
  ]
}

/** The CMS database: DATABASE_URL, else the embedded server of `pnpm dev` on EMBEDDED_POSTGRES_PORT. */
export const statusDatabaseUrl = (env: DevEnv): string =>
  env.DATABASE_URL ?? `postgres://postgres:postgres@127.0.0.1:${env.EMBEDDED_POSTGRES_PORT}/${CMS_DATABASE}`

async function serviceStatus(target: ServiceTarget): Promise<ServiceStatus> {
  const url = `${target.url}${target.healthPath}`
  const base = { name: target.name, url: target.url }
  let res: Response
  try {
    res = await fetch(url, { cache: 'no-store', signal: AbortSignal.timeout(TIMEOUT_MS) })
  } catch (error) {
    const timedOut = error instanceof Error && error.name === 'TimeoutError'
    return { ...base, state: 'down', problem: timedOut ? `no answer within ${TIMEOUT_MS} ms` : errorText(error) }
  }
  const text = await res.text()
  let body: Partial<ReadinessBody> = {}
  try {
    body = JSON.parse(text) as Partial<ReadinessBody>
  } catch {
    // Medusa's /health answers "OK" as text.
  }
  const about = { version: body.version, uptimeSeconds: body.uptimeSeconds, checks: body.checks }
  if (res.ok) return { ...base, ...about, state: 'ok' }
  const failing = Object.entries(body.checks ?? {})
    .filter(([, check]) => !check.ok)
    .map(([name, check]) => `${name}: ${check.error ?? 'not ok'}`)
  return {
    ...base,
    ...about,
    state: res.status === 503 ? 'unavailable' : 'down',
    problem: failing.length ? `not ready (${failing.join('; ')})` : `answered ${res.status}`,
  }
}

/** Everything `pnpm status` shows, read now. */
export async function collectStatus(options: {
  targets: ServiceTarget[]
  databaseUrl: string
  heartbeatIntervalMs?: number
}): Promise<StatusReport> {
  const servicesPromise = Promise.all(options.targets.map(serviceStatus))
  const client = new pg.Client({ connectionString: options.databaseUrl, connectionTimeoutMillis: DATABASE_TIMEOUT_MS })
  client.on('error', () => {})
  const url = redactUrl(options.databaseUrl)
  let postgres: StatusReport['postgres']
  let workers: WorkerState[] = []
  let queues: QueueState[] = []
  let failedRuns: FailedRuns[] = []
  try {
    await client.connect()
    const query = (text: string, values?: unknown[]) => client.query(text, values)
    postgres = { reachable: true, url, ...(await readPostgres(query)) }
    workers = await readWorkers(query, { intervalMs: options.heartbeatIntervalMs })
    queues = await readQueues(query)
    failedRuns = await readFailedRuns(query, { sinceSeconds: 3600 })
  } catch (error) {
    postgres = { reachable: false, url, error: errorText(error) }
  } finally {
    await client.end().catch(() => {})
  }
  const services = await servicesPromise
  const problems = [
    ...services.filter((s) => s.state !== 'ok').map((s) => `${s.name} ${s.state}: ${s.problem}`),
    ...(postgres.reachable ? [] : [`PostgreSQL unreachable: ${postgres.error}`]),
    ...workers.filter((w) => w.missing).map((w) => `worker ${w.id} missing: last beat ${w.beatAgeSeconds} s ago`),
    ...(postgres.reachable && workers.every((w) => w.missing)
      ? ['no worker is running: queued jobs will not run']
      : []),
  ]
  return {
    at: new Date().toISOString(),
    ok: problems.length === 0,
    problems,
    services,
    workers,
    postgres,
    queues,
    failedRuns,
  }
}

export function duration(seconds: number | undefined): string {
  if (seconds === undefined) return '-'
  const d = Math.floor(seconds / 86_400)
  const h = Math.floor((seconds % 86_400) / 3600)
  const m = Math.floor((seconds % 3600) / 60)
  const s = Math.floor(seconds % 60)
  return d ? `${d}d ${h}h` : h ? `${h}h ${m}m` : m ? `${m}m ${s}s` : `${s}s`
}

const bytes = (n: number) => (n >= 1 << 30 ? `${(n / (1 << 30)).toFixed(1)} GB` : `${(n / (1 << 20)).toFixed(1)} MB`)

function table(rows: string[][]): string[] {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length)))
  return rows.map((r) =>
    r
      .map((cell, i) => (i === r.length - 1 ? cell : cell.padEnd(widths[i]!)))
      .join('  ')
      .trimEnd(),
  )
}

/** The report as one screen of text. */
export function formatStatus(report: StatusReport): string {
  const lines = [
    `BizOSaaS status at ${report.at}: ${report.ok ? 'all good' : `${report.problems.length} problem(s)`}`,
    '',
  ]
  const mark = (state: string) => (state === 'ok' ? 'ok' : state.toUpperCase())
  lines.push(
    ...table([
      ['SERVICE', 'URL', 'HEALTH', 'VERSION', 'UPTIME', 'DETAIL'],
      ...report.services.map((s) => [
        s.name,
        s.url,
        mark(s.state),
        s.version ?? '-',
        duration(s.uptimeSeconds),
        s.problem ?? '',
      ]),
      ...report.workers.map((w) => [
        `worker (${w.kind})`,
        `${w.host} pid ${w.pid}`,
        w.missing ? 'MISSING' : 'ok',
        w.version,
        duration(w.uptimeSeconds),
        `last beat ${w.beatAgeSeconds} s ago`,
      ]),
      report.postgres.reachable
        ? [
            'postgresql',
            report.postgres.url,
            'ok',
            report.postgres.version,
            '-',
            `size ${bytes(report.postgres.sizeBytes)}`,
          ]
        : ['postgresql', report.postgres.url, 'DOWN', '-', '-', report.postgres.error],
    ]),
  )
  if (report.postgres.reachable && report.workers.length === 0)
    lines.push('(no worker heartbeats: no worker is running)')
  lines.push('')
  if (report.queues.length) {
    const age = (s: number | null) => (s === null ? '-' : duration(s))
    lines.push(
      ...table([
        ['QUEUE', 'QUEUED', 'DEFERRED', 'ACTIVE', 'RETRY', 'OLDEST', 'DEAD LETTERS'],
        ...report.queues.map((q) => [
          q.name,
          String(q.queued),
          String(q.deferred),
          String(q.active),
          String(q.retry),
          age(q.oldestQueuedSeconds),
          q.deadLetterQueue ? `${q.deadLetters} (${q.deadLetterQueue})` : '-',
        ]),
      ]),
    )
  } else if (report.postgres.reachable) lines.push('No pg-boss queues yet (no worker has started).')
  lines.push('')
  lines.push(
    !report.postgres.reachable
      ? 'Agent runs failed in the last hour: unknown (PostgreSQL unreachable)'
      : report.failedRuns.length
        ? `Agent runs failed in the last hour: ${report.failedRuns.map((f) => `${f.tenant ?? f.tenantId ?? '(no tenant)'} ${f.failed}`).join(', ')}`
        : 'Agent runs failed in the last hour: none',
  )
  if (report.problems.length) lines.push('', 'Problems:', ...report.problems.map((p) => `  - ${p}`))
  return lines.join('\n')
}
