/**
 * What the host hands to tools, `approval` and `apply` (`RunOptions.services`). Hosts add theirs by
 * augmentation, e.g. the Payload plugin:
 * `declare module '@bizosaas/agents' { interface AgentServices { payload?: Payload } }`.
 * Its own file so that tools and agents both import it downward (no tool ↔ agent cycle).
 */
export interface AgentServices {
  /**
   * The client of the run's tenant's connection to connector `id` (e.g. `'smtp'`), when the host offers
   * connections (plugin-agents with plugin-connectors). Rejects when the tenant has not connected it or
   * it needs reconnecting; the message says so, for the model and the person.
   */
  connection?: <T = unknown>(id: string) => Promise<T>
}
