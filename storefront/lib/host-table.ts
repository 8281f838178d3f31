/**
 * The proxy's host → tenant table: read from Payload at most every TENANT_CACHE_SECONDS, kept in
 * memory, and served stale when Payload is down (a shop keeps answering through a CMS outage).
 */
import { storefrontEnv } from '@lib/env'
import { z } from 'zod'
import { type HostTable, hostTable } from './data/tenants'

const schema = z.object({
  docs: z.array(
    z.object({
      slug: z.string(),
      domains: z
        .array(z.object({ domain: z.string() }))
        .nullish()
        .transform((rows) => (rows ?? []).map((r) => r.domain.toLowerCase())),
    }),
  ),
})

interface Entry {
  table: HostTable
  at: number
}

// On globalThis: the proxy and the route handlers are bundled separately but share the process, so the
// revalidation endpoint can drop the table the proxy uses.
const store = globalThis as typeof globalThis & { __storefrontHosts?: Entry; __storefrontHostsLoading?: Promise<Entry> }

async function load(): Promise<Entry> {
  const env = storefrontEnv()
  const headers: Record<string, string> = { accept: 'application/json' }
  if (env.CMS_API_KEY) headers.authorization = `users API-Key ${env.CMS_API_KEY}`
  const res = await fetch(`${env.CMS_URL}/api/tenants?limit=500&depth=0&select[slug]=true&select[domains]=true`, {
    headers,
    cache: 'no-store',
    signal: AbortSignal.timeout(5_000),
  })
  if (!res.ok) throw new Error(`CMS answered ${res.status} for the tenant list`)
  const entry = { table: hostTable(schema.parse(await res.json()).docs), at: Date.now() }
  store.__storefrontHosts = entry
  return entry
}

/** The current host table; null only when Payload has never been reachable. */
export async function currentHostTable(): Promise<HostTable | null> {
  const ttl = storefrontEnv().TENANT_CACHE_SECONDS * 1000
  const entry = store.__storefrontHosts
  if (entry && Date.now() - entry.at < ttl) return entry.table
  store.__storefrontHostsLoading ??= load().finally(() => {
    store.__storefrontHostsLoading = undefined
  })
  try {
    return (await store.__storefrontHostsLoading).table
  } catch {
    return entry?.table ?? null
  }
}

/** Forget the table (a tenant's domains changed). */
export function dropHostTable(): void {
  store.__storefrontHosts = undefined
}
