/**
 * `GET /metrics` (Prometheus text): HTTP latency by route, process metrics, queues, agent runs, model
 * tokens and cost, sync failures (observability/metrics.ts). Never routed by the public proxy;
 * `METRICS_TOKEN` adds bearer auth.
 */
import config from '@payload-config'
import { cmsMetricsRoute } from '@/observability/metrics.ts'

export const dynamic = 'force-dynamic'
export const GET = cmsMetricsRoute(config)
