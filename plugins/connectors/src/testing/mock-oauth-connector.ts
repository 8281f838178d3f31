/**
 * A connector for the mock OAuth provider (`startMockOAuthProvider`): authorization code + PKCE, its
 * client reads `GET /me`, its test names the account by email. Register it in a test CMS with
 * `connectors: { connectors: [mockOAuthConnector], overrides: mockOAuthOverrides(provider), portalUrl }`.
 */
import { defineConnector } from '../define.ts'
import type { ConnectorOverride } from '../types.ts'
import type { MockOAuthProvider } from './mock-oauth.ts'

export interface MockOAuthClientApi {
  me(): Promise<{ sub: string; email: string; name: string }>
}

export const mockOAuthConnector = defineConnector({
  id: 'mock-oauth',
  name: 'Mock Provider',
  description: 'The testing kit’s OAuth provider (consent page, PKCE, rotating refresh tokens).',
  category: 'other',
  auth: {
    type: 'oauth2',
    grant: 'authorization_code',
    // Never reached: tests point these at the mock with `mockOAuthOverrides`.
    authorizationUrl: 'https://mock-provider.invalid/authorize',
    tokenUrl: 'https://mock-provider.invalid/token',
    revocationUrl: 'https://mock-provider.invalid/revoke',
    app: 'either',
  },
  scopes: ['profile', 'email'],
  urls: { api: 'https://mock-provider.invalid' },
  client: (ctx): MockOAuthClientApi => ({
    async me() {
      const res = await ctx.fetch(`${ctx.urls.api}/me`)
      if (!res.ok) throw new Error(`GET /me answered ${res.status}`)
      return (await res.json()) as { sub: string; email: string; name: string }
    },
  }),
  async test(client) {
    try {
      const me = await client.me()
      return { ok: true, message: `Signed in as ${me.email}`, account: me.email }
    } catch (error) {
      return { ok: false, message: (error as Error).message }
    }
  },
})

/** The overrides that point `mockOAuthConnector` (and any id given) at a running mock provider. */
export function mockOAuthOverrides(
  provider: MockOAuthProvider,
  ids: readonly string[] = [mockOAuthConnector.id],
): Record<string, ConnectorOverride> {
  const override: ConnectorOverride = {
    authorizationUrl: provider.authorizationUrl,
    tokenUrl: provider.tokenUrl,
    revocationUrl: provider.revocationUrl,
    urls: { api: provider.url },
  }
  return Object.fromEntries(ids.map((id) => [id, override]))
}
