/**
 * `@bizosaas/plugin-social/testing`: the mock social APIs — one HTTP server (the core) with every
 * platform's mock mounted on it — and the connector overrides that point the social connectors at it.
 * Tests use `startMockSocialApis()`; a server that should talk to the mocks gets `overrides()` in its
 * environment (`pnpm --filter @bizosaas/plugin-social mock-social` runs them with an OAuth provider).
 */
import type { ConnectorOverride } from '@bizosaas/plugin-connectors'
import { socialConnectors } from '../platforms/index.ts'
import { type MockBluesky, mountMockBluesky } from './mock-bluesky.ts'
import { type MockSocialCore, type MockSocialCoreOptions, startMockSocialCore } from './mock-core.ts'
import { type MockGraph, mountMockGraph } from './mock-graph.ts'
import { type MockLinkedIn, mountMockLinkedIn } from './mock-linkedin.ts'
import { type MockMastodon, mountMockMastodon } from './mock-mastodon.ts'
import { type MockX, mountMockX } from './mock-x.ts'

export * from './connector-context.ts'
export * from './mock-bluesky.ts'
export * from './mock-core.ts'
export * from './mock-graph.ts'
export * from './mock-linkedin.ts'
export * from './mock-mastodon.ts'
export * from './mock-x.ts'
export * from './publish-input.ts'

/** The OAuth endpoints of a mock OAuth provider (`startMockOAuthProvider` of the connectors' testing kit). */
export interface MockOAuthEndpoints {
  authorizationUrl: string
  tokenUrl: string
  revocationUrl: string
  /** Its userinfo endpoint: a bearer token it issued answers 200 there. */
  userinfoUrl: string
}

export interface MockSocialApisOptions extends MockSocialCoreOptions {
  /**
   * The mock OAuth provider the OAuth connectors (X, LinkedIn, Facebook) get their tokens from: its
   * endpoints go into `overrides()`, and (unless `validToken` is given) the mocks accept exactly the
   * access tokens it currently honours.
   */
  oauth?: MockOAuthEndpoints
}

export interface MockSocialApis extends MockSocialCore {
  x: MockX
  linkedin: MockLinkedIn
  /** Facebook (`/graph`, logged as facebook) and Instagram (`/graph-ig`, logged as instagram), one state. */
  graph: MockGraph
  bluesky: MockBluesky
  mastodon: MockMastodon
  /** The connectors' URLs pointed at the mocks, as `connectorsPlugin({ overrides })` takes them. */
  connectorOverrides(): Record<string, ConnectorOverride>
  /**
   * The same as environment variables (`CONNECTOR_<ID>_URL_<NAME>`, `CONNECTOR_<ID>_TOKEN_URL` …), the
   * form `connectorOverridesFromEnv` reads (for `pnpm dev` and e2e servers).
   */
  overrides(): Record<string, string>
}

/** Asks the mock OAuth provider whether it honours `token` (its userinfo answers 200). */
export function tokenCheckerOf(oauth: MockOAuthEndpoints): (token: string) => Promise<boolean> {
  return async (token) => {
    const res = await fetch(oauth.userinfoUrl, { headers: { authorization: `Bearer ${token}` } })
    await res.body?.cancel()
    return res.ok
  }
}

const envId = (id: string) => id.toUpperCase().replaceAll('-', '_')

/** Starts the mock social APIs: the core with every platform's mock mounted. */
export async function startMockSocialApis(options: MockSocialApisOptions = {}): Promise<MockSocialApis> {
  const { oauth, ...coreOptions } = options
  const core = await startMockSocialCore({
    ...coreOptions,
    validToken: coreOptions.validToken ?? (oauth ? tokenCheckerOf(oauth) : undefined),
  })
  const x = mountMockX(core)
  const linkedin = mountMockLinkedIn(core)
  const graph = mountMockGraph(core)
  const bluesky = mountMockBluesky(core)
  const mastodon = mountMockMastodon(core)

  /** Each connector's API URLs on the mock, by connector id. */
  const apiUrls = (): Record<string, Record<string, string>> => ({
    x: { api: core.urlOf('x') },
    // The SDKs of Bluesky and Mastodon resolve absolute paths against the origin.
    bluesky: { service: core.url },
    mastodon: { instance: core.url },
    linkedin: { api: core.urlOf('linkedin') },
    // One connector, two mounts: Instagram's calls go to the `instagram` URL so the log tells them apart.
    facebook: { graph: core.urlOf('facebook'), instagram: core.urlOf('instagram') },
  })

  const connectorOverrides = (): Record<string, ConnectorOverride> => {
    const urls = apiUrls()
    const result: Record<string, ConnectorOverride> = {}
    for (const connector of socialConnectors) {
      const override: ConnectorOverride = {}
      if (urls[connector.id]) override.urls = urls[connector.id]
      if (oauth && connector.auth.type === 'oauth2') {
        override.tokenUrl = oauth.tokenUrl
        override.revocationUrl = oauth.revocationUrl
        if (connector.auth.grant === 'authorization_code') override.authorizationUrl = oauth.authorizationUrl
      }
      result[connector.id] = override
    }
    return result
  }

  const overrides = (): Record<string, string> => {
    const env: Record<string, string> = {}
    for (const [id, override] of Object.entries(connectorOverrides())) {
      const prefix = `CONNECTOR_${envId(id)}`
      for (const [name, url] of Object.entries(override.urls ?? {})) env[`${prefix}_URL_${envId(name)}`] = url
      if (override.authorizationUrl) env[`${prefix}_AUTHORIZATION_URL`] = override.authorizationUrl
      if (override.tokenUrl) env[`${prefix}_TOKEN_URL`] = override.tokenUrl
      if (override.revocationUrl) env[`${prefix}_REVOCATION_URL`] = override.revocationUrl
    }
    return env
  }

  return Object.assign(core, { x, linkedin, graph, bluesky, mastodon, connectorOverrides, overrides })
}
