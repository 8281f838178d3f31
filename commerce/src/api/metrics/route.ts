/**
 * `GET /metrics` (Prometheus text) of this Medusa process: HTTP latency by route and process metrics
 * (lib/metrics.ts). Not public: the proxy must not route it; `METRICS_TOKEN` adds bearer auth.
 */
import type { MedusaRequest, MedusaResponse } from '@medusajs/framework/http'
import { commerceMetrics, metricsAuthorized } from '../../lib/metrics'

// Subscribed when Medusa loads its routes at start, so every request from then on is timed.
commerceMetrics()

export const AUTHENTICATE = false

export async function GET(req: MedusaRequest, res: MedusaResponse) {
  res.setHeader('cache-control', 'no-store')
  if (!metricsAuthorized(req.headers.authorization)) {
    res.setHeader('www-authenticate', 'Bearer')
    res.status(401).type('text/plain').send('Send the metrics token as "Authorization: Bearer <METRICS_TOKEN>".\n')
    return
  }
  const { registry } = commerceMetrics()
  res.status(200).setHeader('content-type', registry.contentType)
  res.send(await registry.metrics())
}
