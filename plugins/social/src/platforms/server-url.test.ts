/** The server addresses a tenant may enter for Mastodon and Bluesky: public https domains only. */
import { describe, expect, it } from 'vitest'
import { blueskyCredentials } from './bluesky.ts'
import { mastodonCredentials } from './mastodon.ts'

const token = 'a-mastodon-access-token-0123456789'

describe('server addresses of Mastodon and Bluesky connections', () => {
  it('takes a public https server, without a trailing slash; Bluesky defaults to bsky.social', () => {
    expect(
      mastodonCredentials.parse({ instanceUrl: ' https://mastodon.social/ ', accessToken: token }).instanceUrl,
    ).toBe('https://mastodon.social')
    expect(blueskyCredentials.parse({ identifier: 'me.bsky.social', appPassword: 'abcd-efgh-ijkl' }).service).toBe(
      'https://bsky.social',
    )
  })

  it.each([
    ['http://mastodon.social', 'The address must start with https://'],
    ['https://127.0.0.1', 'Enter the server’s domain name, not an IP address'],
    ['https://[::1]:8080', 'Enter the server’s domain name, not an IP address'],
    ['https://10.0.0.5', 'Enter the server’s domain name, not an IP address'],
    ['https://localhost:3000', 'The address must be a public server on the internet'],
    ['https://metadata.internal', 'The address must be a public server on the internet'],
    ['https://admin:secret@mastodon.social', 'Leave user names and passwords out of the address'],
    ['mastodon.social', 'Enter the full address, such as https://mastodon.social'],
  ])('refuses %s with a message a person can act on', (instanceUrl, message) => {
    const mastodon = mastodonCredentials.safeParse({ instanceUrl, accessToken: token })
    expect(mastodon.error?.issues[0]?.message).toBe(message)
    const bluesky = blueskyCredentials.safeParse({
      identifier: 'me.bsky.social',
      appPassword: 'abcd-efgh-ijkl',
      service: instanceUrl,
    })
    expect(bluesky.error?.issues[0]?.message).toBe(message)
  })
})
