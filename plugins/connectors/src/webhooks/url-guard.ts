/**
 * SSRF guard for webhook URLs: in production a URL must be https and must not reach a private,
 * loopback, link-local or otherwise non-public address — checked on the address the socket actually
 * connects to (a `lookup` for http.request), so DNS rebinding between check and connect does not help.
 * Hosts in `allowPrivateHosts` (names or CIDRs) are exempt.
 */
import { lookup as dnsLookup, type LookupAddress } from 'node:dns'
import type { LookupFunction } from 'node:net'
import ipaddr from 'ipaddr.js'
import type { ResolvedWebhooksConfig } from './types.ts'

/** A URL the guard refuses; the message says what to change. */
export class WebhookUrlError extends Error {
  override name = 'WebhookUrlError'
}

const LOCAL_NAMES = new Set(['localhost', '127.0.0.1', '::1', '[::1]'])

/** True for an address a public webhook must never reach (anything but global unicast). */
export function isNonPublicAddress(address: string): boolean {
  if (!ipaddr.isValid(address)) return true
  let parsed = ipaddr.parse(address)
  if (parsed.kind() === 'ipv6' && (parsed as ipaddr.IPv6).isIPv4MappedAddress())
    parsed = (parsed as ipaddr.IPv6).toIPv4Address()
  return parsed.range() !== 'unicast'
}

function allowed(config: ResolvedWebhooksConfig, host: string, address?: string): boolean {
  for (const entry of config.allowPrivateHosts) {
    if (entry.toLowerCase() === host.toLowerCase()) return true
    if (address && entry.includes('/') && ipaddr.isValid(address)) {
      try {
        const [range, bits] = ipaddr.parseCIDR(entry)
        const ip = ipaddr.parse(address)
        if (ip.kind() === range.kind() && ip.match([range, bits] as never)) return true
      } catch {
        // not a CIDR: compared as a name above
      }
    }
  }
  return false
}

const bare = (hostname: string) => hostname.replace(/^\[|\]$/g, '')

/**
 * Checks a URL's form when it is saved: http(s), no credentials in it; in production https only and no
 * literal private address or localhost; outside production http only for localhost.
 */
export function checkWebhookUrl(config: ResolvedWebhooksConfig, value: string): URL {
  let url: URL
  try {
    url = new URL(value)
  } catch {
    throw new WebhookUrlError('Enter a full URL like https://example.com/webhooks')
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:')
    throw new WebhookUrlError('A webhook URL starts with https://')
  if (url.username || url.password) throw new WebhookUrlError('Leave user names and passwords out of the URL')
  const host = bare(url.hostname)
  const local = LOCAL_NAMES.has(url.hostname) || (ipaddr.isValid(host) && ipaddr.parse(host).range() === 'loopback')
  if (config.production()) {
    if (url.protocol !== 'https:') throw new WebhookUrlError('Webhook URLs must use https://')
    if (!allowed(config, host) && (local || (ipaddr.isValid(host) && isNonPublicAddress(host))))
      throw new WebhookUrlError('Webhook URLs must point to a public address, not a private or local one')
  } else if (url.protocol === 'http:' && !local) {
    throw new WebhookUrlError('Use https:// (plain http:// is allowed only for localhost outside production)')
  }
  return url
}

/**
 * A `lookup` for http.request that, in production, refuses to connect to a non-public address unless
 * the host is allowed. Literal IPs never reach `lookup`, so `guardLiteral` checks those first.
 */
export function guardedLookup(config: ResolvedWebhooksConfig, host: string): LookupFunction {
  return ((hostname: string, options: object, callback: (...args: unknown[]) => void) => {
    dnsLookup(hostname, { ...options, all: true }, (error, addresses: LookupAddress[]) => {
      if (error) return callback(error)
      if (config.production() && !allowed(config, host)) {
        const bad = addresses.find((a) => isNonPublicAddress(a.address) && !allowed(config, host, a.address))
        if (bad)
          return callback(
            new WebhookUrlError(`${hostname} resolves to a private or local address; webhooks only reach public hosts`),
          )
      }
      const all = (options as { all?: boolean }).all
      if (all) return callback(null, addresses)
      const first = addresses[0]
      if (!first) return callback(new WebhookUrlError(`${hostname} has no address`))
      return callback(null, first.address, first.family)
    })
  }) as LookupFunction
}

/** Refuses a literal non-public IP host in production (these skip DNS, so `guardedLookup` never sees them). */
export function guardLiteral(config: ResolvedWebhooksConfig, url: URL): void {
  const host = bare(url.hostname)
  if (!config.production() || allowed(config, host, host)) return
  if ((ipaddr.isValid(host) && isNonPublicAddress(host)) || host === 'localhost')
    throw new WebhookUrlError(`${host} is a private or local address; webhooks only reach public hosts`)
}
