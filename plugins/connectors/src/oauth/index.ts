/**
 * The OAuth2 flow through the portal, as the connectors plugin composes it: its two collections
 * (`connector-oauth-states`, `connector-apps`), its endpoints, and the host wiring they read.
 */
import type { Config } from 'payload'
import { connectorAppsCollection } from './apps-collection.ts'
import { OAUTH_HOST_KEY } from './constants.ts'
import { oauthEndpoints } from './endpoints.ts'
import type { OAuthHost } from './host.ts'
import { oauthStatesCollection } from './states-collection.ts'

/**
 * Adds the flow's collections always (the schema never depends on a flag) and, when `enabled`, its
 * endpoints and the host they use.
 */
export function withOAuthFlow(config: Config, host: OAuthHost, enabled = true): Config {
  return {
    ...config,
    collections: [
      ...(config.collections ?? []),
      oauthStatesCollection(),
      connectorAppsCollection({ read: host.readApps }),
    ],
    endpoints: enabled ? [...(config.endpoints ?? []), ...oauthEndpoints] : config.endpoints,
    custom: { ...config.custom, [OAUTH_HOST_KEY]: host },
  }
}

export { appSecretContext } from './apps-collection.ts'
export { CONNECTOR_APPS_SLUG, OAUTH_STATES_SLUG, STATE_TTL_MS } from './constants.ts'
export { type CompletedFlow, completeOAuthFlow, hashState, OAuthFlowError, startOAuthFlow, tenantApp } from './flow.ts'
export type { ConnectorUrlOverrides, OAuthApp, OAuthHost, OAuthTokens } from './host.ts'
