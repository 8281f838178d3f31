/**
 * `GET /metrics` (Prometheus text): HTTP latency by route and process metrics of this storefront
 * process. Not for shoppers: the public proxy must not route it; `METRICS_TOKEN` adds bearer auth.
 */
import { metricsResponse, serviceMetrics } from '@bizosaas/observability/metrics'
import { STOREFRONT_SERVICE } from '@lib/metrics'

export const dynamic = 'force-dynamic'

export function GET(request: Request): Promise<Response> {
  return metricsResponse(serviceMetrics(STOREFRONT_SERVICE), request)
}
