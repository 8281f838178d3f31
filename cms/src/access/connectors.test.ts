import { describe, expect, it } from 'vitest'
import { connectorOverridesFromEnv, platformConnectorApps } from './connectors.ts'

describe('connector settings from the environment', () => {
  it('reads the platform OAuth app of each connector by its upper-cased id', () => {
    expect(
      platformConnectorApps({
        CONNECTOR_GOOGLE_SEARCH_CONSOLE_CLIENT_ID: 'gsc-id',
        CONNECTOR_GOOGLE_SEARCH_CONSOLE_CLIENT_SECRET: 'gsc-secret',
        CONNECTOR_PUBLIC_APP_CLIENT_ID: 'public-id',
        CONNECTOR_EMPTY_CLIENT_ID: '',
      }),
    ).toEqual({
      'google-search-console': { clientId: 'gsc-id', clientSecret: 'gsc-secret' },
      'public-app': { clientId: 'public-id' },
    })
  })

  it('reads endpoint and API URL overrides, and ignores everything else', () => {
    expect(
      connectorOverridesFromEnv({
        CONNECTOR_GOOGLE_ANALYTICS_AUTHORIZATION_URL: 'http://127.0.0.1:4011/authorize',
        CONNECTOR_GOOGLE_ANALYTICS_TOKEN_URL: 'http://127.0.0.1:4011/token',
        CONNECTOR_GOOGLE_ANALYTICS_REVOCATION_URL: 'http://127.0.0.1:4011/revoke',
        CONNECTOR_GOOGLE_ANALYTICS_URL_ANALYTICSDATA: 'http://127.0.0.1:4012',
        CONNECTOR_GOOGLE_ANALYTICS_URL_ANALYTICSADMIN: 'http://127.0.0.1:4012',
        CONNECTOR_GOOGLE_ANALYTICS_CLIENT_ID: 'not-an-override',
        CONNECTOR_SMTP_TOKEN_URL: '',
        OTHER_TOKEN_URL: 'http://elsewhere',
      }),
    ).toEqual({
      'google-analytics': {
        authorizationUrl: 'http://127.0.0.1:4011/authorize',
        tokenUrl: 'http://127.0.0.1:4011/token',
        revocationUrl: 'http://127.0.0.1:4011/revoke',
        urls: { analyticsdata: 'http://127.0.0.1:4012', analyticsadmin: 'http://127.0.0.1:4012' },
      },
    })
  })
})
