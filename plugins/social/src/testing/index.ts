/** `@bizosaas/plugin-social/testing`: the mock social APIs (one core server, a mock per platform) and a connection context for platform tests. */
export * from './mock-connection.ts'
export * from './mock-core.ts'
export * from './mock-graph.ts'
export * from './mock-linkedin.ts'
