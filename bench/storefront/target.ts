/**
 * What the storefront benches measure against a running stack (`pnpm dev`, or `pnpm start`): the
 * tenant's first domain and publishable key from Payload, and a product handle from Medusa.
 */

export interface BenchTarget {
  cmsUrl: string
  cmsApiKey: string
  medusaUrl: string
  /** The tenant's first domain, sent as Host (Chromium resolves `*.localhost` to loopback). */
  host: string
  publishableKey: string
  handle: string
}

export async function benchTarget(): Promise<BenchTarget> {
  const tenantSlug = process.env.BENCH_TENANT ?? 'coreldove'
  const cmsUrl = process.env.CMS_URL ?? 'http://localhost:3001'
  const medusaUrl = (process.env.MEDUSA_URL ?? 'http://localhost:9000').replace('localhost', '127.0.0.1')
  const cmsApiKey = process.env.CMS_API_KEY
  if (!cmsApiKey)
    throw new Error('Set CMS_API_KEY to a Payload users API key that reads the tenants (see storefront/README.md)')
  const tenants = (await fetch(`${cmsUrl}/api/tenants?limit=100&depth=0`, {
    headers: { authorization: `users API-Key ${cmsApiKey}` },
  }).then((r) => r.json())) as {
    docs: { slug: string; domains?: { domain: string }[]; commerce?: { publishableKey?: string } }[]
  }
  const tenant = tenants.docs.find((t) => t.slug === tenantSlug)
  const host = tenant?.domains?.[0]?.domain
  const publishableKey = tenant?.commerce?.publishableKey
  if (!tenant || !host || !publishableKey)
    throw new Error(
      `Tenant ${tenantSlug} needs a domain and a publishable key in Payload (is pnpm dev running and seeded?)`,
    )
  const products = (await fetch(`${medusaUrl}/store/products?limit=1&fields=handle`, {
    headers: { 'x-publishable-api-key': publishableKey },
  }).then((r) => r.json())) as { products: { handle: string }[] }
  const handle = products.products[0]?.handle
  if (!handle) throw new Error(`Medusa has no product for ${tenantSlug}'s publishable key`)
  return { cmsUrl, cmsApiKey, medusaUrl, host, publishableKey, handle }
}
