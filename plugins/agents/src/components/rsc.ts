/** Server components of the agents admin, referenced from the import map as `@bizosaas/plugin-agents/rsc#Name`. */
export { QueueHealthWidget } from './queue-health.tsx'
