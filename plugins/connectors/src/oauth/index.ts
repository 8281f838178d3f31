/**
 * The OAuth2 flow through the portal: its two collections (`connector-oauth-states`, `connector-apps`),
 * its endpoints, and the flow itself. `connectorsPlugin` adds the collections always and the endpoints
 * when enabled.
 */
export { appSecretContext, connectorAppsCollection } from './apps-collection.ts'
export { CONNECTOR_APPS_SLUG, OAUTH_STATES_SLUG, STATE_TTL_MS } from './constants.ts'
export { oauthEndpoints } from './endpoints.ts'
export {
  type CompletedFlow,
  completeOAuthFlow,
  hashState,
  type OAuthApp,
  OAuthFlowError,
  startOAuthFlow,
  tenantApp,
} from './flow.ts'
export { oauthStatesCollection } from './states-collection.ts'
