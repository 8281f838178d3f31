/**
 * Next.js's instrumentation hook for the CMS: at server start, time every HTTP request by route pattern
 * for `/metrics` (observability/metrics.ts), and start OpenTelemetry tracing when OTEL_* asks for it.
 */
export async function register() {
  if (process.env.NEXT_RUNTIME !== 'nodejs') return
  const { observeHttpServer, serviceMetrics } = await import('@bizosaas/observability/metrics')
  const { CMS_ROUTES } = await import('./observability/metrics.ts')
  observeHttpServer(serviceMetrics('cms'), CMS_ROUTES)
  const { startTracing } = await import('@bizosaas/observability/tracing')
  await startTracing('cms')
}
