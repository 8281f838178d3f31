import { listPageSlugs, listPosts } from '@lib/data/content'
import { listProducts } from '@lib/data/products'
import { listRegions } from '@lib/data/regions'
import { getTenant, shopOf, tenantOrigin } from '@lib/data/tenants'

// Per request (the host names the tenant); the data under it comes from the tagged cache.
export const dynamic = 'force-dynamic'

const escapeXml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`)

/** The tenant's pages, posts and products, on its canonical origin. */
export async function GET(_request: Request, { params }: { params: Promise<{ tenant: string }> }) {
  const tenant = await getTenant((await params).tenant)
  if (!tenant) return new Response('Not found', { status: 404 })
  const origin = tenantOrigin(tenant)
  const urls: { loc: string; lastmod?: string | null }[] = [{ loc: '/' }]
  for (const page of await listPageSlugs(tenant))
    if (page.slug !== 'home') urls.push({ loc: `/${page.slug}`, lastmod: page.updatedAt })
  urls.push({ loc: '/blog' })
  for (const post of (await listPosts(tenant)).docs) urls.push({ loc: `/blog/${post.slug}`, lastmod: post.updatedAt })
  const shop = shopOf(tenant)
  if (shop) {
    urls.push({ loc: '/store' })
    const context = { tenant, shop }
    const region = (await listRegions(context))[0]
    if (region) {
      for (let page = 1; page <= 20; page++) {
        const list = await listProducts(context, region.id, { page, sort: 'newest' })
        for (const product of list.products) urls.push({ loc: `/products/${product.handle}` })
        if (page >= list.pages) break
      }
    }
  }
  const body = `<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n${urls
    .map(
      (u) =>
        `  <url><loc>${escapeXml(origin + u.loc)}</loc>${u.lastmod ? `<lastmod>${escapeXml(u.lastmod)}</lastmod>` : ''}</url>`,
    )
    .join('\n')}\n</urlset>\n`
  return new Response(body, { headers: { 'content-type': 'application/xml; charset=utf-8' } })
}
