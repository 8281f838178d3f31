/**
 * A tenant's own key for a model provider, opened on the server: the client of its connection to the
 * `openai` / `anthropic` connector (its newest connected one). Never send the result to a browser or a log.
 */
import type { Payload } from 'payload'
import { connectionClient, poolOf } from '../connections.ts'
import type { ModelProvider, ModelProviderClient } from '../connectors/model-provider.ts'
import { ConnectionError } from '../define.ts'
import { selectTenantConnection } from '../sql.ts'

export type TenantModelKey =
  | { client: ModelProviderClient; connection: string }
  /** The tenant has a connection, but it cannot be used (needs to be connected again, cannot be opened). */
  | { unusable: string; connection: string }

/** The tenant's key for `provider`, or undefined when it has no connection to it. */
export async function tenantModelKey(
  payload: Payload,
  args: { tenant: number | string; provider: ModelProvider; signal?: AbortSignal },
): Promise<TenantModelKey | undefined> {
  const row = await selectTenantConnection(poolOf(payload), args.tenant, args.provider)
  if (!row) return undefined
  const connection = String(row.id)
  try {
    const client = await connectionClient(payload, {
      tenant: args.tenant,
      connector: args.provider,
      connection: row.id,
      signal: args.signal,
    })
    const own = client as ModelProviderClient
    // Without a key the SDK would quietly fall back to the platform's env key: never count that as the tenant's.
    if (!own.apiKey) return { unusable: 'it has no stored key; enter it again under Integrations', connection }
    return { client: own, connection }
  } catch (error) {
    if (!(error instanceof ConnectionError)) throw error
    if (error.code === 'not-connected') return undefined
    return { unusable: error.message, connection }
  }
}
