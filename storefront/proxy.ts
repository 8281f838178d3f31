/**
 * Tenant by host: every shopper request is rewritten to `/<tenant>/<region>/<path>`, so each tenant's
 * (and region's) pages are cached on their own, pages never read cookies (and so can be served from the
 * cache), and a host can never reach another tenant's routes. Unknown hosts get a 404 page.
 */

import { resolveTenantSlug } from '@lib/data/tenants'
import { currentHostTable } from '@lib/host-table'
import { REGION_COOKIE, regionKeyFor } from '@lib/region-key'
import { TENANT_HEADER } from '@lib/tenant-header'
import { type NextRequest, NextResponse } from 'next/server'

const TENANT_COOKIE = 'tenant'

export async function proxy(request: NextRequest) {
  // A path with broken %-escapes cannot be decoded into route params; Next.js would answer 500.
  if (!decodable(request.nextUrl.pathname))
    return page(400, 'Bad address', 'This address has a broken %-escape. Check the link you followed.')
  const table = await currentHostTable()
  if (!table)
    return page(
      503,
      'Shop temporarily unavailable',
      'We could not reach our content service. Please try again in a moment.',
      true,
    )
  const host = request.headers.get('host') ?? ''
  const queryTenant = request.nextUrl.searchParams.get('tenant')
  const slug = resolveTenantSlug(table, {
    host,
    queryTenant,
    cookieTenant: request.cookies.get(TENANT_COOKIE)?.value,
  })
  if (!slug)
    return page(
      404,
      'No shop here',
      `There is no shop at ${escapeHtml(host.replace(/:\d+$/, '') || 'this address')}. Check the address you typed.`,
    )
  const url = request.nextUrl.clone()
  const region = regionKeyFor(table.regions.get(slug), request.cookies.get(REGION_COOKIE)?.value)
  url.pathname = `/${slug}/${region}${request.nextUrl.pathname === '/' ? '' : request.nextUrl.pathname}`
  // Always overwritten, so a shopper cannot choose the tenant a server action runs for.
  const requestHeaders = new Headers(request.headers)
  requestHeaders.set(TENANT_HEADER, slug)
  const response = NextResponse.rewrite(url, { request: { headers: requestHeaders } })
  if (queryTenant === slug && request.cookies.get(TENANT_COOKIE)?.value !== slug)
    response.cookies.set(TENANT_COOKIE, slug, { httpOnly: true, sameSite: 'lax', path: '/' })
  return response
}

function page(status: number, title: string, message: string, retry = false) {
  const html = `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><meta name="robots" content="noindex"><title>${title}</title><style>body{font-family:system-ui,sans-serif;max-width:36rem;margin:15vh auto;padding:0 1rem;color:#111}a{color:#1d4ed8}</style></head><body><main><h1>${title}</h1><p>${message}</p>${retry ? '<p><a href="">Try again</a></p>' : ''}</main></body></html>`
  return new NextResponse(html, {
    status,
    headers: { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' },
  })
}

function escapeHtml(value: string) {
  return value.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`)
}

export const config = {
  // Everything but Next's own assets and the server-to-server revalidation endpoint.
  matcher: ['/((?!_next/|api/revalidate|favicon.ico).*)'],
}

function decodable(pathname: string): boolean {
  try {
    decodeURIComponent(pathname)
    return true
  } catch {
    return false
  }
}
