/** The Anthropic connector (bring your own key): a tenant's Anthropic key for Claude models. */
import { modelProviderConnector } from './model-provider.ts'

export const anthropicConnector = modelProviderConnector({
  id: 'anthropic',
  name: 'Anthropic',
  description: 'Your own Anthropic key pays for your agents’ Claude model calls.',
  api: 'https://api.anthropic.com',
  docsUrl: 'https://console.anthropic.com/settings/keys',
})
