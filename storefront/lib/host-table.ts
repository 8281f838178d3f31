/**
 * The proxy's host → tenant table and each shop's region ids: read from Payload (and Medusa's store
 * API) at most every TENANT_CACHE_SECONDS, kept in memory, refreshed in the background, and served stale
 * when a service is down (a shop keeps answering through an outage).
 */
import { reportCmsFailure, reportCmsSuccess } from '@lib/cms-health'
import { storefrontEnv } from '@lib/env'
import { z } from 'zod'
import { type HostTable, hostTable } from './data/tenants'

const tenantsSchema = z.object({
  docs: z.array(
    z.object({
      slug: z.string(),
      name: z.string().nullish(),
      brand: z.object({ primaryColor: z.string().nullish() }).nullish(),
      domains: z
        .array(z.object({ domain: z.string() }))
        .nullish()
        .transform((rows) => (rows ?? []).map((r) => r.domain.toLowerCase())),
      commerce: z.object({ publishableKey: z.string().nullish() }).nullish(),
    }),
  ),
})

const regionsSchema = z.object({ regions: z.array(z.object({ id: z.string() })) })

export interface ProxyTable extends HostTable {
  /** tenant slug → ids of its shop's regions (absent: no shop, or Medusa never answered) */
  regions: Map<string, ReadonlySet<string>>
  /** tenant slug → what the proxy's own pages (the 503 of an outage) show of the brand */
  brands: Map<string, TenantBrand>
}

export interface TenantBrand {
  name: string
  primaryColor: string | null
}

interface Entry {
  table: ProxyTable
  at: number
}

// On globalThis: the proxy and the route handlers are bundled separately but share the process, so the
// revalidation endpoint can drop the table the proxy uses.
const store = globalThis as typeof globalThis & { __storefrontHosts?: Entry; __storefrontHostsLoading?: Promise<Entry> }

async function regionIds(publishableKey: string): Promise<ReadonlySet<string>> {
  const res = await fetch(`${storefrontEnv().MEDUSA_URL}/store/regions?fields=id&limit=50`, {
    headers: { accept: 'application/json', 'x-publishable-api-key': publishableKey },
    cache: 'no-store',
    signal: AbortSignal.timeout(3_000),
  })
  if (!res.ok) throw new Error(`Medusa answered ${res.status} for the region list`)
  return new Set(regionsSchema.parse(await res.json()).regions.map((r) => r.id))
}

async function load(): Promise<Entry> {
  const env = storefrontEnv()
  const headers: Record<string, string> = { accept: 'application/json' }
  if (env.CMS_API_KEY) headers.authorization = `users API-Key ${env.CMS_API_KEY}`
  let res: Response
  try {
    res = await fetch(
      `${env.CMS_URL}/api/tenants?limit=500&depth=0&select[slug]=true&select[name]=true&select[brand]=true&select[domains]=true&select[commerce]=true`,
      { headers, cache: 'no-store', signal: AbortSignal.timeout(5_000) },
    )
  } catch (error) {
    reportCmsFailure(`the content service is unreachable (${(error as Error).message})`)
    throw error
  }
  if (!res.ok) {
    reportCmsFailure(`the content service answered ${res.status} for the tenant list`)
    throw new Error(`CMS answered ${res.status} for the tenant list`)
  }
  reportCmsSuccess()
  const tenants = tenantsSchema.parse(await res.json()).docs
  const previous = store.__storefrontHosts?.table.regions
  const regions = new Map<string, ReadonlySet<string>>()
  await Promise.all(
    tenants.map(async (t) => {
      const key = t.commerce?.publishableKey
      if (!key) return
      // Medusa down: keep the ids we knew; a shopper's chosen region survives the outage.
      const ids = await regionIds(key).catch(() => previous?.get(t.slug))
      if (ids) regions.set(t.slug, ids)
    }),
  )
  const brands = new Map(
    tenants.map((t) => [t.slug, { name: t.name || t.slug, primaryColor: t.brand?.primaryColor ?? null }]),
  )
  const entry = { table: { ...hostTable(tenants), regions, brands }, at: Date.now() }
  store.__storefrontHosts = entry
  return entry
}

/**
 * The current table; null only when Payload has never been reachable. An expired table is still
 * answered at once while one background load refreshes it: every request of the proxy waits on this,
 * and a refresh asks Payload and Medusa (seconds under load), so waiting for it would stall every
 * shopper once per TENANT_CACHE_SECONDS (it was the storefront's p99). Only a process with no table yet
 * (first request, or dropped by a revalidation) waits for the load.
 */
export async function currentHostTable(): Promise<ProxyTable | null> {
  const ttl = storefrontEnv().TENANT_CACHE_SECONDS * 1000
  const entry = store.__storefrontHosts
  if (entry && Date.now() - entry.at < ttl) return entry.table
  store.__storefrontHostsLoading ??= load().finally(() => {
    store.__storefrontHostsLoading = undefined
  })
  const loading = store.__storefrontHostsLoading
  if (entry) {
    // load() has reported a failure to lib/cms-health already; the stale table keeps serving.
    loading.catch(() => {})
    return entry.table
  }
  try {
    return (await loading).table
  } catch {
    return null
  }
}

/** Forget the table (a tenant's domains or a shop's regions changed). */
export function dropHostTable(): void {
  store.__storefrontHosts = undefined
}
