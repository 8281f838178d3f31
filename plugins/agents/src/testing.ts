/**
 * `@bizosaas/plugin-agents/testing`: the host's inner handles that benches and other packages' tests
 * measure or reset — the resolved options, the process's agent queue, the Payload pool the store
 * writes through, a run's row. Not for agent packs (they use the root export).
 */
export { pluginConfigOf, type ResolvedAgentsConfig } from './config.ts'
export { APPLY_QUEUE } from './constants.ts'
export { poolOf } from './store/db.ts'
export { agentQueueOf, dropAgentQueue } from './store/queue.ts'
export { findRunRow } from './store/state.ts'
