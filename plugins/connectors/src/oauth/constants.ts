/** Slugs and limits of the OAuth2 flow (authorization code + PKCE through the portal). */
export const OAUTH_STATES_SLUG = 'connector-oauth-states'
export const CONNECTOR_APPS_SLUG = 'connector-apps'
/** Where the flow's parts read the host's wiring on the Payload config (`config.custom`). */
export const OAUTH_HOST_KEY = 'bizosaas-connectors:oauth'
/** A started flow may be completed for this long. */
export const STATE_TTL_MS = 10 * 60 * 1000
/** Set on writes the flow makes itself (sealing done already). */
export const INTERNAL_WRITE = 'bizosaas-connectors:oauth-internal'
