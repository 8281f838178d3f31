/**
 * `GET /metrics` (Prometheus text): HTTP latency by route and process metrics of this portal process.
 * Not public: the proxy must not route it; `METRICS_TOKEN` adds bearer auth.
 */
import { metricsResponse, serviceMetrics } from '@bizosaas/observability/metrics'
import { PORTAL_SERVICE } from '@lib/metrics'

export const dynamic = 'force-dynamic'

export function GET(request: Request): Promise<Response> {
  return metricsResponse(serviceMetrics(PORTAL_SERVICE), request)
}
