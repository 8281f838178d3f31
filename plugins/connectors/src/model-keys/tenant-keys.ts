/**
 * A tenant's own key for a model provider, opened on the server: the client of its newest connection to
 * the `openai` / `anthropic` connector. Never send the result to a browser or a log.
 */
import { findProviderSecret } from '@bizosaas/plugin-vault'
import type { Payload } from 'payload'
import { anthropicConnector, openaiConnector } from '../connectors/index.ts'
import type { ModelProvider, ModelProviderClient } from '../connectors/model-provider.ts'

export interface TenantModelKey {
  client: ModelProviderClient
  /** The connection whose key this is. */
  connection: string
}

const DEFAULT_API: Record<ModelProvider, string> = {
  openai: openaiConnector.urls?.api as string,
  anthropic: anthropicConnector.urls?.api as string,
}

/** The tenant's key for `provider`, or undefined when it has none. */
export async function tenantModelKey(
  payload: Payload,
  args: { tenant: number | string; provider: ModelProvider },
): Promise<TenantModelKey | undefined> {
  // INTERIM until `connections` lands: the vault's integration row is the tenant's connection.
  const found = await findProviderSecret(payload, { tenant: args.tenant, provider: args.provider })
  if (!found) return undefined
  return {
    client: { apiKey: found.secret, baseURL: (found.baseUrl || DEFAULT_API[args.provider]).replace(/\/+$/, '') },
    connection: String(found.integration),
  }
}
