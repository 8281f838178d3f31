/**
 * `@bizosaas/plugin-connectors`: tenants' accounts at outside services. Connector definitions
 * (`defineConnector`), connections sealed with the vault's keys, the OAuth2 flow through the portal,
 * token refresh by one process at a time, and `ctx.connection('<id>')` for agents and jobs.
 */

export { anthropicConnector, builtinConnectors, openaiConnector } from './connectors/index.ts'
export {
  MODEL_PROVIDERS,
  type ModelProvider,
  type ModelProviderClient,
  type ModelProviderCredentials,
  modelProviderCredentials,
} from './connectors/model-provider.ts'
export {
  type AnyConnector,
  type ClientOf,
  ConnectionError,
  type ConnectionInfo,
  type ConnectionTestResult,
  type ConnectorAuth,
  type ConnectorCategory,
  type ConnectorClient,
  type ConnectorClients,
  type ConnectorContext,
  type ConnectorDefinition,
  type CredentialsAuth,
  defineConnector,
  type OAuth2ClientCredentialsAuth,
  type OAuth2CodeAuth,
  type ServiceAccountAuth,
  type ServiceAccountKey,
} from './define.ts'
export { type ModelKeysPluginConfig, modelKeysPlugin } from './model-keys/plugin.ts'
export {
  DEFAULT_MODEL_KEY_POLICY,
  MODEL_KEY_POLICIES,
  type ModelKeyPolicy,
  modelKeyPolicyOf,
} from './model-keys/policy.ts'
export {
  MODEL_KEYS_RESOLVER,
  type ModelKeyChoice,
  type ModelKeysResolver,
  resolveModelKeys,
} from './model-keys/resolve.ts'
export { type TenantModelKey, tenantModelKey } from './model-keys/tenant-keys.ts'
