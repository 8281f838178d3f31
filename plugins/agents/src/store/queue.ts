/**
 * The agent queue (pg-boss) of a Payload process, and the request transaction as a pg-boss connection.
 * Producers (endpoints, hooks, schedules) only enqueue: how a job runs is given when workers start
 * (`worker/`), so nothing here loads the runtime's execution path.
 */
import { type AgentQueue, createAgentQueue } from '@bizosaas/agents/queue'
import type { Payload, PayloadRequest } from 'payload'
import type { Db } from 'pg-boss'
import type { ResolvedAgentsConfig } from '../config.ts'
import { agentRegistry } from '../registry.ts'

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

interface PgClient {
  query(text: string, values?: unknown[]): Promise<{ rows: unknown[] }>
}

/**
 * The request's open database transaction as a pg-boss connection, so queue writes (schedules) commit
 * or roll back with the document. Undefined when there is no transaction, or when pg-boss lives in
 * another database than Payload (then the queue's own pool is used).
 */
export async function transactionDb(req: PayloadRequest, config: ResolvedAgentsConfig): Promise<Db | undefined> {
  if (!req.transactionID) return undefined
  const adapter = req.payload.db as unknown as {
    poolOptions?: { connectionString?: string }
    sessions?: Record<string, { db?: unknown }>
  }
  const own = adapter.poolOptions?.connectionString ?? process.env.DATABASE_URL
  if (config.queueConnectionString && config.queueConnectionString !== own) return undefined
  // Payload keeps each transaction as a Drizzle transaction; its session holds the checked-out pg client.
  const tx = adapter.sessions?.[String(await req.transactionID)]?.db as { session?: { client?: PgClient } } | undefined
  const client = tx?.session?.client
  if (typeof client?.query !== 'function') return undefined
  return { executeSql: (text, values) => client.query(text, values) }
}
