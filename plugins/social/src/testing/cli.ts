/**
 * `pnpm --filter @bizosaas/plugin-social mock-social`: the social platforms offline, for a CMS and portal
 * run by hand or by e2e suites — a mock OAuth provider (consent page) with one app per OAuth connector,
 * and the mock X, LinkedIn, Facebook/Instagram, Bluesky and Mastodon APIs accepting its tokens. Prints
 * the environment that points the CMS at them (`KEY=value` lines), then each post as it is made.
 * Ports: MOCK_SOCIAL_OAUTH_PORT (default 4015), MOCK_SOCIAL_PORT (4016); PORTAL_URL names the consent's
 * redirect (`<portal>/oauth/callback`).
 */
import { startMockOAuthProvider } from '@bizosaas/plugin-connectors/testing'
import { socialConnectors } from '../platforms/index.ts'
import { startMockSocialApis } from './index.ts'

const port = (name: string, fallback: number) => Number(process.env[name] ?? fallback)
const portal = (process.env.PORTAL_URL ?? 'http://localhost:3002').replace(/\/+$/, '')
const apps = socialConnectors
  .filter((connector) => connector.auth.type === 'oauth2')
  .map((connector) => ({ connector: connector.id, clientId: `dev-${connector.id}`, clientSecret: 'dev-social-secret' }))

const oauth = await startMockOAuthProvider({
  port: port('MOCK_SOCIAL_OAUTH_PORT', 4015),
  clients: apps.map((app) => ({ ...app, redirectUris: [`${portal}/oauth/callback`] })),
  account: { sub: 'dev-social-account', email: 'social@bizoholic.dev', name: 'Demo social account' },
})
const apis = await startMockSocialApis({ port: port('MOCK_SOCIAL_PORT', 4016), oauth })

const out = (line: string) => process.stdout.write(`${line}\n`)
const env: Record<string, string> = { ...apis.overrides() }
for (const app of apps) {
  const prefix = `CONNECTOR_${app.connector.toUpperCase().replaceAll('-', '_')}`
  env[`${prefix}_CLIENT_ID`] = app.clientId
  env[`${prefix}_CLIENT_SECRET`] = app.clientSecret
}
out(`# mock social APIs on ${apis.url}, OAuth provider on ${oauth.url}; give the CMS:`)
for (const [name, value] of Object.entries(env)) out(`${name}=${value}`)
out(`# Bluesky: ${apis.bluesky.account.handle} / app password ${apis.bluesky.account.appPassword}`)
out(`# Mastodon: any server address, access token ${apis.issueToken()}`)

let seen = 0
const tick = setInterval(() => {
  for (; seen < apis.posts.length; seen++) {
    const post = apis.posts[seen]
    if (post) out(`post on ${post.platform} (${post.id}): ${post.text.slice(0, 120)}`)
  }
}, 500)
const stop = async (signal: string) => {
  out(`mock social: ${signal}, closing`)
  clearInterval(tick)
  await Promise.allSettled([apis.close(), oauth.close()])
  process.exit(0)
}
process.once('SIGINT', () => void stop('SIGINT'))
process.once('SIGTERM', () => void stop('SIGTERM'))
