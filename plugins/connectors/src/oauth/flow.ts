/**
 * The OAuth2 authorization-code flow with PKCE (S256), with oauth4webapi: `startOAuthFlow` stores a
 * state (hashed; bound to user, tenant, connector, connection and redirect URI; the verifier sealed)
 * and returns the provider's consent URL; `completeOAuthFlow` consumes the state once, exchanges the
 * code, and saves the connection. Every refusal is an `OAuthFlowError` with a status and a message a
 * person can act on; nothing is stored unless the token response was valid.
 */
import { createHash } from 'node:crypto'
import { vaultConfigOf } from '@bizosaas/plugin-vault'
import { open, seal } from '@bizosaas/plugin-vault/crypto'
import * as oauth from 'oauth4webapi'
import type { Payload, PayloadRequest } from 'payload'
import { effectiveConnector, poolOf, saveConnection, testConnection } from '../connections.ts'
import { connectorsConfigOf } from '../defaults.ts'
import type { AnyConnector, OAuth2CodeAuth } from '../define.ts'
import { HttpError } from '../endpoints/http.ts'
import { findConnector } from '../registry.ts'
import type { StoredTokens } from '../sealed.ts'
import { selectConnection } from '../sql.ts'
import { clientAuthOf, isLoopbackHttp } from '../tokens.ts'
import { appSecretContext } from './apps-collection.ts'
import { CONNECTOR_APPS_SLUG, OAUTH_STATES_SLUG, STATE_TTL_MS } from './constants.ts'
import { consumeState, findState, pruneStates } from './sql.ts'

/** An OAuth app: the platform's (plugin options) or a tenant's own (`connector-apps`). */
export interface OAuthApp {
  clientId: string
  clientSecret?: string
}

/** A refused step of the flow: `status` for the HTTP answer, `message` for the person. Never holds a secret. */
export class OAuthFlowError extends HttpError {
  override name = 'OAuthFlowError'
}

export const hashState = (state: string) => createHash('sha256').update(state).digest('hex')
const verifierContext = (stateHash: string, tenant: number) =>
  `bizosaas-connectors:oauth-state=${stateHash};tenant=${tenant}`

/** The connector, if it connects with the authorization-code flow. */
export function oauthConnector(payload: Payload, id: string): AnyConnector & { auth: OAuth2CodeAuth } {
  const connector = findConnector(payload, id)
  if (!connector) throw new OAuthFlowError(404, `No connector "${id}" is installed.`)
  if (connector.auth.type !== 'oauth2' || connector.auth.grant !== 'authorization_code')
    throw new OAuthFlowError(400, `${connector.name} does not connect through a provider's consent page.`)
  return connector as AnyConnector & { auth: OAuth2CodeAuth }
}

/** The authorization server as oauth4webapi wants it, after deployment overrides. */
function serverOf(payload: Payload, connector: AnyConnector & { auth: OAuth2CodeAuth }): oauth.AuthorizationServer {
  const urls = effectiveConnector(payload, connector)
  const authorization = urls.authorizationUrl ?? connector.auth.authorizationUrl
  return {
    issuer: new URL(authorization).origin,
    authorization_endpoint: authorization,
    token_endpoint: urls.tokenUrl ?? connector.auth.tokenUrl,
    revocation_endpoint: urls.revocationUrl,
  }
}

/** The tenant's own app for this connector, with its secret opened. */
export async function tenantApp(payload: Payload, tenant: number, connector: string) {
  const found = await payload.find({
    collection: CONNECTOR_APPS_SLUG as never,
    where: { and: [{ tenant: { equals: tenant } }, { connector: { equals: connector } }] },
    depth: 0,
    limit: 1,
    overrideAccess: true,
    showHiddenFields: true,
  })
  const row = found.docs[0] as unknown as { clientId: string; ciphertext?: string; keyId?: string } | undefined
  if (!row?.ciphertext || !row.keyId) return undefined
  try {
    const clientSecret = open(
      vaultConfigOf(payload).keyring(),
      { ciphertext: row.ciphertext, keyId: row.keyId },
      appSecretContext(tenant, connector),
    )
    return { clientId: row.clientId, clientSecret } satisfies OAuthApp
  } catch {
    throw new OAuthFlowError(409, 'Your OAuth app’s secret can no longer be opened; enter the app again.')
  }
}

/** The app a flow uses: the tenant's when allowed and present ('tenant' requires it), else the platform's. */
async function chooseApp(
  payload: Payload,
  tenant: number,
  connector: AnyConnector & { auth: OAuth2CodeAuth },
): Promise<{ source: 'tenant' | 'platform'; app: OAuthApp }> {
  const mode = connector.auth.app
  if (mode !== 'platform') {
    const own = await tenantApp(payload, tenant, connector.id)
    if (own) return { source: 'tenant', app: own }
    if (mode === 'tenant')
      throw new OAuthFlowError(
        409,
        `${connector.name} needs your own OAuth app: enter its client id and secret before connecting.`,
      )
  }
  const platform = connectorsConfigOf(payload).apps[connector.id]
  if (!platform?.clientId)
    throw new OAuthFlowError(
      409,
      mode === 'either'
        ? `The platform has no ${connector.name} app; enter your own OAuth app's client id and secret to connect.`
        : `The platform has no ${connector.name} app configured; ask the platform operator to set CONNECTOR_${connector.id.toUpperCase().replaceAll('-', '_')}_CLIENT_ID and _CLIENT_SECRET.`,
    )
  return { source: 'platform', app: platform }
}

export interface StartFlowArgs {
  tenant: number
  connector: string
  /** The connection being reconnected (must be this tenant's, of this connector). */
  connection?: number
  user: number
  req?: PayloadRequest
}

/** Stores a new state and returns the provider's consent URL. */
export async function startOAuthFlow(payload: Payload, args: StartFlowArgs): Promise<{ url: string }> {
  const connector = oauthConnector(payload, args.connector)
  const redirectUri = connectorsConfigOf(payload).redirectUri
  if (!redirectUri)
    throw new OAuthFlowError(503, 'OAuth connections need the portal’s address: set PORTAL_URL on the CMS.')
  if (args.connection !== undefined) {
    const existing = await selectConnection(poolOf(payload), args.connection)
    if (!existing || existing.tenant !== args.tenant || existing.connector !== connector.id)
      throw new OAuthFlowError(404, `No ${connector.name} connection ${args.connection} in this tenant.`)
  }
  const { source, app } = await chooseApp(payload, args.tenant, connector)
  const as = serverOf(payload, connector)

  const state = oauth.generateRandomState()
  const verifier = oauth.generateRandomCodeVerifier()
  const stateHash = hashState(state)
  const sealed = seal(vaultConfigOf(payload).keyring(), verifier, verifierContext(stateHash, args.tenant))
  await pruneStates(poolOf(payload))
  await payload.create({
    collection: OAUTH_STATES_SLUG as never,
    data: {
      stateHash,
      user: args.user,
      tenant: args.tenant,
      connector: connector.id,
      connection: args.connection ?? null,
      app: source,
      verifierCiphertext: sealed.ciphertext,
      verifierKeyId: sealed.keyId,
      redirectUri,
      expiresAt: new Date(Date.now() + STATE_TTL_MS).toISOString(),
    } as never,
    overrideAccess: true,
    req: args.req,
  })

  const url = new URL(as.authorization_endpoint!)
  for (const [key, value] of Object.entries(connector.auth.authorizationParams ?? {})) url.searchParams.set(key, value)
  url.searchParams.set('response_type', 'code')
  url.searchParams.set('client_id', app.clientId)
  url.searchParams.set('redirect_uri', redirectUri)
  if (connector.scopes?.length)
    url.searchParams.set('scope', connector.scopes.join(connector.auth.scopeSeparator ?? ' '))
  url.searchParams.set('state', state)
  url.searchParams.set('code_challenge', await oauth.calculatePKCECodeChallenge(verifier))
  url.searchParams.set('code_challenge_method', 'S256')
  return { url: url.href }
}

export interface CompleteFlowArgs {
  state: string
  code?: string
  error?: string
  errorDescription?: string
  redirectUri: string
  /** When the caller names the tenant it expects, the state must be of that tenant. */
  tenant?: number
  user: number
  req: PayloadRequest
}

export interface CompletedFlow {
  connection: number
  tenant: number
  connector: string
  account?: string
  reconnected: boolean
  message: string
}

/** Says why a state that could not be consumed was refused. */
async function refusal(payload: Payload, stateHash: string, user: number): Promise<OAuthFlowError> {
  const row = await findState(poolOf(payload), stateHash)
  if (!row)
    return new OAuthFlowError(
      400,
      'This sign-in response is not one we started (unknown state); nothing was connected. Start again from the integrations page.',
    )
  if (Number(row.user) !== user)
    return new OAuthFlowError(
      400,
      'This sign-in was started by another user; nothing was connected. Start again from the integrations page.',
    )
  if (row.usedAt)
    return new OAuthFlowError(
      400,
      'This sign-in response was already used; nothing more was connected. Start again from the integrations page.',
    )
  return new OAuthFlowError(
    400,
    'This sign-in took longer than 10 minutes and expired; nothing was connected. Start again from the integrations page.',
  )
}

const clip = (text: string, max = 200) => (text.length > max ? `${text.slice(0, max)}…` : text)

/** Consumes the state once, exchanges the code and saves (or reconnects) the connection. */
export async function completeOAuthFlow(payload: Payload, args: CompleteFlowArgs): Promise<CompletedFlow> {
  const stateHash = hashState(args.state)
  const config = connectorsConfigOf(payload)
  const row = await consumeState(poolOf(payload), stateHash, args.user)
  if (!row) throw await refusal(payload, stateHash, args.user)
  const tenant = Number(row.tenant)
  if (args.tenant !== undefined && args.tenant !== tenant)
    throw new OAuthFlowError(400, 'This sign-in was started for another tenant; nothing was connected.')
  if (!(await config.access.manage({ req: args.req, tenant })))
    throw new OAuthFlowError(403, 'Only a tenant admin of this tenant can connect accounts; nothing was connected.')
  const connector = oauthConnector(payload, row.connector)
  const provider = connector.name
  if (args.redirectUri !== row.redirectUri || args.redirectUri !== config.redirectUri)
    throw new OAuthFlowError(
      400,
      `The sign-in came back to an address this flow did not start from; nothing was connected.`,
    )
  if (args.error) {
    if (args.error === 'access_denied')
      throw new OAuthFlowError(400, `You declined access at ${provider}; nothing was connected.`)
    const detail = args.errorDescription ? `: ${clip(args.errorDescription)}` : ''
    throw new OAuthFlowError(
      400,
      `${provider} refused the connection (${clip(args.error, 60)}${detail}); nothing was connected.`,
    )
  }
  if (!args.code) throw new OAuthFlowError(400, `${provider} sent no authorization code back; nothing was connected.`)

  let app: OAuthApp | undefined
  if (row.app === 'tenant') {
    app = await tenantApp(payload, tenant, connector.id)
    if (!app)
      throw new OAuthFlowError(409, `Your ${provider} app was removed while connecting; enter it again and reconnect.`)
  } else {
    app = config.apps[connector.id]
    if (!app?.clientId)
      throw new OAuthFlowError(409, `The platform's ${provider} app is no longer configured; nothing was connected.`)
  }
  let verifier: string
  try {
    verifier = open(
      vaultConfigOf(payload).keyring(),
      { ciphertext: row.verifierCiphertext, keyId: row.verifierKeyId },
      verifierContext(stateHash, tenant),
    )
  } catch {
    throw new OAuthFlowError(400, 'This sign-in can no longer be completed (its key changed); start again.')
  }

  const tokens = await exchangeCode(payload, connector, app, {
    state: args.state,
    code: args.code,
    redirectUri: args.redirectUri,
    verifier,
  })
  const connection = row.connection == null ? undefined : Number(row.connection)
  // A reconnect updates the connection in place: status connected, last error and notifiedAt cleared.
  const saved = await saveConnection(payload, {
    tenant,
    connector: connector.id,
    connection,
    tokens,
    app: row.app === 'tenant' ? app : undefined,
    user: args.user,
  })
  const test = await testConnection(payload, saved.id)
  const account =
    (test.ok ? test.account : undefined) ?? (await selectConnection(poolOf(payload), saved.id))?.account ?? undefined
  return {
    connection: saved.id,
    tenant,
    connector: connector.id,
    account,
    reconnected: connection !== undefined,
    message: test.ok
      ? `Connected ${provider}${account ? ` as ${account}` : ''}.`
      : `Connected ${provider}, but its test failed: ${test.message}`,
  }
}

/** The token request and a strict check of its answer (oauth4webapi); a malformed answer stores nothing. */
async function exchangeCode(
  payload: Payload,
  connector: AnyConnector & { auth: OAuth2CodeAuth },
  app: OAuthApp,
  { state, code, redirectUri, verifier }: { state: string; code: string; redirectUri: string; verifier: string },
): Promise<StoredTokens> {
  const as = serverOf(payload, connector)
  const client: oauth.Client = { client_id: app.clientId }
  const clientAuth = clientAuthOf({ ...app, method: connector.auth.clientAuth })
  const provider = connector.name
  const options = isLoopbackHttp(as.token_endpoint) ? { [oauth.allowInsecureRequests]: true } : {}
  // The state was checked against the stored hash already; this re-checks the callback's shape.
  const callback = oauth.validateAuthResponse(as, client, new URLSearchParams({ state, code }), state)
  let response: Response
  try {
    response = await oauth.authorizationCodeGrantRequest(as, client, clientAuth, callback, redirectUri, verifier, {
      ...options,
      signal: AbortSignal.timeout(15_000),
    })
  } catch {
    throw new OAuthFlowError(
      502,
      `${provider} could not be reached to finish connecting; nothing was connected. Try again.`,
    )
  }
  if (response.status >= 500)
    throw new OAuthFlowError(
      502,
      `${provider} had a problem finishing the connection (HTTP ${response.status}); nothing was connected. Try again.`,
    )
  let result: oauth.TokenEndpointResponse
  try {
    result = await oauth.processAuthorizationCodeResponse(as, client, response)
  } catch (error) {
    if (error instanceof oauth.ResponseBodyError) {
      const detail = error.error_description ? `: ${clip(error.error_description)}` : ''
      const status = error.status >= 500 ? 502 : 400
      throw new OAuthFlowError(
        status,
        `${provider} refused the authorization code (${clip(error.error, 60)}${detail}); nothing was connected. Start again.`,
      )
    }
    throw new OAuthFlowError(
      502,
      `${provider} answered the token request with something that is not a valid token response; nothing was connected.`,
    )
  }
  if (typeof result.token_type !== 'string' || result.token_type.toLowerCase() !== 'bearer')
    throw new OAuthFlowError(
      502,
      `${provider} issued a "${clip(String(result.token_type), 20)}" token, which this platform cannot use; nothing was connected.`,
    )
  const expiresIn = result.expires_in
  return {
    accessToken: result.access_token,
    refreshToken: result.refresh_token,
    expiresAt: typeof expiresIn === 'number' ? new Date(Date.now() + expiresIn * 1000).toISOString() : undefined,
    tokenType: result.token_type,
    scope: result.scope,
  }
}
