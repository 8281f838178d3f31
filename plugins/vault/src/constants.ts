/** Where the resolved options live on `config.custom`. */
export const CONFIG_KEY = 'bizosaasVault'

export const INTEGRATIONS_SLUG = 'integrations'

/** Services whose credentials the vault stores (social and marketing platforms come later). */
export const PROVIDERS = Object.freeze(['openai', 'anthropic'] as const)
export type Provider = (typeof PROVIDERS)[number]

/** Where "test connection" calls each provider when an integration names no base URL. */
export const DEFAULT_BASE_URLS: Readonly<Record<Provider, string>> = Object.freeze({
  openai: 'https://api.openai.com/v1',
  anthropic: 'https://api.anthropic.com',
})

/** `context` key of writes the vault makes itself (rotation, test results), which skip sealing. */
export const INTERNAL_WRITE = 'bizosaasVaultInternal'
