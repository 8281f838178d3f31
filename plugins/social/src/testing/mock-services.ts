/**
 * The social side of `pnpm mock-services` (no servers here, so `pnpm dev` reads it cheaply): the OAuth
 * apps the mock provider knows for X, LinkedIn and Facebook, the fixed Mastodon token and Bluesky app
 * password the mocks accept, and the CMS settings that point the social connectors at the mock APIs.
 */
import { MOCK_BLUESKY_ACCOUNT } from './mock-bluesky.ts'

/** The OAuth apps of the social connectors on the mock provider, as `pnpm dev` configures them. */
export const DEV_SOCIAL_OAUTH_CLIENTS = Object.freeze([
  { connector: 'x', clientId: 'dev-x', clientSecret: 'dev-oauth-secret' },
  { connector: 'linkedin', clientId: 'dev-linkedin', clientSecret: 'dev-oauth-secret' },
  { connector: 'facebook', clientId: 'dev-facebook', clientSecret: 'dev-oauth-secret' },
])

/**
 * What a tenant enters to connect Mastodon and Bluesky in dev (placeholders, not secrets). The server
 * addresses are public names, as the connectors require; `pnpm dev` points both connectors at the mock
 * (`CONNECTOR_MASTODON_URL_INSTANCE`, `CONNECTOR_BLUESKY_URL_SERVICE`), as it does Google's.
 */
export const DEV_SOCIAL_CREDENTIALS = Object.freeze({
  mastodon: Object.freeze({ instanceUrl: 'https://mastodon.social', accessToken: 'dev-mastodon-access-token' }),
  bluesky: Object.freeze({
    identifier: MOCK_BLUESKY_ACCOUNT.handle,
    appPassword: MOCK_BLUESKY_ACCOUNT.appPassword,
    service: 'https://bsky.social',
  }),
})

/**
 * The CMS settings for the social connectors on the mocks: the dev OAuth apps at the mock provider
 * (`oauthPort`) and every social API URL on the mock social APIs (`socialPort`): X, LinkedIn, the Graph
 * API, and the Mastodon and Bluesky servers (whatever address a tenant enters; see `DEV_SOCIAL_CREDENTIALS`).
 */
export function socialMockServicesEnv(ports: { oauth: number; social: number }): Record<string, string> {
  const oauth = `http://127.0.0.1:${ports.oauth}`
  const social = `http://127.0.0.1:${ports.social}`
  const env: Record<string, string> = {
    CONNECTOR_X_URL_API: `${social}/x`,
    CONNECTOR_LINKEDIN_URL_API: `${social}/linkedin`,
    CONNECTOR_FACEBOOK_URL_GRAPH: `${social}/graph`,
    CONNECTOR_FACEBOOK_URL_INSTAGRAM: `${social}/graph-ig`,
    // Both SDKs build absolute paths (/api/v1, /xrpc) on the server's origin.
    CONNECTOR_MASTODON_URL_INSTANCE: social,
    CONNECTOR_BLUESKY_URL_SERVICE: social,
  }
  for (const app of DEV_SOCIAL_OAUTH_CLIENTS) {
    const prefix = `CONNECTOR_${app.connector.toUpperCase()}`
    env[`${prefix}_CLIENT_ID`] = app.clientId
    env[`${prefix}_CLIENT_SECRET`] = app.clientSecret
    env[`${prefix}_AUTHORIZATION_URL`] = `${oauth}/authorize`
    env[`${prefix}_TOKEN_URL`] = `${oauth}/token`
    env[`${prefix}_REVOCATION_URL`] = `${oauth}/revoke`
  }
  return env
}
