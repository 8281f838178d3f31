/**
 * The CMS's and the workers' Prometheus metrics: the process's registry (@bizosaas/observability: HTTP
 * latency by route, default process metrics) plus the platform's state read from PostgreSQL at scrape
 * time — jobs and the oldest waiting job's age per pg-boss queue, agent runs by agent and status, model
 * tokens and cost by provider, products whose Medusa sync failed. Read from the database (cached a few
 * seconds), not counted in memory, so every replica reports the same numbers.
 */

import { createLogger, type Logger } from '@bizosaas/observability/logger'
import {
  cachedLoad,
  Gauge,
  metricsResponse,
  observeHttpServer,
  type ServiceMetrics,
  serviceMetrics,
} from '@bizosaas/observability/metrics'
import type { Payload, SanitizedConfig } from 'payload'
import { EXISTING_QUEUE_SCHEMAS, PLATFORM_SQL, queueJobs } from './sql.ts'

interface Queryable {
  query<R = Record<string, unknown>>(text: string, values?: unknown[]): Promise<{ rows: R[] }>
}

/**
 * The CMS's route patterns beyond what `routeOf` infers (collection paths keep their slug, ids become
 * `:id`): the agents' endpoints, whose slugs are not ids.
 */
export const CMS_ROUTES = ['/api/agents/:slug/runs', '/api/approvals/:id/:decision']

type Gauges = ReturnType<typeof platformGauges>

const gauge = <L extends string>(metrics: ServiceMetrics, name: string, help: string, labelNames: readonly L[]) =>
  (metrics.registry.getSingleMetric(name) as Gauge<L> | undefined) ??
  new Gauge<L>({ name, help, labelNames, registers: [metrics.registry] })

function platformGauges(metrics: ServiceMetrics) {
  return {
    queueJobs: gauge(metrics, 'bizosaas_queue_jobs', 'pg-boss jobs not finished, by queue and state', [
      'queue',
      'state',
    ] as const),
    queueOldest: gauge(
      metrics,
      'bizosaas_queue_oldest_job_age_seconds',
      'Age of the oldest job waiting (created or retry) per pg-boss queue; dead letters are the *.dead queues',
      ['queue'] as const,
    ),
    runs: gauge(metrics, 'bizosaas_agent_runs', 'Agent runs in the database, by agent and status', [
      'agent',
      'status',
    ] as const),
    tokens: gauge(metrics, 'bizosaas_model_tokens', 'Model tokens recorded (all time), by provider and kind', [
      'provider',
      'kind',
    ] as const),
    cost: gauge(metrics, 'bizosaas_model_cost_usd', 'Model cost recorded in USD (all time), by provider', [
      'provider',
    ] as const),
    modelCalls: gauge(metrics, 'bizosaas_model_calls', 'Model calls recorded (all time), by provider and outcome', [
      'provider',
      'outcome',
    ] as const),
    syncFailed: gauge(
      metrics,
      'bizosaas_medusa_sync_failed_products',
      'Products whose last Medusa → CMS sync failed, by tenant',
      ['tenant'] as const,
    ),
    up: gauge(metrics, 'bizosaas_metrics_database_up', '1 when the last read of the platform metrics succeeded', []),
  }
}

/** Reads the platform metrics from the database into the gauges. */
export async function collectPlatformMetrics(db: Queryable, gauges: Gauges, schemas: readonly string[] = ['pgboss']) {
  try {
    const existing = await db.query<{ schema: string }>(EXISTING_QUEUE_SCHEMAS, [schemas])
    const queuesSql = queueJobs(existing.rows.map((r) => r.schema))
    const [queues, runs, models, sync] = await Promise.all([
      queuesSql ? db.query<{ queue: string; state: string; jobs: number; oldest: number | null }>(queuesSql) : null,
      db.query<{ agent: string; status: string; runs: number }>(PLATFORM_SQL.runs),
      db.query<{
        provider: string
        calls: number
        errors: number
        input: number
        output: number
        cached: number
        cost: number
      }>(PLATFORM_SQL.models),
      db.query<{ tenant: string | null; failed: number }>(PLATFORM_SQL.syncFailures),
    ])
    // Series of queues, agents or tenants that are gone must not linger.
    for (const g of Object.values(gauges)) g.reset()
    const oldest = new Map<string, number>()
    for (const row of queues?.rows ?? []) {
      gauges.queueJobs.set({ queue: row.queue, state: row.state }, Number(row.jobs))
      // Waiting jobs only: a long-running active job is not a backlog.
      if (row.state !== 'active') oldest.set(row.queue, Math.max(oldest.get(row.queue) ?? 0, Number(row.oldest ?? 0)))
    }
    for (const [queue, age] of oldest) gauges.queueOldest.set({ queue }, age)
    for (const row of runs.rows) gauges.runs.set({ agent: row.agent, status: row.status }, Number(row.runs))
    for (const row of models.rows) {
      for (const kind of ['input', 'output', 'cached'] as const)
        gauges.tokens.set({ provider: row.provider, kind }, Number(row[kind]))
      gauges.cost.set({ provider: row.provider }, Number(row.cost))
      gauges.modelCalls.set({ provider: row.provider, outcome: 'ok' }, Number(row.calls) - Number(row.errors))
      gauges.modelCalls.set({ provider: row.provider, outcome: 'error' }, Number(row.errors))
    }
    for (const row of sync.rows) gauges.syncFailed.set({ tenant: row.tenant ?? 'none' }, Number(row.failed))
    gauges.up.set(1)
  } catch (error) {
    gauges.up.set(0)
    throw error
  }
}

export interface PlatformMetricsOptions {
  /** `service` label of the process. @default 'cms' */
  service?: string
  /** How long a database read serves scrapes. @default 5000 */
  cacheMs?: number
  /** pg-boss schemas to report. @default ['pgboss'] */
  schemas?: string[]
}

/**
 * `GET /metrics` for a process with a Payload: the process registry (with its HTTP histogram fed from
 * node:http) and the platform gauges refreshed from Payload's database at most every `cacheMs`.
 */
export function platformMetricsHandler(
  payload: () => Promise<Payload>,
  options: PlatformMetricsOptions = {},
): (request: Request) => Promise<Response> {
  const metrics = serviceMetrics(options.service ?? 'cms')
  observeHttpServer(metrics, CMS_ROUTES)
  const gauges = platformGauges(metrics)
  let logger: Pick<Logger, 'warn'> | undefined
  const refresh = cachedLoad(async () => {
    const instance = await payload()
    logger = instance.logger
    const db = instance.db as unknown as { pool?: Queryable }
    if (!db.pool) throw new Error('the platform metrics need @payloadcms/db-postgres')
    await collectPlatformMetrics(db.pool, gauges, options.schemas)
  }, options.cacheMs ?? 5_000)
  return async (request) =>
    metricsResponse(metrics, request, {
      // A database (or Payload) that does not answer: the process metrics still, the platform's last
      // numbers, and `bizosaas_metrics_database_up 0`.
      collect: () =>
        refresh().catch((error: unknown) => {
          gauges.up.set(0)
          logger ??= createLogger(options.service ?? 'cms')
          logger.warn({ err: error }, 'metrics: reading the platform metrics failed')
        }),
    })
}

/** The handler of the CMS app's `app/metrics/route.ts`. */
export function cmsMetricsRoute(config: Promise<SanitizedConfig> | SanitizedConfig) {
  return platformMetricsHandler(async () => {
    const { getPayload } = await import('payload')
    return getPayload({ config: await config })
  })
}
