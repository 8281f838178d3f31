/**
 * The mock OAuth2 provider of the testing kit: a real HTTP server on a free port with a consent page
 * (`GET /authorize`), a token endpoint (authorization code + PKCE S256, rotating refresh tokens, client
 * credentials, RFC 7523 JWT bearer for service accounts), RFC 7009 revocation and a userinfo-like
 * `GET /me`. Faults are injected per call; every request is logged without its secrets.
 */
import { createHash, randomBytes } from 'node:crypto'
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { decodeJwt, exportPKCS8, exportSPKI, generateKeyPair, importSPKI, jwtVerify } from 'jose'

/** An OAuth client (app) registered at the mock. */
export interface MockOAuthClient {
  clientId: string
  /** Omit for a public client (`token_endpoint_auth_method: none`). */
  clientSecret?: string
  /** Exact redirect URIs accepted at `/authorize` and `/token`. */
  redirectUris?: string[]
}

/** A service account whose RS256 assertions the mock accepts. */
export interface MockServiceAccount {
  clientEmail: string
  /** SPKI PEM of the account's public key. */
  publicKey: string
  keyId?: string
}

/** The person (or account) the consent page signs in as. */
export interface MockOAuthAccount {
  sub: string
  email: string
  name: string
}

/** Where an injected fault applies. */
export type MockOAuthEndpoint = 'token' | 'revoke' | 'me'

/** An injected failure; applies to the next `times` calls of `endpoint`. */
export type MockOAuthFault =
  /** HTTP 500 (or `status`) with an OAuth error body `server_error`. */
  | { fault: 'server-error'; status?: number }
  /** HTTP 503 with `retry-after: 1`. */
  | { fault: 'unavailable' }
  /** Waits `delayMs`, then answers normally. */
  | { fault: 'slow'; delayMs: number }
  /** HTTP 200 with a body that is not JSON. */
  | { fault: 'malformed' }
  /** HTTP 400 `invalid_grant` whatever the request. */
  | { fault: 'invalid-grant' }
  /** HTTP 401 `invalid_client`. */
  | { fault: 'invalid-client' }
  /** Destroys the socket before answering. */
  | { fault: 'drop' }

/** One request as the mock logged it: never a secret, code, token, verifier or assertion. */
export interface MockOAuthRequest {
  at: Date
  method: string
  path: string
  endpoint: 'authorize' | 'consent' | MockOAuthEndpoint | 'metadata' | 'other'
  grantType?: string
  clientId?: string
  status: number
  /** The OAuth error code answered, if any. */
  error?: string
  /** The fault injected into this request, if any. */
  fault?: MockOAuthFault['fault']
}

export interface MockOAuthProviderOptions {
  /** @default 0 (a free port) */
  port?: number
  /** @default '127.0.0.1' */
  host?: string
  clients?: MockOAuthClient[]
  serviceAccounts?: MockServiceAccount[]
  /** @default { sub: 'mock-user-1', email: 'owner@example.com', name: 'Mock Owner' } */
  account?: MockOAuthAccount
  /** Lifetime of access tokens. @default 3600 */
  accessTokenTtlSeconds?: number
  /** Issue a new refresh token on each refresh and invalidate the old one. @default true */
  rotateRefreshTokens?: boolean
  /** Lifetime of authorization codes. @default 60 */
  codeTtlSeconds?: number
}

/** A grant: one consent (or one client-credentials / service-account issuance). */
export interface MockOAuthGrant {
  id: string
  clientId: string
  grantType: string
  account: MockOAuthAccount
  scope: string
  revoked: boolean
}

export interface MockOAuthProvider {
  /** Base URL, e.g. `http://127.0.0.1:41234`. */
  url: string
  authorizationUrl: string
  tokenUrl: string
  revocationUrl: string
  /** The userinfo-like endpoint (`GET /me`, bearer token). */
  userinfoUrl: string
  /** Every request so far, oldest first. */
  requests: MockOAuthRequest[]
  /** Number of requests to `endpoint` (and of `grantType` at the token endpoint), counting failures. */
  count(endpoint: MockOAuthRequest['endpoint'], grantType?: string): number
  addClient(client: MockOAuthClient): void
  addServiceAccount(account: MockServiceAccount): void
  /**
   * Generates an RS256 key pair, registers its public half and returns a key file shaped like
   * Google's (`client_email`, `private_key`, `private_key_id`, `token_uri` = this mock's token URL).
   */
  createServiceAccount(clientEmail?: string): Promise<{
    type: 'service_account'
    client_email: string
    private_key: string
    private_key_id: string
    token_uri: string
  }>
  /** Injects `fault` into the next `times` (default 1) calls of `endpoint` (default `token`). */
  fail(fault: MockOAuthFault, options?: { times?: number; endpoint?: MockOAuthEndpoint }): void
  /** Clears injected faults not yet used. */
  clearFaults(): void
  /** Revokes grants (all, or those of a client): refresh → `invalid_grant`, access tokens → 401. Simulates revoked consent. */
  revokeGrants(filter?: { clientId?: string }): number
  /** Makes every access token issued so far invalid (the API answers 401; refresh still works). */
  expireAccessTokens(): void
  /** Sets the lifetime of access tokens issued from now on. */
  setAccessTokenTtl(seconds: number): void
  /** Grants so far. */
  grants(): MockOAuthGrant[]
  /** True when `refreshToken` is currently accepted (for tests of rotation; never logged). */
  isRefreshTokenValid(refreshToken: string): boolean
  /**
   * Plays the consent page without a browser: GETs `authorizeUrl` and presses Allow or Deny.
   * Returns the URL the provider redirects to (with `code`+`state`, or `error`), or throws with the page's error.
   */
  consent(authorizeUrl: string, decision?: 'allow' | 'deny'): Promise<URL>
  close(): Promise<void>
}

interface Transaction {
  clientId: string
  redirectUri: string
  state: string | null
  scope: string
  codeChallenge: string
  expiresAt: number
}

interface CodeEntry {
  clientId: string
  redirectUri: string
  codeChallenge: string
  scope: string
  expiresAt: number
}

interface AccessEntry {
  grantId: string
  expiresAt: number
}

class OAuthError extends Error {
  constructor(
    readonly status: number,
    readonly error: string,
    readonly description: string,
  ) {
    super(description)
  }
}

const DEFAULT_ACCOUNT: MockOAuthAccount = { sub: 'mock-user-1', email: 'owner@example.com', name: 'Mock Owner' }

const token = (prefix: string) => `${prefix}_${randomBytes(24).toString('base64url')}`
const s256 = (verifier: string) => createHash('sha256').update(verifier).digest('base64url')

const html = (text: string) =>
  text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c)

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')))
    req.on('error', reject)
  })
}

/** Starts the mock OAuth2 provider on a free port. */
export async function startMockOAuthProvider(options: MockOAuthProviderOptions = {}): Promise<MockOAuthProvider> {
  const clients = new Map<string, MockOAuthClient>()
  for (const c of options.clients ?? []) clients.set(c.clientId, c)
  const serviceAccounts = new Map<string, MockServiceAccount>()
  for (const a of options.serviceAccounts ?? []) serviceAccounts.set(a.clientEmail, a)
  const account = options.account ?? DEFAULT_ACCOUNT
  let accessTtl = options.accessTokenTtlSeconds ?? 3600
  const rotate = options.rotateRefreshTokens ?? true
  const codeTtl = options.codeTtlSeconds ?? 60

  const transactions = new Map<string, Transaction>()
  const codes = new Map<string, CodeEntry>()
  const grantsById = new Map<string, MockOAuthGrant>()
  const accessTokens = new Map<string, AccessEntry>()
  const refreshTokens = new Map<string, string>() // refresh token → grant id
  const faults: Record<MockOAuthEndpoint, MockOAuthFault[]> = { token: [], revoke: [], me: [] }
  const requests: MockOAuthRequest[] = []
  let grantSeq = 0

  let base = ''

  const newGrant = (clientId: string, grantType: string, scope: string): MockOAuthGrant => {
    const grant = { id: `grant-${++grantSeq}`, clientId, grantType, account, scope, revoked: false }
    grantsById.set(grant.id, grant)
    return grant
  }

  const issue = (grant: MockOAuthGrant, withRefresh: boolean) => {
    const accessToken = token('mock_at')
    accessTokens.set(accessToken, { grantId: grant.id, expiresAt: Date.now() + accessTtl * 1000 })
    const body: Record<string, unknown> = {
      access_token: accessToken,
      token_type: 'Bearer',
      expires_in: accessTtl,
      scope: grant.scope,
    }
    if (withRefresh) {
      const refreshToken = token('mock_rt')
      refreshTokens.set(refreshToken, grant.id)
      body.refresh_token = refreshToken
    }
    return body
  }

  /** Client authentication at the token and revocation endpoints (basic or post; none for public clients). */
  const authenticateClient = (req: IncomingMessage, form: URLSearchParams): MockOAuthClient => {
    let clientId = form.get('client_id') ?? undefined
    let secret = form.get('client_secret') ?? undefined
    const header = req.headers.authorization
    if (header?.startsWith('Basic ')) {
      const decoded = Buffer.from(header.slice(6), 'base64').toString('utf8')
      const i = decoded.indexOf(':')
      clientId = decodeURIComponent(decoded.slice(0, i))
      secret = decodeURIComponent(decoded.slice(i + 1))
    }
    const client = clientId ? clients.get(clientId) : undefined
    if (!client) throw new OAuthError(401, 'invalid_client', 'Unknown client')
    if (client.clientSecret !== undefined && client.clientSecret !== secret)
      throw new OAuthError(401, 'invalid_client', 'Client authentication failed')
    return client
  }

  const handleToken = async (req: IncomingMessage, form: URLSearchParams, log: MockOAuthRequest) => {
    const grantType = form.get('grant_type') ?? ''
    log.grantType = grantType || undefined
    if (grantType === 'urn:ietf:params:oauth:grant-type:jwt-bearer') return jwtBearer(form, log)
    const client = authenticateClient(req, form)
    log.clientId = client.clientId
    if (grantType === 'authorization_code') {
      const code = form.get('code') ?? ''
      const entry = codes.get(code)
      codes.delete(code) // single use, whatever happens next
      if (!entry || entry.expiresAt < Date.now() || entry.clientId !== client.clientId)
        throw new OAuthError(400, 'invalid_grant', 'Authorization code is invalid, expired or already used')
      if (form.get('redirect_uri') !== entry.redirectUri)
        throw new OAuthError(400, 'invalid_grant', 'redirect_uri does not match the authorization request')
      const verifier = form.get('code_verifier')
      if (!verifier || s256(verifier) !== entry.codeChallenge)
        throw new OAuthError(400, 'invalid_grant', 'PKCE verification failed')
      return issue(newGrant(client.clientId, grantType, entry.scope), true)
    }
    if (grantType === 'refresh_token') {
      const refreshToken = form.get('refresh_token') ?? ''
      const grantId = refreshTokens.get(refreshToken)
      const grant = grantId ? grantsById.get(grantId) : undefined
      if (!grant || grant.revoked || grant.clientId !== client.clientId)
        throw new OAuthError(400, 'invalid_grant', 'Refresh token is invalid, revoked or already used')
      if (rotate) refreshTokens.delete(refreshToken)
      return issue(grant, rotate)
    }
    if (grantType === 'client_credentials') {
      if (client.clientSecret === undefined)
        throw new OAuthError(400, 'unauthorized_client', 'Public clients cannot use client_credentials')
      return issue(newGrant(client.clientId, grantType, form.get('scope') ?? ''), false)
    }
    throw new OAuthError(400, 'unsupported_grant_type', `Unsupported grant_type "${grantType}"`)
  }

  const jwtBearer = async (form: URLSearchParams, log: MockOAuthRequest) => {
    const assertion = form.get('assertion') ?? ''
    let issuer: string | undefined
    try {
      issuer = decodeJwt(assertion).iss
    } catch {
      throw new OAuthError(400, 'invalid_grant', 'Assertion is not a JWT')
    }
    const sa = issuer ? serviceAccounts.get(issuer) : undefined
    if (!sa) throw new OAuthError(400, 'invalid_grant', 'Unknown service account')
    log.clientId = sa.clientEmail
    try {
      const key = await importSPKI(sa.publicKey, 'RS256')
      const { payload } = await jwtVerify(assertion, key, {
        algorithms: ['RS256'],
        issuer: sa.clientEmail,
        audience: `${base}/token`,
        requiredClaims: ['exp', 'iat'],
        maxTokenAge: '1h',
      })
      const scope = typeof payload.scope === 'string' ? payload.scope : ''
      return issue(newGrant(sa.clientEmail, 'urn:ietf:params:oauth:grant-type:jwt-bearer', scope), false)
    } catch (error) {
      throw new OAuthError(400, 'invalid_grant', `Assertion rejected: ${(error as Error).message}`)
    }
  }

  const handleRevoke = (req: IncomingMessage, form: URLSearchParams, log: MockOAuthRequest) => {
    const client = authenticateClient(req, form)
    log.clientId = client.clientId
    const value = form.get('token') ?? ''
    if (!value) throw new OAuthError(400, 'invalid_request', 'token is required')
    const grantId = refreshTokens.get(value)
    if (grantId) {
      const grant = grantsById.get(grantId)
      if (grant && grant.clientId === client.clientId) grant.revoked = true
    } else accessTokens.delete(value)
    // RFC 7009 §2.2: 200 whether or not the token was known.
  }

  const handleMe = (req: IncomingMessage) => {
    const header = req.headers.authorization ?? ''
    const bearer = header.startsWith('Bearer ') ? header.slice(7) : ''
    const entry = accessTokens.get(bearer)
    const grant = entry ? grantsById.get(entry.grantId) : undefined
    if (!entry || !grant || grant.revoked || entry.expiresAt < Date.now())
      throw new OAuthError(401, 'invalid_token', 'The access token is invalid or expired')
    return { sub: grant.account.sub, email: grant.account.email, name: grant.account.name, scope: grant.scope }
  }

  const authorize = (url: URL, res: ServerResponse, log: MockOAuthRequest) => {
    const p = url.searchParams
    const clientId = p.get('client_id') ?? ''
    const client = clients.get(clientId)
    log.clientId = client ? clientId : undefined
    const redirectUri = p.get('redirect_uri') ?? ''
    // Unknown client or unregistered redirect: show the error, never redirect (RFC 6749 §4.1.2.1).
    if (!client) throw new OAuthError(400, 'invalid_client', `Unknown client_id "${clientId}"`)
    if (!client.redirectUris?.includes(redirectUri))
      throw new OAuthError(400, 'invalid_request', `redirect_uri "${redirectUri}" is not registered for this client`)
    const state = p.get('state')
    const back = (params: Record<string, string>) => {
      const to = new URL(redirectUri)
      for (const [k, v] of Object.entries(params)) to.searchParams.set(k, v)
      if (state !== null) to.searchParams.set('state', state)
      log.status = 302
      log.error = params.error
      res.writeHead(302, { location: to.toString() }).end()
    }
    if (p.get('response_type') !== 'code')
      return back({ error: 'unsupported_response_type', error_description: 'response_type must be code' })
    const challenge = p.get('code_challenge')
    if (!challenge || p.get('code_challenge_method') !== 'S256')
      return back({ error: 'invalid_request', error_description: 'PKCE with code_challenge_method=S256 is required' })
    const tx = randomBytes(16).toString('base64url')
    const scope = p.get('scope') ?? ''
    transactions.set(tx, {
      clientId,
      redirectUri,
      state,
      scope,
      codeChallenge: challenge,
      expiresAt: Date.now() + 600_000,
    })
    log.status = 200
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Mock provider — consent</title></head>
<body><main>
<h1>Allow access?</h1>
<p><strong>${html(clientId)}</strong> asks to access the account <strong>${html(account.email)}</strong>.</p>
<p>Scopes: <code>${html(scope || '(none)')}</code></p>
<form method="post" action="/authorize/decision">
<input type="hidden" name="tx" value="${tx}">
<button type="submit" name="decision" value="allow">Allow</button>
<button type="submit" name="decision" value="deny">Deny</button>
</form>
</main></body></html>`)
  }

  const decide = (form: URLSearchParams, res: ServerResponse, log: MockOAuthRequest) => {
    const txId = form.get('tx') ?? ''
    const tx = transactions.get(txId)
    transactions.delete(txId)
    if (!tx || tx.expiresAt < Date.now()) throw new OAuthError(400, 'invalid_request', 'Consent expired; start again')
    log.clientId = tx.clientId
    const to = new URL(tx.redirectUri)
    if (form.get('decision') === 'allow') {
      const code = token('mock_code')
      codes.set(code, {
        clientId: tx.clientId,
        redirectUri: tx.redirectUri,
        codeChallenge: tx.codeChallenge,
        scope: tx.scope,
        expiresAt: Date.now() + codeTtl * 1000,
      })
      to.searchParams.set('code', code)
    } else {
      to.searchParams.set('error', 'access_denied')
      to.searchParams.set('error_description', 'The user denied access')
      log.error = 'access_denied'
    }
    if (tx.state !== null) to.searchParams.set('state', tx.state)
    log.status = 302
    res.writeHead(302, { location: to.toString() }).end()
  }

  const json = (res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) => {
    res
      .writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store', ...headers })
      .end(JSON.stringify(body))
  }

  /** Applies an injected fault; true when the fault answered the request. */
  const applyFault = async (fault: MockOAuthFault, res: ServerResponse, log: MockOAuthRequest) => {
    log.fault = fault.fault
    switch (fault.fault) {
      case 'slow':
        await new Promise((r) => setTimeout(r, fault.delayMs))
        return false
      case 'server-error':
        log.status = fault.status ?? 500
        log.error = 'server_error'
        json(res, log.status, { error: 'server_error', error_description: 'Injected server error' })
        return true
      case 'unavailable':
        log.status = 503
        log.error = 'temporarily_unavailable'
        json(
          res,
          503,
          { error: 'temporarily_unavailable', error_description: 'Injected outage' },
          { 'retry-after': '1' },
        )
        return true
      case 'malformed':
        log.status = 200
        res.writeHead(200, { 'content-type': 'application/json' }).end('{"access_token": "trunc')
        return true
      case 'invalid-grant':
        log.status = 400
        log.error = 'invalid_grant'
        json(res, 400, { error: 'invalid_grant', error_description: 'Injected invalid_grant (consent revoked)' })
        return true
      case 'invalid-client':
        log.status = 401
        log.error = 'invalid_client'
        json(res, 401, { error: 'invalid_client', error_description: 'Injected invalid_client' })
        return true
      case 'drop':
        log.status = 0
        res.socket?.destroy()
        return true
    }
  }

  const server = createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', base)
    const method = req.method ?? 'GET'
    const log: MockOAuthRequest = { at: new Date(), method, path: url.pathname, endpoint: 'other', status: 0 }
    requests.push(log)
    try {
      const route = `${method} ${url.pathname}`
      if (route === 'GET /.well-known/oauth-authorization-server') {
        log.endpoint = 'metadata'
        log.status = 200
        return json(res, 200, {
          issuer: base,
          authorization_endpoint: `${base}/authorize`,
          token_endpoint: `${base}/token`,
          revocation_endpoint: `${base}/revoke`,
          userinfo_endpoint: `${base}/me`,
          code_challenge_methods_supported: ['S256'],
          grant_types_supported: [
            'authorization_code',
            'refresh_token',
            'client_credentials',
            'urn:ietf:params:oauth:grant-type:jwt-bearer',
          ],
        })
      }
      if (route === 'GET /authorize') {
        log.endpoint = 'authorize'
        return authorize(url, res, log)
      }
      if (route === 'POST /authorize/decision') {
        log.endpoint = 'consent'
        return decide(new URLSearchParams(await readBody(req)), res, log)
      }
      const endpoint = ({ 'POST /token': 'token', 'POST /revoke': 'revoke', 'GET /me': 'me' } as const)[
        route as 'POST /token'
      ] as MockOAuthEndpoint | undefined
      if (!endpoint) {
        log.status = 404
        return json(res, 404, { error: 'not_found' })
      }
      log.endpoint = endpoint
      const form = method === 'POST' ? new URLSearchParams(await readBody(req)) : new URLSearchParams()
      if (endpoint === 'token') log.grantType = form.get('grant_type') ?? undefined
      const fault = faults[endpoint].shift()
      if (fault && (await applyFault(fault, res, log))) return
      if (endpoint === 'token') {
        const body = await handleToken(req, form, log)
        log.status = 200
        return json(res, 200, body)
      }
      if (endpoint === 'revoke') {
        handleRevoke(req, form, log)
        log.status = 200
        return res.writeHead(200).end()
      }
      const me = handleMe(req)
      log.status = 200
      return json(res, 200, me)
    } catch (error) {
      if (error instanceof OAuthError) {
        log.status = error.status
        log.error = error.error
        if (log.endpoint === 'authorize' || log.endpoint === 'consent') {
          res
            .writeHead(error.status, { 'content-type': 'text/html; charset=utf-8' })
            .end(`<!doctype html><title>Error</title><h1>${html(error.error)}</h1><p>${html(error.description)}</p>`)
          return
        }
        const headers: Record<string, string> =
          error.status === 401 && log.endpoint === 'me' ? { 'www-authenticate': 'Bearer error="invalid_token"' } : {}
        return json(res, error.status, { error: error.error, error_description: error.description }, headers)
      }
      log.status = 500
      json(res, 500, { error: 'server_error', error_description: (error as Error).message })
    }
  })

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve())
  })
  const address = server.address() as AddressInfo
  base = `http://${options.host ?? '127.0.0.1'}:${address.port}`

  const provider: MockOAuthProvider = {
    url: base,
    authorizationUrl: `${base}/authorize`,
    tokenUrl: `${base}/token`,
    revocationUrl: `${base}/revoke`,
    userinfoUrl: `${base}/me`,
    requests,
    count: (endpoint, grantType) =>
      requests.filter((r) => r.endpoint === endpoint && (grantType === undefined || r.grantType === grantType)).length,
    addClient: (client) => void clients.set(client.clientId, client),
    addServiceAccount: (sa) => void serviceAccounts.set(sa.clientEmail, sa),
    async createServiceAccount(clientEmail = `sa-${randomBytes(4).toString('hex')}@mock.iam.example.com`) {
      const { publicKey, privateKey } = await generateKeyPair('RS256', { extractable: true })
      const keyId = randomBytes(8).toString('hex')
      serviceAccounts.set(clientEmail, { clientEmail, publicKey: await exportSPKI(publicKey), keyId })
      return {
        type: 'service_account' as const,
        client_email: clientEmail,
        private_key: await exportPKCS8(privateKey),
        private_key_id: keyId,
        token_uri: `${base}/token`,
      }
    },
    fail(fault, { times = 1, endpoint = 'token' } = {}) {
      for (let i = 0; i < times; i++) faults[endpoint].push(fault)
    },
    clearFaults() {
      for (const list of Object.values(faults)) list.length = 0
    },
    revokeGrants(filter = {}) {
      let n = 0
      for (const grant of grantsById.values())
        if (!grant.revoked && (filter.clientId === undefined || grant.clientId === filter.clientId)) {
          grant.revoked = true
          n++
        }
      return n
    },
    expireAccessTokens() {
      for (const entry of accessTokens.values()) entry.expiresAt = 0
    },
    setAccessTokenTtl(seconds) {
      accessTtl = seconds
    },
    grants: () => [...grantsById.values()].map((g) => ({ ...g })),
    isRefreshTokenValid(refreshToken) {
      const grantId = refreshTokens.get(refreshToken)
      return Boolean(grantId && !grantsById.get(grantId)?.revoked)
    },
    async consent(authorizeUrl, decision = 'allow') {
      const page = await fetch(authorizeUrl, { redirect: 'manual' })
      if (page.status === 302) return new URL(page.headers.get('location') ?? '')
      const text = await page.text()
      if (page.status !== 200) throw new Error(`Consent page answered ${page.status}: ${text.replace(/<[^>]+>/g, ' ')}`)
      const tx = /name="tx" value="([^"]+)"/.exec(text)?.[1]
      if (!tx) throw new Error('Consent page has no transaction')
      const answer = await fetch(`${base}/authorize/decision`, {
        method: 'POST',
        redirect: 'manual',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ tx, decision }),
      })
      const location = answer.headers.get('location')
      if (answer.status !== 302 || !location) throw new Error(`Consent answered ${answer.status}`)
      return new URL(location)
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
  return provider
}
