import { DEFAULT_PRICES } from '../usage.ts'
import type { ModelProvider, ProviderOptions } from './types.ts'

/** Builds a provider for given options (API key, base URL). Called once per distinct options. */
export type ProviderFactory = (options: ProviderOptions) => ModelProvider | Promise<ModelProvider>

/** Options per provider id, e.g. `{ openai: { apiKey }, anthropic: { baseURL } }`. */
export type ProviderOptionsMap = Partial<Record<string, ProviderOptions>>

/** A resolved model string. */
export interface ResolvedModel {
  /** `provider:model` */
  id: string
  provider: ModelProvider
  model: string
}

/** Resolves `provider:model` strings to providers. */
export interface ProviderRegistry {
  /** Registers a provider instance (used as is) or a factory (given per-call options). Replaces an existing id. */
  register(
    id: string,
    provider: ModelProvider | ProviderFactory,
    meta?: { models?: readonly string[] },
  ): ProviderRegistry
  has(id: string): boolean
  ids(): string[]
  resolve(model: string, options?: ProviderOptionsMap): Promise<ResolvedModel>
}

/** A model string that names no registered provider or is malformed. */
export class UnknownModelError extends Error {
  override name = 'UnknownModelError'
}

/** Splits `provider:model`; the model part may itself contain `:` (e.g. Ollama tags). */
export function parseModelString(model: string): { provider: string; model: string } | undefined {
  const index = model.indexOf(':')
  if (index <= 0 || index === model.length - 1) return undefined
  return { provider: model.slice(0, index), model: model.slice(index + 1) }
}

function registeredIds(entries: ReadonlyMap<string, unknown>): string {
  return [...entries.keys()].join(', ') || '(none)'
}

function exampleModels(): string {
  return Object.keys(DEFAULT_PRICES).slice(0, 6).join(', ')
}

/** Creates an empty provider registry (see `defaultProviderRegistry` for one with OpenAI and Anthropic). */
export function createProviderRegistry(): ProviderRegistry {
  const entries = new Map<
    string,
    { factory: ProviderFactory; models?: readonly string[]; cache: Map<string, Promise<ModelProvider>> }
  >()
  const registry: ProviderRegistry = {
    register(id, provider, meta) {
      const factory: ProviderFactory = typeof provider === 'function' ? provider : () => provider
      entries.set(id, { factory, models: meta?.models, cache: new Map() })
      return registry
    },
    has: (id) => entries.has(id),
    ids: () => [...entries.keys()],
    async resolve(modelString, options) {
      const parsed = parseModelString(modelString)
      if (!parsed) {
        throw new UnknownModelError(
          `Invalid model "${modelString}": expected "provider:model" (e.g. ${exampleModels()}). Registered providers: ${registeredIds(entries)}`,
        )
      }
      const entry = entries.get(parsed.provider)
      if (!entry) {
        throw new UnknownModelError(
          `Unknown provider "${parsed.provider}" in model "${modelString}". Registered providers: ${registeredIds(entries)}`,
        )
      }
      if (entry.models && !entry.models.includes(parsed.model)) {
        throw new UnknownModelError(
          `Unknown model "${modelString}". Models of "${parsed.provider}": ${entry.models.join(', ')}`,
        )
      }
      const providerOptions = options?.[parsed.provider] ?? {}
      const key = JSON.stringify(providerOptions)
      let provider = entry.cache.get(key)
      if (!provider) {
        provider = Promise.resolve(entry.factory(providerOptions))
        entry.cache.set(key, provider)
        provider.catch(() => entry.cache.delete(key))
      }
      return { id: modelString, provider: await provider, model: parsed.model }
    },
  }
  return registry
}

/**
 * A registry with `openai` and `anthropic`, loaded on first use so the core does not import the SDKs.
 * Keys and base URLs come from per-call options or the environment (OPENAI_API_KEY, OPENAI_BASE_URL,
 * ANTHROPIC_API_KEY, ANTHROPIC_BASE_URL).
 */
export function defaultProviderRegistry(): ProviderRegistry {
  return createProviderRegistry()
    .register('openai', async (options) => (await import('./openai.ts')).openaiProvider(options))
    .register('anthropic', async (options) => (await import('./anthropic.ts')).anthropicProvider(options))
}

/** The process-wide registry `runAgent` uses unless given another. Register custom providers here. */
export const providers: ProviderRegistry = defaultProviderRegistry()
