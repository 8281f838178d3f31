/**
 * The settings of `pnpm mock-services` (no servers here, so `pnpm dev` reads them cheaply): its ports, the
 * OAuth apps its provider knows, and the CMS settings that point the connectors and the mailer at it.
 */
/**
 * The OAuth apps the mock provider knows, as `pnpm dev` configures them: one per Google connector and one
 * per OAuth social connector (X, LinkedIn, Facebook — `@bizosaas/plugin-social`, whose mocks run on the
 * `social` port; data only here, so `pnpm dev` need not load that plugin).
 */
export const DEV_OAUTH_CLIENTS = Object.freeze([
  { connector: 'google-search-console', clientId: 'dev-google-search-console', clientSecret: 'dev-oauth-secret' },
  { connector: 'google-analytics', clientId: 'dev-google-analytics', clientSecret: 'dev-oauth-secret' },
  { connector: 'x', clientId: 'dev-x', clientSecret: 'dev-oauth-secret' },
  { connector: 'linkedin', clientId: 'dev-linkedin', clientSecret: 'dev-oauth-secret' },
  { connector: 'facebook', clientId: 'dev-facebook', clientSecret: 'dev-oauth-secret' },
])

export interface MockServicesPorts {
  oauth: number
  google: number
  webhooks: number
  /** The social platforms' mock APIs (`@bizosaas/plugin-social/testing`). */
  social: number
  smtp: number
}

export const DEFAULT_MOCK_SERVICES_PORTS: Readonly<MockServicesPorts> = Object.freeze({
  oauth: 4011,
  google: 4012,
  webhooks: 4013,
  social: 4014,
  smtp: 4025,
})

/**
 * The CMS settings that point the connectors and the platform mailer at the mock services (what
 * `pnpm dev` hands the CMS when no real account is configured).
 */
export function mockServicesEnv(ports: MockServicesPorts = DEFAULT_MOCK_SERVICES_PORTS): Record<string, string> {
  const oauth = `http://127.0.0.1:${ports.oauth}`
  const google = `http://127.0.0.1:${ports.google}`
  const social = `http://127.0.0.1:${ports.social}`
  const env: Record<string, string> = {
    SMTP_URL: `smtp://127.0.0.1:${ports.smtp}`,
    MAIL_FROM: 'BizOSaaS (dev) <no-reply@bizosaas.localhost>',
    // The social platforms' APIs on the mock (the mount points of @bizosaas/plugin-social/testing). Mastodon
    // and Bluesky: whatever server a tenant enters (both SDKs build absolute paths on the server's origin).
    CONNECTOR_X_URL_API: `${social}/x`,
    CONNECTOR_LINKEDIN_URL_API: `${social}/linkedin`,
    CONNECTOR_FACEBOOK_URL_GRAPH: `${social}/graph`,
    CONNECTOR_FACEBOOK_URL_INSTAGRAM: `${social}/graph-ig`,
    CONNECTOR_MASTODON_URL_INSTANCE: social,
    CONNECTOR_BLUESKY_URL_SERVICE: social,
  }
  for (const app of DEV_OAUTH_CLIENTS) {
    const prefix = `CONNECTOR_${app.connector.toUpperCase().replaceAll('-', '_')}`
    env[`${prefix}_CLIENT_ID`] = app.clientId
    env[`${prefix}_CLIENT_SECRET`] = app.clientSecret
    env[`${prefix}_AUTHORIZATION_URL`] = `${oauth}/authorize`
    env[`${prefix}_TOKEN_URL`] = `${oauth}/token`
    env[`${prefix}_REVOCATION_URL`] = `${oauth}/revoke`
    if (!app.connector.startsWith('google-')) continue
    env[`${prefix}_URL_SEARCHCONSOLE`] = `${google}/`
    env[`${prefix}_URL_ANALYTICSDATA`] = google
    env[`${prefix}_URL_ANALYTICSADMIN`] = google
    env[`${prefix}_URL_USERINFO`] = `${google}/v1/userinfo`
  }
  return env
}
