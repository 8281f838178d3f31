/**
 * `pnpm mock-services`: the outside services of the connectors, offline, for `pnpm dev` and `pnpm start`
 * on a machine with no real accounts — as the mock LLM is for models. An OAuth provider with a consent page
 * (4011), Google's Search Console and GA4 APIs accepting its tokens (4012), a webhook receiver (4013), the
 * social platforms' APIs — X, LinkedIn, Facebook, Instagram, Bluesky, Mastodon — (4014) and an SMTP server
 * that keeps every email (4025). Each one received is printed, so a newcomer sees a "reconnect" email, a
 * signed webhook or a published post arrive. Ports: MOCK_OAUTH_PORT, MOCK_GOOGLE_PORT, MOCK_WEBHOOKS_PORT,
 * MOCK_SOCIAL_PORT, MOCK_SMTP_PORT; PORTAL_URL names the consent's redirect (`<portal>/oauth/callback`).
 */
import {
  startMockGoogleApis,
  startMockOAuthProvider,
  startSmtpCapture,
  startWebhookReceiver,
  tokensAcceptedBy,
} from '@bizosaas/plugin-connectors/testing'
import {
  DEFAULT_MOCK_SERVICES_PORTS,
  DEV_OAUTH_CLIENTS,
  type MockServicesPorts,
} from '@bizosaas/plugin-connectors/testing/mock-services'
import { startMockSocialApis } from '@bizosaas/plugin-social/testing'
import { DEV_SOCIAL_CREDENTIALS, DEV_SOCIAL_OAUTH_CLIENTS } from '@bizosaas/plugin-social/testing/mock-services'

const port = (name: string, fallback: number) => Number(process.env[name] ?? fallback)
const ports: MockServicesPorts = {
  oauth: port('MOCK_OAUTH_PORT', DEFAULT_MOCK_SERVICES_PORTS.oauth),
  google: port('MOCK_GOOGLE_PORT', DEFAULT_MOCK_SERVICES_PORTS.google),
  webhooks: port('MOCK_WEBHOOKS_PORT', DEFAULT_MOCK_SERVICES_PORTS.webhooks),
  social: port('MOCK_SOCIAL_PORT', DEFAULT_MOCK_SERVICES_PORTS.social),
  smtp: port('MOCK_SMTP_PORT', DEFAULT_MOCK_SERVICES_PORTS.smtp),
}
const portal = (process.env.PORTAL_URL ?? 'http://localhost:3002').replace(/\/+$/, '')
const oauth = await startMockOAuthProvider({
  port: ports.oauth,
  clients: [...DEV_OAUTH_CLIENTS, ...DEV_SOCIAL_OAUTH_CLIENTS].map((app) => ({
    clientId: app.clientId,
    clientSecret: app.clientSecret,
    redirectUris: [`${portal}/oauth/callback`],
  })),
  account: { sub: 'dev-google-account', email: 'owner@bizoholic.dev', name: 'Demo Google account' },
})
const google = await startMockGoogleApis({ port: ports.google, validToken: tokensAcceptedBy(oauth.userinfoUrl) })
const webhooks = await startWebhookReceiver({ port: ports.webhooks })
// X, LinkedIn and Facebook accept the provider's tokens; Mastodon its fixed dev token; Bluesky its app password.
const social = await startMockSocialApis({
  port: ports.social,
  validToken: tokensAcceptedBy(oauth.userinfoUrl),
  tokens: [DEV_SOCIAL_CREDENTIALS.mastodon.accessToken],
})
const smtp = await startSmtpCapture({ port: ports.smtp })
const out = (line: string) => process.stdout.write(`${line}\n`)
out(
  `mock OAuth provider on ${oauth.url} (consent page; apps ${[...DEV_OAUTH_CLIENTS, ...DEV_SOCIAL_OAUTH_CLIENTS].map((a) => a.clientId).join(', ')})`,
)
out(`mock Google APIs (Search Console, GA4) on ${google.url}`)
out(
  `mock social APIs (X, LinkedIn, Facebook, Instagram, Bluesky, Mastodon) on ${social.url} (Mastodon token ${DEV_SOCIAL_CREDENTIALS.mastodon.accessToken}; Bluesky ${DEV_SOCIAL_CREDENTIALS.bluesky.identifier} / ${DEV_SOCIAL_CREDENTIALS.bluesky.appPassword})`,
)
out(`webhook receiver on ${webhooks.url} (register it as a webhook endpoint; deliveries are printed here)`)
out(`SMTP capture on ${smtp.url} (every email is printed here)`)
// Print what arrives, as it arrives.
let mails = 0
let hooks = 0
let posted = 0
const tick = setInterval(() => {
  for (; mails < smtp.messages.length; mails++) {
    const m = smtp.messages[mails]!
    out(`mail → ${m.envelope.to.join(', ')}: ${m.subject ?? '(no subject)'}`)
  }
  for (; hooks < webhooks.received.length; hooks++) {
    const h = webhooks.received[hooks]!
    out(`webhook ${h.id ?? ''} answered ${h.status}: ${h.body.slice(0, 160)}`)
  }
  for (; posted < social.posts.length; posted++) {
    const p = social.posts[posted]!
    out(`${p.platform} post ${p.id} as ${p.author}: ${p.text.slice(0, 120).replaceAll('\n', ' ')}`)
  }
}, 500)
const stop = async (signal: string) => {
  out(`mock services: ${signal}, closing`)
  clearInterval(tick)
  await Promise.allSettled([oauth.close(), google.close(), webhooks.close(), social.close(), smtp.close()])
  process.exit(0)
}
process.once('SIGINT', () => void stop('SIGINT'))
process.once('SIGTERM', () => void stop('SIGTERM'))
