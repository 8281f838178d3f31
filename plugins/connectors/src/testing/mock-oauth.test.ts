/** The mock OAuth2 provider over real HTTP: consent, PKCE, rotation, client credentials, JWT bearer, revocation, faults. */
import { createHash, randomBytes } from 'node:crypto'
import { importPKCS8, SignJWT } from 'jose'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type MockOAuthProvider, startMockOAuthProvider } from './mock-oauth.ts'

const REDIRECT = 'http://127.0.0.1:9/oauth/callback'
let mock: MockOAuthProvider

beforeAll(async () => {
  mock = await startMockOAuthProvider({
    clients: [
      { clientId: 'app', clientSecret: 'app-secret', redirectUris: [REDIRECT] },
      { clientId: 'machine', clientSecret: 'machine-secret' },
    ],
  })
})
afterAll(() => mock.close())

const basic = (id: string, secret: string) => `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}`

async function tokenCall(params: Record<string, string>, auth = basic('app', 'app-secret')) {
  const res = await fetch(mock.tokenUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: auth },
    body: new URLSearchParams(params),
  })
  const text = await res.text()
  let body: Record<string, string> = {}
  try {
    body = JSON.parse(text)
  } catch {}
  return { status: res.status, body, text }
}

function authorizeUrl(extra: Record<string, string> = {}) {
  const verifier = randomBytes(32).toString('base64url')
  const url = new URL(mock.authorizationUrl)
  const params = {
    client_id: 'app',
    redirect_uri: REDIRECT,
    response_type: 'code',
    scope: 'read write',
    state: 'st-1',
    code_challenge: createHash('sha256').update(verifier).digest('base64url'),
    code_challenge_method: 'S256',
    ...extra,
  }
  for (const [k, v] of Object.entries(params)) url.searchParams.set(k, v)
  return { url: url.toString(), verifier }
}

async function connect() {
  const { url, verifier } = authorizeUrl()
  const back = await mock.consent(url, 'allow')
  const code = back.searchParams.get('code') ?? ''
  return tokenCall({ grant_type: 'authorization_code', code, redirect_uri: REDIRECT, code_verifier: verifier })
}

describe('mock OAuth provider', () => {
  it('shows a consent page with Allow and Deny and redirects with code and state', async () => {
    const { url } = authorizeUrl()
    const page = await (await fetch(url)).text()
    expect(page).toContain('>Allow</button>')
    expect(page).toContain('>Deny</button>')
    const back = await mock.consent(url, 'allow')
    expect(back.origin + back.pathname).toBe(REDIRECT)
    expect(back.searchParams.get('code')).toMatch(/^mock_code_/)
    expect(back.searchParams.get('state')).toBe('st-1')
  })

  it('redirects with access_denied on Deny', async () => {
    const back = await mock.consent(authorizeUrl().url, 'deny')
    expect(back.searchParams.get('error')).toBe('access_denied')
    expect(back.searchParams.get('state')).toBe('st-1')
    expect(back.searchParams.get('code')).toBeNull()
  })

  it('refuses unknown clients and unregistered redirect URIs without redirecting', async () => {
    const unknown = await fetch(authorizeUrl({ client_id: 'nope' }).url, { redirect: 'manual' })
    expect(unknown.status).toBe(400)
    const badRedirect = await fetch(authorizeUrl({ redirect_uri: 'http://evil.example/cb' }).url, {
      redirect: 'manual',
    })
    expect(badRedirect.status).toBe(400)
    expect(await badRedirect.text()).toContain('is not registered')
  })

  it('requires response_type=code and S256 PKCE', async () => {
    const plain = await mock.consent(authorizeUrl({ code_challenge_method: 'plain' }).url)
    expect(plain.searchParams.get('error')).toBe('invalid_request')
    const token = await mock.consent(authorizeUrl({ response_type: 'token' }).url)
    expect(token.searchParams.get('error')).toBe('unsupported_response_type')
  })

  it('exchanges a code once, checking the PKCE verifier and redirect_uri', async () => {
    const { url, verifier } = authorizeUrl()
    const code = (await mock.consent(url)).searchParams.get('code') ?? ''
    const wrongVerifier = await tokenCall({
      grant_type: 'authorization_code',
      code,
      redirect_uri: REDIRECT,
      code_verifier: 'x'.repeat(43),
    })
    expect(wrongVerifier.body.error).toBe('invalid_grant')
    // the failed attempt spent the code
    const retry = await tokenCall({
      grant_type: 'authorization_code',
      code,
      redirect_uri: REDIRECT,
      code_verifier: verifier,
    })
    expect(retry.body.error).toBe('invalid_grant')

    const second = authorizeUrl()
    const code2 = (await mock.consent(second.url)).searchParams.get('code') ?? ''
    const wrongRedirect = await tokenCall({
      grant_type: 'authorization_code',
      code: code2,
      redirect_uri: 'http://127.0.0.1:9/other',
      code_verifier: second.verifier,
    })
    expect(wrongRedirect.body.error_description).toContain('redirect_uri')

    const ok = await connect()
    expect(ok.status).toBe(200)
    expect(ok.body).toMatchObject({ token_type: 'Bearer', expires_in: 3600, scope: 'read write' })
    expect(ok.body.access_token).toMatch(/^mock_at_/)
    expect(ok.body.refresh_token).toMatch(/^mock_rt_/)
  })

  it('rejects a bad client secret with invalid_client', async () => {
    const res = await tokenCall({ grant_type: 'client_credentials' }, basic('app', 'wrong'))
    expect(res.status).toBe(401)
    expect(res.body.error).toBe('invalid_client')
  })

  it('rotates refresh tokens: the old one becomes invalid_grant', async () => {
    const first = await connect()
    const rt1 = first.body.refresh_token ?? ''
    const refreshed = await tokenCall({ grant_type: 'refresh_token', refresh_token: rt1 })
    expect(refreshed.status).toBe(200)
    const rt2 = refreshed.body.refresh_token ?? ''
    expect(rt2).not.toBe(rt1)
    expect(mock.isRefreshTokenValid(rt1)).toBe(false)
    expect(mock.isRefreshTokenValid(rt2)).toBe(true)
    const reuse = await tokenCall({ grant_type: 'refresh_token', refresh_token: rt1 })
    expect(reuse.status).toBe(400)
    expect(reuse.body.error).toBe('invalid_grant')
  })

  it('answers /me for a valid bearer token and 401 otherwise', async () => {
    const { body } = await connect()
    const me = await fetch(mock.userinfoUrl, { headers: { authorization: `Bearer ${body.access_token}` } })
    expect(await me.json()).toMatchObject({ email: 'owner@example.com' })
    const bad = await fetch(mock.userinfoUrl, { headers: { authorization: 'Bearer nope' } })
    expect(bad.status).toBe(401)
    expect(bad.headers.get('www-authenticate')).toContain('invalid_token')
    mock.expireAccessTokens()
    const expired = await fetch(mock.userinfoUrl, { headers: { authorization: `Bearer ${body.access_token}` } })
    expect(expired.status).toBe(401)
  })

  it('issues client-credentials tokens without a refresh token', async () => {
    const res = await tokenCall({ grant_type: 'client_credentials', scope: 'api' }, basic('machine', 'machine-secret'))
    expect(res.status).toBe(200)
    expect(res.body.access_token).toMatch(/^mock_at_/)
    expect(res.body.refresh_token).toBeUndefined()
    expect(res.body.scope).toBe('api')
  })

  it('accepts an RS256 assertion of a registered service account and refuses others', async () => {
    const key = await mock.createServiceAccount('robot@mock.iam.example.com')
    const sign = async (aud: string) =>
      new SignJWT({ scope: 'analytics.readonly' })
        .setProtectedHeader({ alg: 'RS256', kid: key.private_key_id })
        .setIssuer(key.client_email)
        .setAudience(aud)
        .setIssuedAt()
        .setExpirationTime('1h')
        .sign(await importPKCS8(key.private_key, 'RS256'))
    const grant = 'urn:ietf:params:oauth:grant-type:jwt-bearer'
    const ok = await tokenCall({ grant_type: grant, assertion: await sign(key.token_uri) }, '')
    expect(ok.status).toBe(200)
    expect(ok.body.scope).toBe('analytics.readonly')
    const wrongAud = await tokenCall({ grant_type: grant, assertion: await sign('https://elsewhere') }, '')
    expect(wrongAud.body.error).toBe('invalid_grant')
    const other = await mock.createServiceAccount('other@mock.iam.example.com')
    const forged = await new SignJWT({})
      .setProtectedHeader({ alg: 'RS256' })
      .setIssuer(key.client_email)
      .setAudience(key.token_uri)
      .setIssuedAt()
      .setExpirationTime('1h')
      .sign(await importPKCS8(other.private_key, 'RS256'))
    expect((await tokenCall({ grant_type: grant, assertion: forged }, '')).body.error).toBe('invalid_grant')
  })

  it('revokes a grant through RFC 7009 and simulated revoked consent', async () => {
    const a = await connect()
    const revoke = await fetch(mock.revocationUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: basic('app', 'app-secret') },
      body: new URLSearchParams({ token: a.body.refresh_token ?? '', token_type_hint: 'refresh_token' }),
    })
    expect(revoke.status).toBe(200)
    expect(
      (await tokenCall({ grant_type: 'refresh_token', refresh_token: a.body.refresh_token ?? '' })).body.error,
    ).toBe('invalid_grant')
    const b = await connect()
    expect(mock.revokeGrants({ clientId: 'app' })).toBeGreaterThan(0)
    expect(
      (await tokenCall({ grant_type: 'refresh_token', refresh_token: b.body.refresh_token ?? '' })).body.error,
    ).toBe('invalid_grant')
    const me = await fetch(mock.userinfoUrl, { headers: { authorization: `Bearer ${b.body.access_token}` } })
    expect(me.status).toBe(401)
  })

  it('injects faults into the next N token calls, then answers normally', async () => {
    const cc = () => tokenCall({ grant_type: 'client_credentials' }, basic('machine', 'machine-secret'))
    mock.fail({ fault: 'server-error' })
    mock.fail({ fault: 'unavailable' })
    mock.fail({ fault: 'malformed' })
    mock.fail({ fault: 'invalid-grant' }, { times: 2 })
    expect((await cc()).status).toBe(500)
    const unavailable = await cc()
    expect(unavailable.status).toBe(503)
    const malformed = await cc()
    expect(malformed.status).toBe(200)
    expect(() => JSON.parse(malformed.text)).toThrow()
    expect((await cc()).body.error).toBe('invalid_grant')
    expect((await cc()).body.error).toBe('invalid_grant')
    mock.fail({ fault: 'slow', delayMs: 300 })
    const started = Date.now()
    expect((await cc()).status).toBe(200)
    expect(Date.now() - started).toBeGreaterThanOrEqual(290)
    expect((await cc()).status).toBe(200)
  })

  it('configures the token lifetime', async () => {
    mock.setAccessTokenTtl(2)
    const res = await tokenCall({ grant_type: 'client_credentials' }, basic('machine', 'machine-secret'))
    expect(res.body.expires_in).toBe(2)
    mock.setAccessTokenTtl(3600)
  })

  it('counts requests and never logs secrets, codes or tokens', async () => {
    const before = mock.count('token', 'refresh_token')
    const { body } = await connect()
    await tokenCall({ grant_type: 'refresh_token', refresh_token: body.refresh_token ?? '' })
    expect(mock.count('token', 'refresh_token')).toBe(before + 1)
    expect(mock.count('authorize')).toBeGreaterThan(0)
    const logged = JSON.stringify(mock.requests)
    for (const secret of ['app-secret', 'machine-secret', 'mock_at_', 'mock_rt_', 'mock_code_', 'assertion'])
      expect(logged).not.toContain(secret)
  })
})
