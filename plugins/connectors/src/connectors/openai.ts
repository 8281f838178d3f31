/** The OpenAI connector (bring your own key): a tenant's OpenAI key, or a key of any OpenAI-compatible server. */
import { modelProviderConnector } from './model-provider.ts'

export const openaiConnector = modelProviderConnector({
  id: 'openai',
  name: 'OpenAI',
  description: 'Your own OpenAI key (or an OpenAI-compatible server) pays for your agents’ model calls.',
  api: 'https://api.openai.com/v1',
  docsUrl: 'https://platform.openai.com/api-keys',
})
