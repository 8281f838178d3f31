/**
 * A `ConnectorContext` for platform tests without a CMS, keeping to the connectors runtime's contract
 * (`connections.ts` `contextFor`): an OAuth2 connection gets its first tokens through the mock OAuth
 * provider's real consent + PKCE code exchange, `accessToken({ force })` refreshes at the token endpoint
 * (rotating refresh tokens), and `fetch` sends the bearer and on a 401 refreshes once and retries once.
 * A credentials connection gets plain `fetch`. `urls` are the connector's after the mocks' overrides.
 */
import { createHash, randomBytes } from 'node:crypto'
import type { ConnectorOverride } from '@bizosaas/plugin-connectors'
import {
  type AnyConnector,
  ConnectionError,
  type ConnectorContext,
  type ConnectorDefinition,
} from '@bizosaas/plugin-connectors/define'

/** The parts of `startMockOAuthProvider()` this needs. */
export interface OAuthProviderForTests {
  authorizationUrl: string
  tokenUrl: string
  addClient(client: { clientId: string; clientSecret?: string; redirectUris?: string[] }): void
  consent(authorizeUrl: string, decision?: 'allow' | 'deny'): Promise<URL>
}

export interface TestConnectorContext<C> extends ConnectorContext<C> {
  /** Token refreshes so far (each a real call to the token endpoint). */
  refreshes(): number
  /** The OAuth client id it consented with (OAuth2 connectors; e.g. to revoke its grants). */
  clientId?: string
}

/** The credentials type a connector's context carries. */
export type CredentialsOf<Connector> =
  Connector extends ConnectorDefinition<string, infer Credentials, infer _Client> ? Credentials : never

const REDIRECT = 'http://127.0.0.1:9/oauth/callback'

/** The context the connectors runtime would build for `connector` with `override` applied. */
export async function testConnectorContext<Connector extends AnyConnector>(
  connector: Connector,
  {
    override = {},
    credentials,
    oauth,
    signal,
    connection: connectionId,
  }: {
    override?: ConnectorOverride
    /** Credentials connectors: what the tenant entered (parsed with the connector's schema). */
    credentials?: unknown
    /** OAuth2 connectors: the mock provider to consent at. */
    oauth?: OAuthProviderForTests
    signal?: AbortSignal
    /** The connection's id (a new one each call by default: a new connection). */
    connection?: string
  },
): Promise<TestConnectorContext<CredentialsOf<Connector>>> {
  type C = CredentialsOf<Connector>
  const urls = Object.freeze({ ...connector.urls, ...override.urls }) as Readonly<Record<string, string>>
  const connection = {
    id: connectionId ?? `test-${randomBytes(4).toString('hex')}`,
    tenant: '1',
    connector: connector.id,
  }
  const auth = connector.auth
  if (auth.type === 'credentials') {
    return {
      connection,
      credentials: auth.schema.parse(credentials) as C,
      urls,
      signal,
      refreshes: () => 0,
      accessToken: () =>
        Promise.reject(new ConnectionError('error', `${connector.name} uses credentials, not access tokens`)),
      fetch: (input, init = {}) => fetch(input, { ...init, signal: init.signal ?? signal }),
    }
  }
  if (auth.type !== 'oauth2' || auth.grant !== 'authorization_code' || !oauth)
    throw new Error(`testConnectorContext: ${connector.id} needs an OAuth provider (authorization code only)`)

  const client = {
    clientId: `test-${connector.id}-${randomBytes(4).toString('hex')}`,
    clientSecret: `secret-${randomBytes(8).toString('hex')}`,
  }
  oauth.addClient({ ...client, redirectUris: [REDIRECT] })
  const tokenUrl = override.tokenUrl ?? oauth.tokenUrl
  const basic = `Basic ${Buffer.from(`${client.clientId}:${client.clientSecret}`).toString('base64')}`
  const tokenCall = async (form: Record<string, string>) => {
    const res = await fetch(tokenUrl, {
      method: 'POST',
      headers: { authorization: basic, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(form),
    })
    const body = (await res.json()) as { access_token?: string; refresh_token?: string; error?: string }
    if (!res.ok || !body.access_token) {
      if (body.error === 'invalid_grant')
        throw new ConnectionError(
          'needs-reconnect',
          `The provider refused the connection (${body.error}); connect again`,
        )
      throw new ConnectionError(
        'unavailable',
        `The token endpoint answered ${res.status} (${body.error ?? 'no error'})`,
      )
    }
    return body as { access_token: string; refresh_token?: string }
  }

  // The consent, as the portal's Connect button runs it: PKCE S256, the person presses Allow.
  const verifier = randomBytes(32).toString('base64url')
  const authorize = new URL(override.authorizationUrl ?? oauth.authorizationUrl)
  authorize.search = new URLSearchParams({
    response_type: 'code',
    client_id: client.clientId,
    redirect_uri: REDIRECT,
    scope: (connector.scopes ?? []).join(auth.scopeSeparator ?? ' '),
    state: randomBytes(8).toString('hex'),
    code_challenge: createHash('sha256').update(verifier).digest('base64url'),
    code_challenge_method: 'S256',
  }).toString()
  const back = await oauth.consent(authorize.toString())
  let tokens = await tokenCall({
    grant_type: 'authorization_code',
    code: back.searchParams.get('code') ?? '',
    redirect_uri: REDIRECT,
    code_verifier: verifier,
  })
  let refreshes = 0

  const accessToken = async ({ force = false }: { force?: boolean } = {}) => {
    if (!force) return tokens.access_token
    if (!tokens.refresh_token) throw new ConnectionError('needs-reconnect', 'No refresh token; connect again')
    refreshes += 1
    const next = await tokenCall({ grant_type: 'refresh_token', refresh_token: tokens.refresh_token })
    tokens = { access_token: next.access_token, refresh_token: next.refresh_token ?? tokens.refresh_token }
    return tokens.access_token
  }

  return {
    connection,
    credentials: {} as C,
    urls,
    signal,
    refreshes: () => refreshes,
    clientId: client.clientId,
    accessToken,
    async fetch(input, init = {}) {
      const send = (token: string) => {
        const headers = new Headers(init.headers)
        headers.set('authorization', `Bearer ${token}`)
        return fetch(input, { ...init, signal: init.signal ?? signal, headers })
      }
      const first = await send(await accessToken())
      if (first.status !== 401) return first
      // One refresh and one retry, like the runtime.
      await first.body?.cancel().catch(() => {})
      return send(await accessToken({ force: true }))
    },
  }
}
