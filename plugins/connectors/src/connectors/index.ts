/** The connectors that ship with the platform (each lane adds its line). */
import type { AnyConnector } from '../define.ts'
import { anthropicConnector } from './anthropic.ts'
import { openaiConnector } from './openai.ts'

export { anthropicConnector } from './anthropic.ts'
export { openaiConnector } from './openai.ts'

export const builtinConnectors: readonly AnyConnector[] = [openaiConnector, anthropicConnector]

declare module '../define.ts' {
  interface ConnectorClients {
    openai: import('./model-provider.ts').ModelProviderClient
    anthropic: import('./model-provider.ts').ModelProviderClient
  }
}
