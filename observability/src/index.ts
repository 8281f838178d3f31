/** @bizosaas/observability: logs (logger.ts), request ids (request-id.ts) and metrics (metrics.ts); tracing at ./tracing. */
export * from './logger.ts'
export * from './metrics.ts'
export * from './request-id.ts'
