/**
 * `@bizosaas/plugin-connectors`: tenants' accounts at outside services. Connector definitions
 * (`defineConnector`), connections sealed with the vault's keys, token refresh by one process at a time
 * (advisory lock + every-minute cron), the connectors endpoints, and `ctx.connection('<id>')` for agents
 * (found by plugin-agents on `config.custom`, so it need not depend on this package).
 */
import { registerSealedCollection } from '@bizosaas/plugin-vault'
import type { Config } from 'payload'
import { connectionsCollection } from './collections/connections.ts'
import { connectionClient } from './connections.ts'
import { CONFIG_KEY, CONNECTION_CLIENT_KEY, CONNECTIONS_SLUG } from './constants.ts'
import { resolveConfig } from './defaults.ts'
import { catalogueEndpoint } from './endpoints/catalogue.ts'
import { connectEndpoint } from './endpoints/connect.ts'
import { disconnectEndpoint, testConnectionEndpoint } from './endpoints/connection.ts'
import { appSecretContext } from './oauth/apps-collection.ts'
import { CONNECTOR_APPS_SLUG } from './oauth/constants.ts'
import { connectorAppsCollection, oauthEndpoints, oauthStatesCollection } from './oauth/index.ts'
import { startConnectorsWorker } from './refresh.ts'
import { connectionContext } from './sealed.ts'
import type { ConnectorsPluginConfig } from './types.ts'

export function connectorsPlugin(options: ConnectorsPluginConfig = {}) {
  const resolved = resolveConfig(options)
  return (incoming: Config): Config => {
    const config: Config = {
      ...incoming,
      collections: [
        ...(incoming.collections ?? []),
        connectionsCollection(resolved),
        // The OAuth flow's started flows (hidden) and tenants' own OAuth apps.
        oauthStatesCollection(),
        connectorAppsCollection(resolved.access),
      ],
      custom: { ...incoming.custom, [CONFIG_KEY]: resolved },
    }
    // Key rotation (`pnpm vault:rotate`) re-seals connections too.
    registerSealedCollection(config, {
      slug: CONNECTIONS_SLUG,
      context: (row) => connectionContext(row.id, row.tenant as number),
    })
    registerSealedCollection(config, {
      slug: CONNECTOR_APPS_SLUG,
      columns: ['connector'],
      context: (row) => appSecretContext(row.tenant as number, String(row.connector)),
    })
    if (!resolved.enabled) return config
    ;(config.custom as Record<string, unknown>)[CONNECTION_CLIENT_KEY] = connectionClient
    config.endpoints = [
      ...(incoming.endpoints ?? []),
      catalogueEndpoint,
      connectEndpoint,
      testConnectionEndpoint,
      disconnectEndpoint,
      ...oauthEndpoints,
    ]
    if (resolved.worker.inProcess) {
      const previous = config.onInit
      config.onInit = async (payload) => {
        await previous?.(payload)
        const worker = await startConnectorsWorker(payload)
        payload.logger.info('connectors: token refresh cron running in this process')
        const stop = () => void worker.stop({ graceMs: 5_000 })
        process.once('SIGTERM', stop)
        process.once('SIGINT', stop)
      }
    }
    return config
  }
}

export { connectionsCollection } from './collections/connections.ts'
export {
  type ConnectionSummary,
  connectionClient,
  type DisconnectResult,
  disconnectConnection,
  effectiveConnector,
  freshTokens,
  markNeedsReconnect,
  type SaveConnectionArgs,
  saveConnection,
  testConnection,
} from './connections.ts'
export { anthropicConnector } from './connectors/anthropic.ts'
export { builtinConnectors } from './connectors/index.ts'
export {
  MODEL_PROVIDERS,
  type ModelProvider,
  type ModelProviderClient,
  type ModelProviderCredentials,
  modelProviderCredentials,
} from './connectors/model-provider.ts'
export { openaiConnector } from './connectors/openai.ts'
export {
  closeSmtpTransports,
  describeSmtpError,
  type SmtpClient,
  type SmtpCredentials,
  type SmtpMessage,
  type SmtpSent,
  smtpConnector,
  smtpCredentials,
} from './connectors/smtp.ts'
export {
  CONFIG_KEY,
  CONNECTION_CLIENT_KEY,
  CONNECTION_STATUSES,
  CONNECTIONS_SLUG,
  type ConnectionStatus,
  REFRESH_QUEUE,
} from './constants.ts'
export { connectorsConfigOf, DEFAULT_REFRESH_MARGIN_SECONDS, platformAdminsOnly } from './defaults.ts'
export {
  type AnyConnector,
  type ClientAuthMethod,
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
// Endpoint plumbing other plugins' endpoints share: refusals as JSON 4xx, the JSON body, zod parsing.
export { HttpError, handle as handleEndpoint, parse as parseInput, readJson } from './endpoints/http.ts'
export {
  type ConnectionClientLookup,
  type MailMessage,
  MailNotConfiguredError,
  type MailSent,
  platformMailerSettings,
  sendMail,
  type TenantMailer,
} from './mail.ts'
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
export {
  CONNECTOR_APPS_SLUG,
  type CompletedFlow,
  completeOAuthFlow,
  OAUTH_STATES_SLUG,
  type OAuthApp,
  OAuthFlowError,
  startOAuthFlow,
} from './oauth/index.ts'
export { parseFrom, platformEmailAdapter } from './payload-email.ts'
export {
  type ConnectorsWorker,
  enqueueTokenRefresh,
  type RefreshReport,
  refreshDueConnections,
  startConnectorsWorker,
} from './refresh.ts'
export { connectorOf, connectorsOf, findConnector, registerConnectors } from './registry.ts'
export { type ConnectionSecrets, connectionContext, type StoredTokens } from './sealed.ts'
export type {
  ConnectorOverride,
  ConnectorsAccess,
  ConnectorsPluginConfig,
  Id,
  PlatformApp,
  ReconnectNotice,
  ResolvedConnectorsConfig,
} from './types.ts'
export {
  emitWebhookEvent,
  startWebhookWorker,
  type WebhooksConfig,
  webhookAgentEvents,
  webhookEndpoints,
  webhooksCollections,
  webhooksPlugin,
} from './webhooks/index.ts'
