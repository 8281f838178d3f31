/**
 * `startMockSocialApis`: the overrides it hands a deployment name every social connector's URLs in the
 * CONNECTOR_<ID>_… form, and the mocks behave like the platforms where exactly-once depends on it
 * (Mastodon's Idempotency-Key, Bluesky's repeated record key, tokens checked).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { socialConnectors } from '../platforms/index.ts'
import { MOCK_BLUESKY_ACCOUNT, type MockSocialApis, startMockSocialApis } from './index.ts'

let apis: MockSocialApis
const oauth = {
  authorizationUrl: 'http://127.0.0.1:9/authorize',
  tokenUrl: 'http://127.0.0.1:9/token',
  revocationUrl: 'http://127.0.0.1:9/revoke',
  userinfoUrl: 'http://127.0.0.1:9/me',
}

beforeAll(async () => {
  apis = await startMockSocialApis({ oauth, validToken: () => false })
})
afterAll(async () => {
  await apis?.close()
})

describe('startMockSocialApis', () => {
  it('gives environment overrides for every social connector, OAuth endpoints for the OAuth ones', () => {
    const env = apis.overrides()
    expect(env).toMatchObject({
      CONNECTOR_X_URL_API: `${apis.url}/x`,
      CONNECTOR_X_AUTHORIZATION_URL: oauth.authorizationUrl,
      CONNECTOR_X_TOKEN_URL: oauth.tokenUrl,
      CONNECTOR_X_REVOCATION_URL: oauth.revocationUrl,
      CONNECTOR_BLUESKY_URL_SERVICE: apis.url,
      CONNECTOR_MASTODON_URL_INSTANCE: apis.url,
    })
    expect(env.CONNECTOR_BLUESKY_TOKEN_URL).toBeUndefined()
    for (const connector of socialConnectors)
      expect(Object.keys(env).some((name) => name.startsWith(`CONNECTOR_${connector.id.toUpperCase()}_URL_`))).toBe(
        true,
      )
  })

  it('Mastodon: the same Idempotency-Key returns the first status instead of making a second', async () => {
    const token = apis.issueToken()
    const post = (key: string) =>
      fetch(`${apis.url}/api/v1/statuses`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', 'idempotency-key': key },
        body: JSON.stringify({ status: 'Exactly once' }),
      }).then(async (res) => ({ status: res.status, body: (await res.json()) as { id: string } }))
    const before = apis.creates('mastodon')
    const first = await post('key-1')
    const second = await post('key-1')
    expect(first.status).toBe(200)
    expect(second.body.id).toBe(first.body.id)
    expect(apis.creates('mastodon')).toBe(before + 1)
    expect((await post('key-2')).body.id).not.toBe(first.body.id)
    expect(apis.creates('mastodon')).toBe(before + 2)
  })

  it('refuses requests without a token it accepts', async () => {
    expect((await fetch(`${apis.url}/x/2/users/me`)).status).toBe(401)
    expect((await fetch(`${apis.url}/api/v1/accounts/verify_credentials`)).status).toBe(401)
    const res = await fetch(`${apis.url}/xrpc/app.bsky.actor.getProfile?actor=${MOCK_BLUESKY_ACCOUNT.did}`, {
      headers: { authorization: 'Bearer not-issued' },
    })
    expect(res.status).toBe(401)
  })
})
