/**
 * `modelKeysPlugin()`: bring your own model key. Registers the `openai` and `anthropic` connectors (a
 * tenant's key is its connection to one), adds the `modelKeys` policy field to `tenants`, the
 * `/api/connectors/model-keys` endpoints, and registers the resolver plugin-agents asks, per run, which
 * key pays for each provider (`config.custom[MODEL_KEYS_RESOLVER]`).
 */
import type { CollectionConfig, Config, Field } from 'payload'
import { anthropicConnector } from '../connectors/anthropic.ts'
import { openaiConnector } from '../connectors/openai.ts'
import { REGISTRY_KEY } from '../constants.ts'
import type { AnyConnector } from '../define.ts'
import { registerConnectors } from '../registry.ts'
import { modelKeysEndpoints } from './endpoint.ts'
import { DEFAULT_MODEL_KEY_POLICY, MODEL_KEY_POLICIES, MODEL_KEY_POLICY_LABELS, MODEL_KEYS_FIELD } from './policy.ts'
import { MODEL_KEYS_RESOLVER, resolveModelKeys } from './resolve.ts'

export interface ModelKeysPluginConfig {
  /** `false` keeps the tenant field (the schema never depends on the flag) but adds no endpoint or resolver. @default true */
  enabled?: boolean
}

const policyField: Field = {
  name: MODEL_KEYS_FIELD,
  type: 'select',
  label: 'Model keys',
  defaultValue: DEFAULT_MODEL_KEY_POLICY,
  options: MODEL_KEY_POLICIES.map((value) => ({ value, label: MODEL_KEY_POLICY_LABELS[value] })),
  admin: {
    description:
      'Whose OpenAI / Anthropic keys pay for this tenant’s agent runs. The tenant’s own keys are its connections (Integrations).',
  },
}

export function modelKeysPlugin(options: ModelKeysPluginConfig = {}) {
  const enabled = options.enabled ?? true
  return (incoming: Config): Config => {
    const collections = (incoming.collections ?? []).map((collection): CollectionConfig => {
      if (collection.slug !== 'tenants') return collection
      if (collection.fields.some((f) => 'name' in f && f.name === MODEL_KEYS_FIELD)) return collection
      return { ...collection, fields: [...collection.fields, policyField] }
    })
    const config: Config = { ...incoming, custom: { ...incoming.custom } }
    // The connectors themselves (a pack could have registered them already).
    const registered = ((config.custom as Record<string, unknown>)[REGISTRY_KEY] ?? []) as AnyConnector[]
    ;(config.custom as Record<string, unknown>)[REGISTRY_KEY] = [...registered]
    registerConnectors(
      config,
      [openaiConnector, anthropicConnector].filter((c) => !registered.some((r) => r.id === c.id)),
    )
    if (!enabled) return { ...config, collections }
    return {
      ...config,
      collections,
      endpoints: [...(incoming.endpoints ?? []), ...modelKeysEndpoints],
      custom: { ...config.custom, [MODEL_KEYS_RESOLVER]: resolveModelKeys },
    }
  }
}
