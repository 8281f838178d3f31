/**
 * Next.js start-up hook of the storefront server: in production it first checks the settings, so a missing or
 * bad variable stops the process with one message naming each of them; then it times every HTTP request
 * by route pattern for `/metrics` and starts OpenTelemetry tracing when OTEL_* asks for it.
 */
export async function register() {
  if (process.env.NEXT_RUNTIME !== 'nodejs' || process.env.NEXT_PHASE === 'phase-production-build') return
  const { assertStorefrontEnv } = await import('./lib/env')
  assertStorefrontEnv()
  const { observeHttpServer, serviceMetrics } = await import('@bizosaas/observability/metrics')
  const { STOREFRONT_ROUTES, STOREFRONT_SERVICE } = await import('./lib/metrics')
  observeHttpServer(serviceMetrics(STOREFRONT_SERVICE), STOREFRONT_ROUTES)
  const { startTracing } = await import('@bizosaas/observability/tracing')
  await startTracing(STOREFRONT_SERVICE)
}
