/**
 * What the OpenAI and Anthropic connectors share (bring your own key): the key-and-base-URL credentials,
 * the "test" (the provider's models list) and the client, which is the agents runtime's provider options.
 */

import { z } from 'zod'
import { type ConnectorDefinition, defineConnector } from '../define.ts'
import { type ModelProvider, testProviderConnection } from './models-list.ts'

export { MODEL_PROVIDERS, type ModelProvider } from './models-list.ts'

/**
 * A connection's client: the runtime's `ProviderOptions` for this provider (`@bizosaas/agents`,
 * `runAgent(…, { providerOptions: { openai: client } })`). Structural, so this package needs no runtime import.
 */
export interface ModelProviderClient {
  apiKey: string
  /** Where the SDK connects: the tenant's base URL, else the connector's `api` URL (after overrides). */
  baseURL: string
}

const apiKey = z
  .string()
  .trim()
  .min(8, 'An API key is at least 8 characters')
  .max(4096, 'An API key is at most 4096 characters')
  .refine((s) => !/\s/.test(s), 'An API key has no spaces or line breaks')

const baseUrl = z
  .url({ protocol: /^https?$/, error: 'Use an http(s) URL like https://api.openai.com/v1' })
  .max(500)
  .refine((u) => !new URL(u).username && !new URL(u).password, 'Put the key in "API key", not in the URL')

/** `{ apiKey, baseUrl? }`: `apiKey` is secret (sealed, never shown again, a hint of its last four characters). */
export const modelProviderCredentials = z.object({
  apiKey: apiKey.describe('The API key (secret: stored encrypted, never shown again)'),
  baseUrl: baseUrl
    .optional()
    .describe('Leave empty for the provider’s own API; set it for an OpenAI-compatible server (Ollama, vLLM …)'),
})
export type ModelProviderCredentials = z.infer<typeof modelProviderCredentials>

/** How long the models-list call of "test" may take. */
const TEST_TIMEOUT_MS = 10_000

/** A bring-your-own-key connector for one model provider. */
export function modelProviderConnector<Id extends ModelProvider>(args: {
  id: Id
  name: string
  description: string
  api: string
  docsUrl: string
}): ConnectorDefinition<Id, ModelProviderCredentials, ModelProviderClient> {
  return defineConnector<Id, ModelProviderCredentials, ModelProviderClient>({
    id: args.id,
    name: args.name,
    description: args.description,
    category: 'ai',
    auth: { type: 'credentials', kind: 'api-key', schema: modelProviderCredentials, secretFields: ['apiKey'] },
    urls: { api: args.api },
    docsUrl: args.docsUrl,
    client: (ctx) => ({
      apiKey: ctx.credentials.apiKey,
      baseURL: (ctx.credentials.baseUrl || ctx.urls.api || args.api).replace(/\/+$/, ''),
    }),
    async test(client, ctx) {
      const result = await testProviderConnection({
        provider: args.id,
        baseUrl: client.baseURL,
        secret: client.apiKey,
        timeoutMs: TEST_TIMEOUT_MS,
        signal: ctx.signal,
      })
      return result.ok ? { ok: true, message: result.message } : { ok: false, message: result.message }
    },
  })
}

declare module '../define.ts' {
  interface ConnectorClients {
    openai: ModelProviderClient
    anthropic: ModelProviderClient
  }
}
