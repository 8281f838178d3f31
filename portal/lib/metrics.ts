/**
 * The portal's Prometheus metrics (@bizosaas/observability): route patterns of its pages, so the latency
 * histogram's `route` label never holds a tenant, run or approval id.
 */
export const PORTAL_SERVICE = 'portal'

export const PORTAL_ROUTES = [
  '/',
  '/sign-in',
  '/t/:tenant',
  '/t/:tenant/runs/:id',
  '/t/:tenant/approvals/:id',
  '/t/:tenant/:section',
  '/api/runs/:id/events',
  '/metrics',
  '/_next/:rest*',
]
