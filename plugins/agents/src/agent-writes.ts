/**
 * Which writes are an agent's own: everything Payload does inside a run or an apply of an approved
 * proposal runs in this async scope, so collection triggers can skip it — an agent applying its output
 * never starts itself (or another agent) again, whether or not the agent marked its Local API calls
 * with `context.agentsApplying`.
 */
import { AsyncLocalStorage } from 'node:async_hooks'

export interface AgentWriteScope {
  agent: string
  runId: string
}

const scope = new AsyncLocalStorage<AgentWriteScope>()

/** Runs `fn` with its writes marked as `agent`'s own. */
export const asAgentWrites = <T>(writer: AgentWriteScope, fn: () => Promise<T>): Promise<T> => scope.run(writer, fn)

/** The agent whose run or apply is making the current write, if any. */
export const agentWriting = (): AgentWriteScope | undefined => scope.getStore()
