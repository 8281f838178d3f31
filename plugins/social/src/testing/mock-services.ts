/**
 * The social side of `pnpm mock-services`: the fixed Mastodon token and Bluesky app password its mocks
 * accept (the dev seed connects with them). Its OAuth apps and the CMS settings that point the social
 * connectors at the mocks are in `@bizosaas/plugin-connectors/testing/mock-services`.
 */
import { MOCK_BLUESKY_ACCOUNT } from './mock-bluesky.ts'

/**
 * What a tenant enters to connect Mastodon and Bluesky in dev (placeholders, not secrets). The server
 * addresses are public names, as the connectors require; `pnpm dev` points both connectors at the mock
 * (`CONNECTOR_MASTODON_URL_INSTANCE`, `CONNECTOR_BLUESKY_URL_SERVICE`), as it does Google's.
 */
export const DEV_SOCIAL_CREDENTIALS = Object.freeze({
  mastodon: Object.freeze({ instanceUrl: 'https://mastodon.social', accessToken: 'dev-mastodon-access-token' }),
  bluesky: Object.freeze({
    identifier: MOCK_BLUESKY_ACCOUNT.handle,
    appPassword: MOCK_BLUESKY_ACCOUNT.appPassword,
    service: 'https://bsky.social',
  }),
})
