/**
 * Which key pays for each model provider of a run: the tenant's policy applied to the keys it has.
 * Registered on `config.custom` for `@bizosaas/plugin-agents` (which never imports this package).
 */
import type { Payload } from 'payload'
import { MODEL_PROVIDERS, type ModelProvider, type ModelProviderClient } from '../connectors/model-provider.ts'
import { modelKeyPolicyOf } from './policy.ts'
import { tenantModelKey } from './tenant-keys.ts'

/**
 * Where `@bizosaas/plugin-agents` finds the resolver (`payload.config.custom[MODEL_KEYS_RESOLVER]`);
 * the same name and shapes as its `worker/model-keys.ts`.
 */
export const MODEL_KEYS_RESOLVER = 'bizosaas-connectors:modelKeys'

/** Where one provider's key comes from for a run. */
export interface ModelKeyChoice {
  source: 'tenant' | 'platform'
  /** The tenant's connection whose key pays (source `tenant`). */
  connection?: string
  /** The runtime's provider options with the tenant's key (source `tenant`). */
  options?: ModelProviderClient
  /** Calls to this provider must not be made: why, for a person (own keys only, and none for it). */
  refused?: string
}

export type ModelKeysResolver = (
  payload: Payload,
  args: { tenant: number | string; providers: readonly string[] },
) => Promise<Record<string, ModelKeyChoice>>

const NAMES: Record<ModelProvider, string> = { openai: 'OpenAI', anthropic: 'Anthropic' }
const isModelProvider = (id: string): id is ModelProvider => (MODEL_PROVIDERS as readonly string[]).includes(id)

/**
 * Applies the tenant's policy to each provider: `platform-only` → the platform's key; otherwise the
 * tenant's key when it has one, else the platform's (`own-then-platform`) or a refusal (`own-only`).
 * Providers nobody can bring a key for (a deployment's own) always use the platform's configuration.
 */
export const resolveModelKeys: ModelKeysResolver = async (payload, { tenant, providers }) => {
  const policy = await modelKeyPolicyOf(payload, tenant)
  const choices: Record<string, ModelKeyChoice> = {}
  for (const provider of new Set(providers)) {
    if (!isModelProvider(provider) || policy === 'platform-only') {
      choices[provider] = { source: 'platform' }
      continue
    }
    const own = await tenantModelKey(payload, { tenant, provider })
    if (own && 'client' in own)
      choices[provider] = { source: 'tenant', connection: own.connection, options: own.client }
    else if (policy === 'own-then-platform') choices[provider] = { source: 'platform' }
    else
      choices[provider] = {
        source: 'tenant',
        connection: own?.connection,
        refused: own
          ? `This tenant uses only its own keys and its ${NAMES[provider]} key cannot be used: ${own.unusable}`
          : `This tenant uses only its own keys and has no ${NAMES[provider]} key; add one under Integrations`,
      }
  }
  return choices
}
