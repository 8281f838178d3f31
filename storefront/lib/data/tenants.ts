/**
 * Tenants as the storefront sees them: host names, brand and the Medusa link, from Payload's
 * `tenants` collection. Pages read them through the data cache (tag `tenants`); the proxy keeps its
 * own short-lived host table in memory because it runs before any page cache.
 */
import { z } from 'zod'
import { cmsGet } from './cms'

const hexColour = z.string().regex(/^#(?:[0-9a-fA-F]{3}){1,2}$/)

const mediaSchema = z
  .object({
    url: z.string().nullish(),
    alt: z.string().nullish(),
    width: z.number().nullish(),
    height: z.number().nullish(),
  })
  .passthrough()

export const tenantSchema = z.object({
  id: z.union([z.number(), z.string()]),
  name: z.string(),
  slug: z.string(),
  domains: z
    .array(z.object({ domain: z.string() }))
    .nullish()
    .transform((rows) => (rows ?? []).map((r) => r.domain.toLowerCase())),
  brand: z
    .object({
      logo: z.union([mediaSchema, z.number(), z.string()]).nullish(),
      primaryColor: hexColour.nullish(),
      accentColor: hexColour.nullish(),
    })
    .nullish(),
  commerce: z
    .object({
      enabled: z.boolean().nullish(),
      salesChannelId: z.string().nullish(),
      publishableKey: z.string().nullish(),
    })
    .nullish(),
})

export type Tenant = z.output<typeof tenantSchema>

const listSchema = z.object({ docs: z.array(tenantSchema) })

const TENANTS_QUERY = '/tenants?limit=500&depth=1&sort=slug'

/** Every tenant (cached; tag `tenants`). */
export async function listTenants(): Promise<Tenant[]> {
  return (await cmsGet(TENANTS_QUERY, listSchema, { tags: ['tenants'], revalidate: 300 })).docs
}

/** The tenant with `slug`, or null (cached). */
export async function getTenant(slug: string): Promise<Tenant | null> {
  return (await listTenants()).find((t) => t.slug === slug) ?? null
}

export interface TenantShop {
  publishableKey: string
  salesChannelId: string | null
  /** In a server action: the request's `x-request-id`, sent on every call to Medusa (never on cached reads). */
  requestId?: string
}

/** The tenant's Medusa link, or null when it has no shop. */
export function shopOf(tenant: Tenant): TenantShop | null {
  const key = tenant.commerce?.publishableKey
  return key ? { publishableKey: key, salesChannelId: tenant.commerce?.salesChannelId ?? null } : null
}

/**
 * The tenant's public origin, for canonical URLs, Open Graph and the sitemap: its first domain (https;
 * plain http for `*.localhost` development domains), else `http://<slug>.localhost`. Derived from the
 * tenant rather than the request, so pages do not depend on request headers and can be cached, and a
 * shop reached through an alias still names one canonical address.
 */
export function tenantOrigin(tenant: Pick<Tenant, 'slug' | 'domains'>): string {
  const domain = tenant.domains[0] ?? `${tenant.slug}.localhost`
  const hostname = domain.replace(/:\d+$/, '')
  const local = hostname === 'localhost' || hostname.endsWith('.localhost') || hostname === '127.0.0.1'
  return `${local ? 'http' : 'https'}://${domain}`
}

export interface HostTable {
  /** host (lower case, with or without port) → tenant slug */
  byDomain: Map<string, string>
  slugs: Set<string>
}

export function hostTable(tenants: Pick<Tenant, 'slug' | 'domains'>[]): HostTable {
  const byDomain = new Map<string, string>()
  for (const t of tenants) for (const d of t.domains) byDomain.set(d, t.slug)
  return { byDomain, slugs: new Set(tenants.map((t) => t.slug)) }
}

const DEV_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]'])

export interface TenantRequest {
  /** The Host header, e.g. `shop.example.com` or `coreldove.localhost:3000`. */
  host: string
  /** `?tenant=` on the request. */
  queryTenant?: string | null
  /** The remembered `tenant` cookie. */
  cookieTenant?: string | null
}

/**
 * Which tenant a request is for: a configured domain (with its port, then without) wins; only on
 * development hosts (`localhost`, `127.0.0.1`, `<slug>.localhost`) may `?tenant=`, then the
 * `<slug>.localhost` sub-domain, then the remembered cookie choose. Anything else is no tenant (a 404), never a default shop.
 */
export function resolveTenantSlug(table: HostTable, request: TenantRequest): string | null {
  const host = request.host.trim().toLowerCase()
  const hostname = host.replace(/:\d+$/, '')
  const configured = table.byDomain.get(host) ?? table.byDomain.get(hostname)
  if (configured) return configured
  const isDevHost = DEV_HOSTS.has(hostname) || hostname.endsWith('.localhost')
  if (!isDevHost) return null
  if (request.queryTenant && table.slugs.has(request.queryTenant)) return request.queryTenant
  if (hostname.endsWith('.localhost')) {
    const sub = hostname.slice(0, -'.localhost'.length)
    if (table.slugs.has(sub)) return sub
  }
  if (request.cookieTenant && table.slugs.has(request.cookieTenant)) return request.cookieTenant
  return null
}

/** A shop page's tenant and its Medusa shop (`shopContext` in context.ts resolves it from the route). */
export interface ShopContext {
  tenant: Tenant
  shop: TenantShop
}
