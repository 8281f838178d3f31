/** Slugs and limits of the OAuth2 flow (authorization code + PKCE through the portal). */
export const OAUTH_STATES_SLUG = 'connector-oauth-states'
export const CONNECTOR_APPS_SLUG = 'connector-apps'
/** A started flow may be completed for this long. */
export const STATE_TTL_MS = 10 * 60 * 1000
