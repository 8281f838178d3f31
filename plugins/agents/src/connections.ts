/**
 * `ctx.connection('<id>')` for hosted agents: the run's tenant's connection client, from the connectors
 * plugin when it is installed. Looked up on `config.custom` (where plugin-connectors puts its
 * `connectionClient`), so this plugin does not depend on it.
 */
import type { AgentServices } from '@bizosaas/agents'
import type { Payload } from 'payload'
import { hostedAgent } from './registry.ts'

/** Where plugin-connectors registers `connectionClient(payload, { tenant, connector, signal })`. */
export const CONNECTION_CLIENT_KEY = 'connectionClient'

type ConnectionClient = (
  payload: Payload,
  args: { tenant: string | number; connector: string; signal?: AbortSignal },
) => Promise<unknown>

/**
 * The `connection` service of a run of `agent` in `tenant`, or undefined without the connectors plugin.
 * An agent that declares `connectors` may use only those.
 */
export function connectionService(
  payload: Payload,
  args: { agent: string; tenant?: string | number | null; signal?: AbortSignal },
): AgentServices['connection'] {
  const connectionClient = payload.config.custom?.[CONNECTION_CLIENT_KEY] as ConnectionClient | undefined
  if (!connectionClient) return undefined
  const declared = hostedAgent(payload, args.agent)?.connectors
  return async <T = unknown>(id: string): Promise<T> => {
    if (declared && !declared.includes(id))
      throw new Error(
        `Agent "${args.agent}" does not declare connector "${id}" (it declares: ${declared.join(', ') || 'none'})`,
      )
    if (args.tenant === undefined || args.tenant === null || args.tenant === '')
      throw new Error(`Connector "${id}" needs a tenant, and this run has none`)
    return (await connectionClient(payload, { tenant: args.tenant, connector: id, signal: args.signal })) as T
  }
}
