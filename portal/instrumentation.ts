/**
 * Next.js's instrumentation hook for the portal: at server start, time every HTTP request by route
 * pattern for `/metrics` (lib/metrics.ts), and start OpenTelemetry tracing when OTEL_* asks for it.
 */
export async function register() {
  if (process.env.NEXT_RUNTIME !== 'nodejs') return
  const { observeHttpServer, serviceMetrics } = await import('@bizosaas/observability/metrics')
  const { PORTAL_ROUTES, PORTAL_SERVICE } = await import('./lib/metrics')
  observeHttpServer(serviceMetrics(PORTAL_SERVICE), PORTAL_ROUTES)
  const { startTracing } = await import('@bizosaas/observability/tracing')
  await startTracing(PORTAL_SERVICE)
}
