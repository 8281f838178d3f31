/**
 * LinkedIn, Facebook and Instagram through the connectors runtime itself: a real CMS with the social
 * connectors registered and pointed at the mocks by the environment overrides of
 * `startMockSocialApis()`, connections saved sealed, clients from `connectionClient`. An expired LinkedIn
 * token is refreshed once by the runtime (client secret in the form, as LinkedIn takes it) and the post
 * made once; one Facebook connection posts to a Page and to its Instagram account; a revoked Facebook
 * grant ends as needs-reconnect on the connection with nothing posted.
 */
import { createHash, randomBytes } from 'node:crypto'
import { seed } from '@bizosaas/cms/seed'
import { startTestCms, type TestCms } from '@bizosaas/cms/test'
import { builtinConnectors, connectionClient, saveConnection, testConnection } from '@bizosaas/plugin-connectors'
import { type MockOAuthProvider, startMockOAuthProvider } from '@bizosaas/plugin-connectors/testing'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { FACEBOOK_SCOPES, type FacebookClient } from '../connectors/facebook.ts'
import { LINKEDIN_SCOPES, type LinkedInClient } from '../connectors/linkedin.ts'
import { jpeg, publishInput } from '../test/publish-fixtures.ts'
import { type MockSocialApis, startMockSocialApis } from '../testing/index.ts'
import { PublishError, type SocialTarget } from './define.ts'
import { facebookPlatform } from './facebook.ts'
import { socialConnectors } from './index.ts'
import { instagramPlatform } from './instagram.ts'
import { linkedinPlatform } from './linkedin.ts'

process.env.VAULT_KEYS = `k1:${randomBytes(32).toString('base64')}`

const REDIRECT = 'http://127.0.0.1:9/oauth/callback'
const LINKEDIN_APP = { clientId: 'linkedin-platform-app', clientSecret: 'linkedin-platform-secret-0123456789' }
const FACEBOOK_APP = { clientId: 'facebook-platform-app', clientSecret: 'facebook-platform-secret-0123456789' }

let cms: TestCms
let oauth: MockOAuthProvider
let apis: MockSocialApis
let tenant: number
const envSet: string[] = []

/** The consent a tenant admin gives through the portal (PKCE, Allow, code exchange). */
async function consentTokens(app: { clientId: string; clientSecret: string }, scope: string) {
  const verifier = randomBytes(32).toString('base64url')
  const url = new URL(oauth.authorizationUrl)
  url.search = new URLSearchParams({
    client_id: app.clientId,
    redirect_uri: REDIRECT,
    response_type: 'code',
    scope,
    state: 's',
    code_challenge: createHash('sha256').update(verifier).digest('base64url'),
    code_challenge_method: 'S256',
  }).toString()
  const code = (await oauth.consent(url.toString())).searchParams.get('code') as string
  const res = await fetch(oauth.tokenUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'authorization_code',
      code,
      redirect_uri: REDIRECT,
      code_verifier: verifier,
      client_id: app.clientId,
      client_secret: app.clientSecret,
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
  oauth = await startMockOAuthProvider({
    clients: [
      { ...LINKEDIN_APP, redirectUris: [REDIRECT] },
      { ...FACEBOOK_APP, redirectUris: [REDIRECT] },
    ],
  })
  apis = await startMockSocialApis({ oauth })
  // The deployment's way: environment variables, read by the CMS config.
  const env = {
    ...apis.overrides(),
    CONNECTOR_LINKEDIN_CLIENT_ID: LINKEDIN_APP.clientId,
    CONNECTOR_LINKEDIN_CLIENT_SECRET: LINKEDIN_APP.clientSecret,
    CONNECTOR_FACEBOOK_CLIENT_ID: FACEBOOK_APP.clientId,
    CONNECTOR_FACEBOOK_CLIENT_SECRET: FACEBOOK_APP.clientSecret,
  }
  for (const [name, value] of Object.entries(env)) {
    process.env[name] = value
    envSet.push(name)
  }
  cms = await startTestCms('social_linkedin_meta', {
    connectors: { connectors: [...builtinConnectors, ...socialConnectors], notify: async () => {} },
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

const connectionStatus = async (connector: string) =>
  (
    (await cms.payload.find({
      collection: 'connections' as never,
      where: { tenant: { equals: tenant }, connector: { equals: connector } } as never,
      overrideAccess: true,
    })) as unknown as { docs: { status: string }[] }
  ).docs[0]?.status

describe('LinkedIn, Facebook and Instagram through stored connections', () => {
  it('LinkedIn: posts as an organisation; an expired token is refreshed once by the runtime and the post made once', async () => {
    const saved = await saveConnection(cms.payload, {
      tenant,
      connector: 'linkedin',
      tokens: await consentTokens(LINKEDIN_APP, LINKEDIN_SCOPES.join(' ')),
    })
    expect(await testConnection(cms.payload, saved.id)).toMatchObject({
      ok: true,
      message: 'Connected to LinkedIn as Ana Lopez',
    })
    const client = async () =>
      (await connectionClient(cms.payload, { tenant, connector: 'linkedin' })) as LinkedInClient
    const targets = await linkedinPlatform.targets(await client())
    const organization = targets.find((t) => t.type === 'organization') as SocialTarget
    const before = apis.creates('linkedin')
    const refreshes = oauth.count('token', 'refresh_token')

    oauth.expireAccessTokens()
    const ref = await linkedinPlatform.publish(
      await client(),
      publishInput(organization, { text: 'After the token expired', media: [jpeg('team.jpg', 'The team')] }),
    )
    expect(apis.findPost('linkedin', ref.postId)).toMatchObject({ author: organization.id })
    expect(apis.creates('linkedin')).toBe(before + 1)
    expect(oauth.count('token', 'refresh_token')).toBe(refreshes + 1)
  })

  it('Facebook: one connection posts to a Page and to the Instagram account linked to it', async () => {
    const saved = await saveConnection(cms.payload, {
      tenant,
      connector: 'facebook',
      tokens: await consentTokens(FACEBOOK_APP, FACEBOOK_SCOPES.join(',')),
    })
    expect(await testConnection(cms.payload, saved.id)).toMatchObject({
      ok: true,
      message: 'Connected to Facebook as Ana Lopez',
    })
    const client = (await connectionClient(cms.payload, { tenant, connector: 'facebook' })) as FacebookClient
    const [page] = (await facebookPlatform.targets(client)) as [SocialTarget]
    const [account] = (await instagramPlatform.targets(client)) as [SocialTarget]
    const fb = await facebookPlatform.publish(client, publishInput(page, { text: 'On the Page' }))
    const ig = await instagramPlatform.publish(
      client,
      publishInput(account, { text: 'On Instagram', media: [jpeg('shop.jpg', 'The shop front')] }),
    )
    expect(apis.findPost('facebook', fb.postId)?.text).toBe('On the Page')
    expect(apis.findPost('instagram', ig.postId)?.text).toBe('On Instagram')
    expect(apis.creates('facebook')).toBe(1)
    expect(apis.creates('instagram')).toBe(1)
  })

  it('Facebook: a revoked grant is needs-reconnect, the connection says so, and nothing is posted', async () => {
    const client = (await connectionClient(cms.payload, { tenant, connector: 'facebook' })) as FacebookClient
    const page: SocialTarget = { id: apis.graph.pages[0]?.id as string, type: 'page', name: 'Bizoholic' }
    const before = apis.creates('facebook')
    oauth.revokeGrants({ clientId: FACEBOOK_APP.clientId })
    const error = await facebookPlatform.publish(client, publishInput(page, { text: 'Nobody will see this' })).then(
      () => undefined,
      (e: unknown) => e,
    )
    expect(error).toBeInstanceOf(PublishError)
    expect((error as PublishError).kind).toBe('needs-reconnect')
    expect(apis.creates('facebook')).toBe(before)
    expect(await connectionStatus('facebook')).toBe('needs-reconnect')
    expect(await connectionStatus('linkedin')).toBe('connected')
  })
})
