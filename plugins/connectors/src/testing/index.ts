/**
 * `@bizosaas/plugin-connectors/testing`: local mock servers of the services connectors reach, for tests
 * and `pnpm dev`. Each lane adds its export line.
 */
export * from './mock-google.ts'
