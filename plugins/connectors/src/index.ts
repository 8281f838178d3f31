/**
 * `@bizosaas/plugin-connectors`: tenants' accounts at outside services. Connector definitions
 * (`defineConnector`), connections sealed with the vault's keys, the OAuth2 flow through the portal,
 * token refresh by one process at a time, and `ctx.connection('<id>')` for agents and jobs.
 */
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
export {
  emitWebhookEvent,
  startWebhookWorker,
  type WebhooksConfig,
  webhookAgentEvents,
  webhookEndpoints,
  webhooksCollections,
  webhooksPlugin,
} from './webhooks/index.ts'
