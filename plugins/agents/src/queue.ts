import { type AgentQueue, createAgentQueue } from '@bizosaas/agents/queue'
import type { Payload } from 'payload'
import type { ResolvedAgentsConfig } from './defaults.ts'
import { payloadExecute } from './execute.ts'
import { agentRegistry } from './registry.ts'

const queues = new WeakMap<Payload, AgentQueue>()

/** The connection string pg-boss uses: the plugin option, or the database Payload uses. */
export function queueConnectionString(payload: Payload, config: ResolvedAgentsConfig): string {
  const fromAdapter = (payload.db as unknown as { poolOptions?: { connectionString?: string } }).poolOptions
    ?.connectionString
  const url = config.queueConnectionString ?? fromAdapter ?? process.env.DATABASE_URL
  if (!url)
    throw new Error(
      '@bizosaas/plugin-agents: no database URL for the queue (set queueConnectionString or DATABASE_URL)',
    )
  return url
}

/**
 * The agent queue of this Payload process (one per instance). Producers (endpoints, hooks) and the
 * worker share it; workers run only where `startAgentsWorker` is called.
 */
export function agentQueueOf(payload: Payload, config: ResolvedAgentsConfig): AgentQueue {
  let queue = queues.get(payload)
  if (!queue) {
    queue = createAgentQueue({
      connectionString: queueConnectionString(payload, config),
      agents: agentRegistry(payload),
      execute: payloadExecute(payload),
      ...config.queue,
      onError: (error) => payload.logger.error({ err: error }, 'agents queue error'),
    })
    queues.set(payload, queue)
  }
  return queue
}

/** Forgets the queue of `payload` (after it was stopped). */
export function dropAgentQueue(payload: Payload): void {
  queues.delete(payload)
}
