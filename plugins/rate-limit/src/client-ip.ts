/**
 * The client's IP address as far as it can be trusted. Next.js fills X-Forwarded-For with the socket's
 * address only when the request carries none, so a direct client can write any address there: it is
 * read only when proxies are configured (TRUSTED_PROXY_COUNT), and then only the entry the nearest
 * trusted proxy wrote (n-th from the right), which a client cannot forge.
 */
import { isIP } from 'node:net'

/** The client address, or undefined when it cannot be trusted (no proxy configured, header missing or malformed). */
export function clientIp(headers: Pick<Headers, 'get'>, trustedProxyCount: number): string | undefined {
  if (trustedProxyCount < 1) return undefined
  const chain = (headers.get('x-forwarded-for') ?? '')
    .split(',')
    .map((part) => part.trim())
    .filter(Boolean)
  const entry = chain[chain.length - trustedProxyCount]
  if (!entry) return undefined
  const address = normalize(entry)
  return isIP(address) ? address : undefined
}

/** `[::1]:443` → `::1`, `1.2.3.4:80` → `1.2.3.4`, `::ffff:1.2.3.4` → `1.2.3.4`. */
function normalize(entry: string): string {
  let address = entry
  const bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec(address)
  if (bracketed) address = bracketed[1]!
  else if (/^\d+\.\d+\.\d+\.\d+:\d+$/.test(address)) address = address.slice(0, address.lastIndexOf(':'))
  if (address.toLowerCase().startsWith('::ffff:') && isIP(address.slice(7)) === 4) address = address.slice(7)
  return address.toLowerCase()
}
