/**
 * The settings of `pnpm mock-services` (no servers here, so `pnpm dev` reads them cheaply): its ports, the
 * OAuth apps its provider knows, and the CMS settings that point the connectors and the mailer at it.
 */
/** The OAuth apps the mock provider knows: one per Google connector, as `pnpm dev` configures them. */
export const DEV_OAUTH_CLIENTS = Object.freeze([
  { connector: 'google-search-console', clientId: 'dev-google-search-console', clientSecret: 'dev-oauth-secret' },
  { connector: 'google-analytics', clientId: 'dev-google-analytics', clientSecret: 'dev-oauth-secret' },
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
export function mockServicesEnv(
  ports: Pick<MockServicesPorts, 'oauth' | 'google' | 'smtp'> = DEFAULT_MOCK_SERVICES_PORTS,
): Record<string, string> {
  const oauth = `http://127.0.0.1:${ports.oauth}`
  const google = `http://127.0.0.1:${ports.google}`
  const env: Record<string, string> = {
    SMTP_URL: `smtp://127.0.0.1:${ports.smtp}`,
    MAIL_FROM: 'BizOSaaS (dev) <no-reply@bizosaas.localhost>',
  }
  for (const app of DEV_OAUTH_CLIENTS) {
    const prefix = `CONNECTOR_${app.connector.toUpperCase().replaceAll('-', '_')}`
    env[`${prefix}_CLIENT_ID`] = app.clientId
    env[`${prefix}_CLIENT_SECRET`] = app.clientSecret
    env[`${prefix}_AUTHORIZATION_URL`] = `${oauth}/authorize`
    env[`${prefix}_TOKEN_URL`] = `${oauth}/token`
    env[`${prefix}_REVOCATION_URL`] = `${oauth}/revoke`
    env[`${prefix}_URL_SEARCHCONSOLE`] = `${google}/`
    env[`${prefix}_URL_ANALYTICSDATA`] = google
    env[`${prefix}_URL_ANALYTICSADMIN`] = google
    env[`${prefix}_URL_USERINFO`] = `${google}/v1/userinfo`
  }
  return env
}
