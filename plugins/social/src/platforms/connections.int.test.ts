/**
 * The platforms through the connectors runtime itself: a real CMS (Payload on its own PostgreSQL) with
 * the social connectors registered and pointed at the mocks by the environment overrides
 * `startMockSocialApis().overrides()` gives, connections saved sealed in the vault, and clients from
 * `connectionClient`. An expired X token is refreshed once by the runtime (advisory lock, rotated
 * refresh token stored) and the post made once; a revoked grant ends as needs-reconnect on the
 * connection; Bluesky and Mastodon post with stored credentials and de-duplicate a re-send.
 */
import { createHash, randomBytes } from 'node:crypto'
import { seed } from '@bizosaas/cms/seed'
import { startTestCms, type TestCms } from '@bizosaas/cms/test'
import {
  builtinConnectors,
  connectionClient,
  type ReconnectNotice,
  saveConnection,
  testConnection,
} from '@bizosaas/plugin-connectors'
import { type MockOAuthProvider, startMockOAuthProvider } from '@bizosaas/plugin-connectors/testing'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  MOCK_BLUESKY_ACCOUNT,
  type MockSocialApis,
  publishFailure,
  startMockSocialApis,
  testPublishInput,
} from '../testing/index.ts'
import { blueskyPlatform } from './bluesky.ts'
import type { SocialTarget } from './define.ts'
import { socialConnectors } from './index.ts'
import { mastodonPlatform } from './mastodon.ts'
import { xPlatform } from './x.ts'

process.env.VAULT_KEYS = `k1:${randomBytes(32).toString('base64')}`

const REDIRECT = 'http://127.0.0.1:9/oauth/callback'
const X_APP = { clientId: 'x-platform-app', clientSecret: 'x-platform-secret-0123456789' }

let cms: TestCms
let oauth: MockOAuthProvider
let apis: MockSocialApis
let tenant: number
const notices: ReconnectNotice[] = []
const envSet: string[] = []

/** The consent a tenant admin gives through the portal (PKCE, Allow, code exchange). */
async function consentTokens() {
  const verifier = randomBytes(32).toString('base64url')
  const url = new URL(oauth.authorizationUrl)
  url.search = new URLSearchParams({
    client_id: X_APP.clientId,
    redirect_uri: REDIRECT,
    response_type: 'code',
    scope: 'tweet.read tweet.write users.read offline.access media.write',
    state: 's',
    code_challenge: createHash('sha256').update(verifier).digest('base64url'),
    code_challenge_method: 'S256',
  }).toString()
  const code = (await oauth.consent(url.toString())).searchParams.get('code') as string
  const res = await fetch(oauth.tokenUrl, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      authorization: `Basic ${Buffer.from(`${X_APP.clientId}:${X_APP.clientSecret}`).toString('base64')}`,
    },
    body: new URLSearchParams({
      grant_type: 'authorization_code',
      code,
      redirect_uri: REDIRECT,
      code_verifier: verifier,
    }),
  })
  const body = (await res.json()) as { access_token: string; refresh_token: string; expires_in: number; scope: string }
  return {
    accessToken: body.access_token,
    refreshToken: body.refresh_token,
    expiresAt: new Date(Date.now() + body.expires_in * 1000).toISOString(),
    scope: body.scope,
  }
}

beforeAll(async () => {
  oauth = await startMockOAuthProvider({ clients: [{ ...X_APP, redirectUris: [REDIRECT] }] })
  apis = await startMockSocialApis({ oauth })
  // The deployment's way: environment variables, read by the CMS config.
  const env = {
    ...apis.overrides(),
    CONNECTOR_X_CLIENT_ID: X_APP.clientId,
    CONNECTOR_X_CLIENT_SECRET: X_APP.clientSecret,
  }
  for (const [name, value] of Object.entries(env)) {
    process.env[name] = value
    envSet.push(name)
  }
  cms = await startTestCms('social_platforms', {
    connectors: {
      connectors: [...builtinConnectors, ...socialConnectors],
      notify: async (_payload, notice) => {
        notices.push(notice)
      },
    },
  })
  await seed(cms.payload)
  tenant = (await cms.payload.find({ collection: 'tenants', where: { slug: { equals: 'bizoholic' } } })).docs[0]
    ?.id as number
})

afterAll(async () => {
  for (const name of envSet) delete process.env[name]
  await cms?.close()
  await apis?.close()
  await oauth?.close()
})

describe('social platforms through stored connections', () => {
  it('X: posts with the stored token; an expired one is refreshed once by the runtime and the post made once', async () => {
    const saved = await saveConnection(cms.payload, { tenant, connector: 'x', tokens: await consentTokens() })
    expect(await testConnection(cms.payload, saved.id)).toMatchObject({
      ok: true,
      message: 'Connected to X as @bizosaas_mock',
    })
    const client = () => connectionClient(cms.payload, { tenant, connector: 'x' })
    const [target] = (await xPlatform.targets(await client())) as [SocialTarget]
    const before = apis.creates('x')
    await xPlatform.publish(await client(), testPublishInput(target, 'Hello from a stored connection'))

    oauth.expireAccessTokens()
    const ref = await xPlatform.publish(await client(), testPublishInput(target, 'After the token expired'))
    expect(apis.findPost('x', ref.postId)?.text).toBe('After the token expired')
    expect(apis.creates('x')).toBe(before + 2)
    expect(oauth.count('token', 'refresh_token')).toBe(1)

    // The rotated tokens were stored: the next client uses them without refreshing again.
    await xPlatform.publish(await client(), testPublishInput(target, 'With the stored new token'))
    expect(oauth.count('token', 'refresh_token')).toBe(1)
    expect(apis.creates('x')).toBe(before + 3)
  })

  it('X: a revoked grant is needs-reconnect, the connection says so, and nothing is posted', async () => {
    const client = await connectionClient(cms.payload, { tenant, connector: 'x' })
    const [target] = (await xPlatform.targets(client)) as [SocialTarget]
    const before = apis.creates('x')
    oauth.revokeGrants()
    const error = await publishFailure(xPlatform.publish(client, testPublishInput(target, 'Nobody will see this')))
    expect(error.kind).toBe('needs-reconnect')
    expect(apis.creates('x')).toBe(before)
    const row = (await cms.payload.find({
      collection: 'connections' as never,
      where: { tenant: { equals: tenant }, connector: { equals: 'x' } } as never,
      overrideAccess: true,
    })) as unknown as { docs: { status: string }[] }
    expect(row.docs[0]?.status).toBe('needs-reconnect')
    expect(notices.filter((n) => n.connection.connector === 'x')).toHaveLength(1)
  })

  it('Bluesky and Mastodon: post with stored credentials, and a re-send with the same key posts nothing new', async () => {
    const bluesky = await saveConnection(cms.payload, {
      tenant,
      connector: 'bluesky',
      credentials: { identifier: MOCK_BLUESKY_ACCOUNT.handle, appPassword: MOCK_BLUESKY_ACCOUNT.appPassword },
    })
    const mastodon = await saveConnection(cms.payload, {
      tenant,
      connector: 'mastodon',
      credentials: { instanceUrl: 'https://mastodon.example', accessToken: apis.issueToken() },
    })
    expect(await testConnection(cms.payload, bluesky.id)).toMatchObject({ ok: true })
    expect(await testConnection(cms.payload, mastodon.id)).toMatchObject({ ok: true })

    for (const [id, platform] of [
      ['bluesky', blueskyPlatform],
      ['mastodon', mastodonPlatform],
    ] as const) {
      const client = await connectionClient(cms.payload, { tenant, connector: id })
      const [target] = (await platform.targets(client as never)) as [SocialTarget]
      const input = testPublishInput(target, `Once on ${id}`, { thread: ['and its second part'] })
      const before = apis.creates(id)
      const ref = await platform.publish(client as never, input)
      expect(apis.creates(id)).toBe(before + 2)
      const again = await platform.publish(
        (await connectionClient(cms.payload, { tenant, connector: id })) as never,
        input,
      )
      expect(again).toEqual(ref)
      expect(apis.creates(id)).toBe(before + 2)
    }
  })
})
