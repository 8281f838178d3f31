/**
 * What the host hands to tools, `approval` and `apply` (`RunOptions.services`). Hosts add theirs by
 * augmentation, e.g. the Payload plugin:
 * `declare module '@bizosaas/agents' { interface AgentServices { payload?: Payload } }`.
 * Its own file so that tools and agents both import it downward (no tool ↔ agent cycle).
 */
// biome-ignore lint/suspicious/noEmptyInterface: an augmentation point
export interface AgentServices {}
