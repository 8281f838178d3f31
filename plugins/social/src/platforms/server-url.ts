/**
 * The address of a tenant's own server (a Mastodon instance, a Bluesky PDS), checked when it is entered:
 * the platform calls it from the server, so it must be a public https address by domain name — never a
 * literal IP, localhost or an internal name (a tenant must not make BizOSaaS call its private network).
 * Tests and `pnpm dev` point connectors at local mocks through the deployment's URL overrides instead.
 */
import { isIP } from 'node:net'
import { z } from 'zod'

const INTERNAL_SUFFIXES = ['.localhost', '.local', '.internal', '.lan', '.home', '.corp', '.intranet']

/** Why `value` is not a public server address, or `undefined` when it is one. */
export function serverUrlProblem(value: string): string | undefined {
  let url: URL
  try {
    url = new URL(value)
  } catch {
    return 'Enter the full address, such as https://mastodon.social'
  }
  if (url.protocol !== 'https:') return 'The address must start with https://'
  if (url.username || url.password) return 'Leave user names and passwords out of the address'
  const host = url.hostname.replace(/^\[|\]$/g, '').toLowerCase()
  if (isIP(host)) return 'Enter the server’s domain name, not an IP address'
  if (host === 'localhost' || !host.includes('.') || INTERNAL_SUFFIXES.some((s) => host.endsWith(s)))
    return 'The address must be a public server on the internet'
  return undefined
}

/** A zod field for such an address: trimmed, checked, without a trailing slash. */
export const publicServerUrl = (description: string) =>
  z
    .string()
    .trim()
    .superRefine((value, ctx) => {
      const problem = serverUrlProblem(value)
      if (problem) ctx.addIssue({ code: 'custom', message: problem })
    })
    .transform((value) => value.replace(/\/+$/, ''))
    .describe(description)
