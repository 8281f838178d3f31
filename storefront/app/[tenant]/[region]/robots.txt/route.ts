import { getTenant, tenantOrigin } from '@lib/data/tenants'

// Per request (the host names the tenant); the data under it comes from the tagged cache.
export const dynamic = 'force-dynamic'

export async function GET(_request: Request, { params }: { params: Promise<{ tenant: string }> }) {
  const tenant = await getTenant((await params).tenant)
  if (!tenant) return new Response('Not found', { status: 404 })
  const body = `User-agent: *\nAllow: /\nDisallow: /cart\nDisallow: /checkout\nDisallow: /account\nDisallow: /order/\nDisallow: /search\n\nSitemap: ${tenantOrigin(tenant)}/sitemap.xml\n`
  return new Response(body, { headers: { 'content-type': 'text/plain; charset=utf-8' } })
}
