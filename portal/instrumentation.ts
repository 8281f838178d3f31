/**
 * Next.js start-up hook of the portal server: in production it first checks the settings, so a missing or
 * bad variable stops the process with one message naming each of them; then it times every HTTP request
 * by route pattern for `/metrics` and starts OpenTelemetry tracing when OTEL_* asks for it.
 */
export async function register() {
  if (process.env.NEXT_RUNTIME !== 'nodejs' || process.env.NEXT_PHASE === 'phase-production-build') return
  const { assertPortalEnv } = await import('./lib/env')
  assertPortalEnv()
  const { observeHttpServer, serviceMetrics } = await import('@bizosaas/observability/metrics')
  const { PORTAL_ROUTES, PORTAL_SERVICE } = await import('./lib/metrics')
  observeHttpServer(serviceMetrics(PORTAL_SERVICE), PORTAL_ROUTES)
  const { startTracing } = await import('@bizosaas/observability/tracing')
  await startTracing(PORTAL_SERVICE)
}
