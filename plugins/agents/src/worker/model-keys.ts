/**
 * Whose model keys a run uses. A plugin (the connectors plugin) registers a resolver on
 * `config.custom[MODEL_KEYS_RESOLVER]` that says, per provider of the run's model chain, whether the
 * tenant's own key or the platform's pays — or that the provider must not be called. This plugin never
 * imports that one: without a resolver every run uses the platform's keys, as before.
 */
import {
  providers as defaultProviders,
  type ModelProvider,
  ProviderError,
  type ProviderOptions,
  type ProviderOptionsMap,
  type ProviderRegistry,
  parseModelString,
} from '@bizosaas/agents'
import type { Payload } from 'payload'
import type { Id } from '../types.ts'

/** Where the resolver is registered (the connectors plugin's `MODEL_KEYS_RESOLVER`). */
export const MODEL_KEYS_RESOLVER = 'bizosaas-connectors:modelKeys'

/** Where one provider's key comes from. */
export interface ModelKeyChoice {
  source: 'tenant' | 'platform'
  /** The tenant's connection whose key pays (source `tenant`). */
  connection?: string
  /** Provider options carrying the tenant's key (source `tenant`). */
  options?: ProviderOptions
  /** Calls to this provider must not be made: why, for a person. */
  refused?: string
}

export type ModelKeysResolver = (
  payload: Payload,
  args: { tenant: Id; providers: readonly string[] },
) => Promise<Record<string, ModelKeyChoice>>

/** What a run records about the key that paid: the tenant's, the platform's, or none (the offline mock). */
export const KEY_SOURCE = Object.freeze({ tenant: 'tenant', platform: 'platform', offline: 'offline' } as const)
export type KeySource = (typeof KEY_SOURCE)[keyof typeof KEY_SOURCE]

/** How a run calls its models. */
export interface RunModelKeys {
  /** The model chain to run (providers refused by the tenant's policy left out while another remains). */
  models: readonly string[]
  providerOptions?: ProviderOptionsMap
  /** A registry that refuses, without a network call, the providers the policy forbids (none: the usual). */
  providers?: ProviderRegistry
  /** Who pays for the first model of the chain; undefined when the run may call no model. */
  keySource?: KeySource
  keyConnection?: string
}

/** Env variables of the platform's keys per provider (the runtime's own, see agents/src/providers). */
const PLATFORM_ENV: Record<string, { key: string; url: string }> = {
  openai: { key: 'OPENAI_API_KEY', url: 'OPENAI_BASE_URL' },
  anthropic: { key: 'ANTHROPIC_API_KEY', url: 'ANTHROPIC_BASE_URL' },
}

/** The platform answers with the offline mock LLM when it has no key nor server for the provider (pnpm dev). */
function platformSource(provider: string): KeySource {
  const env = PLATFORM_ENV[provider]
  if (env && !process.env[env.key] && !process.env[env.url] && process.env.MOCK_LLM_URL) return KEY_SOURCE.offline
  return KEY_SOURCE.platform
}

const providerOf = (model: string) => parseModelString(model)?.provider ?? model

/**
 * The keys of a run of `tenant` over `models`. Own keys only and none for a provider: that provider's
 * models are left out of the chain; when none is left, the run keeps its first model behind a provider
 * that fails at once (non-retryable, no network call) with the resolver's message.
 */
export async function runModelKeys(
  payload: Payload,
  args: { tenant: Id | undefined; models: readonly string[]; registry?: ProviderRegistry },
): Promise<RunModelKeys> {
  const resolver = payload.config.custom?.[MODEL_KEYS_RESOLVER] as ModelKeysResolver | undefined
  const first = args.models[0]
  if (!resolver || args.tenant === undefined || !first)
    return { models: args.models, keySource: first ? platformSource(providerOf(first)) : undefined }
  let choices: Record<string, ModelKeyChoice>
  try {
    choices = await resolver(payload, { tenant: args.tenant, providers: args.models.map(providerOf) })
  } catch (error) {
    // A key that cannot be opened (its vault key was removed …) will not open on a retry either.
    const message = `This tenant's model keys could not be read: ${(error as Error).message}`
    return { models: [first], providers: refusingRegistry(args.registry ?? defaultProviders, message) }
  }
  const allowed = args.models.filter((model) => !choices[providerOf(model)]?.refused)
  const providerOptions: ProviderOptionsMap = {}
  for (const [provider, choice] of Object.entries(choices))
    if (choice.source === 'tenant' && choice.options) providerOptions[provider] = choice.options
  if (allowed.length === 0) {
    const refusal = choices[providerOf(first)]?.refused as string
    return { models: [first], providers: refusingRegistry(args.registry ?? defaultProviders, refusal) }
  }
  const lead = choices[providerOf(allowed[0] as string)]
  return {
    models: allowed,
    providerOptions,
    keySource: lead?.source === 'tenant' ? KEY_SOURCE.tenant : platformSource(providerOf(allowed[0] as string)),
    keyConnection: lead?.source === 'tenant' ? lead.connection : undefined,
  }
}

/** Resolves every model to a provider that fails at once with `message`; nothing leaves the process. */
function refusingRegistry(registry: ProviderRegistry, message: string): ProviderRegistry {
  return {
    ...registry,
    async resolve(model) {
      const parsed = parseModelString(model)
      const provider: ModelProvider = {
        id: parsed?.provider ?? model,
        generate: () =>
          Promise.reject(
            new ProviderError({
              message,
              kind: 'auth',
              provider: parsed?.provider ?? model,
              model: parsed?.model ?? '',
            }),
          ),
      }
      return { id: model, provider, model: parsed?.model ?? model }
    },
  }
}
