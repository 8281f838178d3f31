/**
 * Token endpoint calls, all through `oauth4webapi` (refresh, client credentials, JWT bearer for
 * service accounts with the assertion signed by `jose`, RFC 7009 revocation), and how their failures
 * map onto `ConnectionError`: refused grant → `needs-reconnect`, outage → `unavailable`, garbage → `error`.
 */
import { importPKCS8, SignJWT } from 'jose'
import * as oauth from 'oauth4webapi'
import { type ClientAuthMethod, ConnectionError, type ServiceAccountKey } from './define.ts'
import type { StoredTokens } from './sealed.ts'

export interface TokenClient {
  clientId: string
  clientSecret?: string
  /** @default 'client_secret_basic' (or 'none' without a secret) */
  method?: ClientAuthMethod
}

interface CallOptions {
  signal?: AbortSignal
  timeoutMs: number
  /** Connector id, for messages. */
  connector: string
}

const JWT_BEARER = 'urn:ietf:params:oauth:grant-type:jwt-bearer'

function serverOf(tokenUrl: string, revocationUrl?: string): oauth.AuthorizationServer {
  return { issuer: new URL(tokenUrl).origin, token_endpoint: tokenUrl, revocation_endpoint: revocationUrl }
}

/** How the client authenticates at the token endpoint (`none` without a secret). */
export function clientAuthOf(client: TokenClient): oauth.ClientAuth {
  const method = client.method ?? (client.clientSecret ? 'client_secret_basic' : 'none')
  if (method === 'none' || !client.clientSecret) return oauth.None()
  return method === 'client_secret_post'
    ? oauth.ClientSecretPost(client.clientSecret)
    : oauth.ClientSecretBasic(client.clientSecret)
}

/**
 * Plain http:// only to a server on this machine (the mock services of tests, `pnpm dev` and `pnpm start`):
 * the request never leaves it. Anything else must be https.
 */
export function isLoopbackHttp(url: string | undefined): boolean {
  if (!url) return false
  const u = new URL(url)
  return u.protocol === 'http:' && ['127.0.0.1', 'localhost', '[::1]'].includes(u.hostname)
}

function requestOptions(url: string, options: CallOptions) {
  const timeout = AbortSignal.timeout(options.timeoutMs)
  const signal = options.signal ? AbortSignal.any([options.signal, timeout]) : timeout
  return { signal, ...(isLoopbackHttp(url) ? { [oauth.allowInsecureRequests]: true } : {}) }
}

const clip = (text: string, n = 300) => (text.length > n ? `${text.slice(0, n)}…` : text)

/** Maps a failed token-endpoint call onto a ConnectionError whose message names the cause (never a secret). */
export function tokenFailure(error: unknown, connector: string): ConnectionError {
  if (error instanceof ConnectionError) return error
  if (error instanceof oauth.ResponseBodyError) {
    const what = clip(`${error.error}${error.error_description ? `: ${error.error_description}` : ''}`)
    if (error.status >= 500 || error.error === 'temporarily_unavailable' || error.error === 'server_error')
      return new ConnectionError(
        'unavailable',
        `The provider is unavailable (HTTP ${error.status}, ${what}); try again later`,
        connector,
      )
    if (
      ['invalid_grant', 'invalid_client', 'unauthorized_client', 'access_denied'].includes(error.error) ||
      error.status === 401
    )
      return new ConnectionError(
        'needs-reconnect',
        `The provider refused the connection (${what}); connect again`,
        connector,
      )
    return new ConnectionError('error', `The provider rejected the token request (${what})`, connector)
  }
  if (error instanceof oauth.WWWAuthenticateChallengeError)
    return new ConnectionError(
      'needs-reconnect',
      `The provider refused the connection (HTTP ${error.status}); connect again`,
      connector,
    )
  if (error instanceof oauth.OperationProcessingError) {
    const response = error.cause instanceof Response ? error.cause : undefined
    if (response && response.status >= 500)
      return new ConnectionError(
        'unavailable',
        `The provider is unavailable (HTTP ${response.status}); try again later`,
        connector,
      )
    if (response && (response.status === 401 || response.status === 403))
      return new ConnectionError(
        'needs-reconnect',
        `The provider refused the connection (HTTP ${response.status}); connect again`,
        connector,
      )
    return new ConnectionError(
      'error',
      `The provider's token response is malformed (${clip(error.message, 160)}); nothing was changed`,
      connector,
    )
  }
  const name = (error as Error | undefined)?.name
  if (name === 'TimeoutError' || name === 'AbortError')
    return new ConnectionError('unavailable', 'The provider did not answer in time; try again later', connector)
  if (error instanceof TypeError)
    return new ConnectionError(
      'unavailable',
      `The provider could not be reached (${clip(String((error.cause as Error | undefined)?.message ?? error.message), 120)}); try again later`,
      connector,
    )
  return new ConnectionError(
    'error',
    `Token request failed: ${clip((error as Error)?.message ?? String(error), 160)}`,
    connector,
  )
}

function toStored(response: oauth.TokenEndpointResponse, previous?: StoredTokens): StoredTokens {
  const expiresIn = typeof response.expires_in === 'number' ? response.expires_in : undefined
  return {
    accessToken: response.access_token,
    // Providers that do not rotate send no refresh token: keep the one we have.
    refreshToken: response.refresh_token ?? previous?.refreshToken,
    expiresAt: expiresIn !== undefined ? new Date(Date.now() + expiresIn * 1000).toISOString() : undefined,
    tokenType: response.token_type,
    scope: response.scope ?? previous?.scope,
  }
}

async function guarded<T>(connector: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call()
  } catch (error) {
    throw tokenFailure(error, connector)
  }
}

/** Trades a refresh token for new tokens (the refresh token rotates when the provider rotates it). */
export function refreshTokens(
  endpoint: { tokenUrl: string },
  client: TokenClient,
  previous: StoredTokens,
  options: CallOptions,
): Promise<StoredTokens> {
  const refreshToken = previous.refreshToken
  if (!refreshToken)
    throw new ConnectionError(
      'needs-reconnect',
      'The connection has no refresh token; connect again',
      options.connector,
    )
  return guarded(options.connector, async () => {
    const as = serverOf(endpoint.tokenUrl)
    const c: oauth.Client = { client_id: client.clientId }
    const response = await oauth.refreshTokenGrantRequest(
      as,
      c,
      clientAuthOf(client),
      refreshToken,
      requestOptions(endpoint.tokenUrl, options),
    )
    return toStored(await oauth.processRefreshTokenResponse(as, c, response), previous)
  })
}

/** OAuth2 client credentials grant. */
export function clientCredentialsTokens(
  endpoint: { tokenUrl: string },
  client: TokenClient,
  scopes: readonly string[],
  options: CallOptions,
): Promise<StoredTokens> {
  return guarded(options.connector, async () => {
    const as = serverOf(endpoint.tokenUrl)
    const c: oauth.Client = { client_id: client.clientId }
    const params = new URLSearchParams()
    if (scopes.length) params.set('scope', scopes.join(' '))
    const response = await oauth.clientCredentialsGrantRequest(
      as,
      c,
      clientAuthOf(client),
      params,
      requestOptions(endpoint.tokenUrl, options),
    )
    return toStored(await oauth.processClientCredentialsResponse(as, c, response))
  })
}

/** RFC 7523: a JWT assertion signed with the service account's key, traded for an access token. */
export function serviceAccountTokens(
  endpoint: { tokenUrl: string; audience?: string },
  key: ServiceAccountKey,
  scopes: readonly string[],
  options: CallOptions,
): Promise<StoredTokens> {
  return guarded(options.connector, async () => {
    let privateKey: CryptoKey
    try {
      privateKey = await importPKCS8(key.private_key, 'RS256')
    } catch {
      throw new ConnectionError(
        'error',
        'The service-account key file has no usable RS256 private key',
        options.connector,
      )
    }
    const assertion = await new SignJWT(scopes.length ? { scope: scopes.join(' ') } : {})
      .setProtectedHeader({ alg: 'RS256', typ: 'JWT', ...(key.private_key_id ? { kid: key.private_key_id } : {}) })
      .setIssuer(key.client_email)
      .setAudience(endpoint.audience ?? endpoint.tokenUrl)
      .setIssuedAt()
      .setExpirationTime('1h')
      .sign(privateKey)
    const as = serverOf(endpoint.tokenUrl)
    const c: oauth.Client = { client_id: key.client_email }
    const response = await oauth.genericTokenEndpointRequest(
      as,
      c,
      oauth.None(),
      JWT_BEARER,
      { assertion },
      requestOptions(endpoint.tokenUrl, options),
    )
    return toStored(await oauth.processGenericTokenEndpointResponse(as, c, response))
  })
}

/** RFC 7009: revokes `token` (the refresh token when there is one: that ends the whole grant). */
export function revokeToken(
  endpoint: { revocationUrl: string },
  client: TokenClient,
  token: { value: string; hint: 'refresh_token' | 'access_token' },
  options: CallOptions,
): Promise<void> {
  return guarded(options.connector, async () => {
    const as = { issuer: new URL(endpoint.revocationUrl).origin, revocation_endpoint: endpoint.revocationUrl }
    const c: oauth.Client = { client_id: client.clientId }
    const response = await oauth.revocationRequest(as, c, clientAuthOf(client), token.value, {
      ...requestOptions(endpoint.revocationUrl, options),
      additionalParameters: { token_type_hint: token.hint },
    })
    await oauth.processRevocationResponse(response)
  })
}
