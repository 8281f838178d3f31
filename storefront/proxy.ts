/**
 * Tenant by host: every shopper request is rewritten to `/<tenant>/<region>/<path>`, so each tenant's
 * (and region's) pages are cached on their own, pages never read cookies (and so can be served from the
 * cache), and a host can never reach another tenant's routes. Unknown hosts get a 404 page. While Payload
 * is down or refuses our key, pages go through lib/outage.ts: cached ones still serve, the rest get the
 * shop's branded 503.
 */

import { ensureRequestId, REQUEST_ID_HEADER } from '@bizosaas/observability/request-id'
import { cmsFailing, probeCmsInBackground } from '@lib/cms-health'
import { resolveTenantSlug } from '@lib/data/tenants'
import { storefrontEnv } from '@lib/env'
import { currentHostTable } from '@lib/host-table'
import {
  answerDuringOutage,
  clearFailedPaths,
  escapeHtml,
  isInternalRequest,
  proxyPage,
  unavailablePage,
} from '@lib/outage'
import { REGION_COOKIE, regionKeyFor } from '@lib/region-key'
import { contentSecurityPolicy, storefrontHeaderOptions } from '@lib/security-headers'
import { TENANT_HEADER } from '@lib/tenant-header'
import { type NextRequest, NextResponse } from 'next/server'

const TENANT_COOKIE = 'tenant'

export async function proxy(request: NextRequest) {
  // A path with broken %-escapes cannot be decoded into route params; Next.js would answer 500.
  if (!decodable(request.nextUrl.pathname))
    return proxyPage(
      400,
      'Bad address',
      '<h1>Bad address</h1><p>This address has a broken %-escape. Check the link you followed.</p>',
    )
  // This proxy's own request for a page during an outage: already rewritten.
  if (isInternalRequest(request.headers)) return withCsp(NextResponse.next())
  // The request id that follows this request into the CMS, Medusa and their jobs (and comes back on the response).
  const requestId = ensureRequestId(request.headers)
  const env = storefrontEnv()
  probeCmsInBackground(env.CMS_URL, env.CMS_API_KEY)
  const table = await currentHostTable()
  if (!table) return unavailablePage(undefined)
  const host = request.headers.get('host') ?? ''
  const queryTenant = request.nextUrl.searchParams.get('tenant')
  const slug = resolveTenantSlug(table, {
    host,
    queryTenant,
    cookieTenant: request.cookies.get(TENANT_COOKIE)?.value,
  })
  if (!slug)
    return proxyPage(
      404,
      'No shop here',
      `<h1>No shop here</h1><p>There is no shop at ${escapeHtml(host.replace(/:\d+$/, '') || 'this address')}. Check the address you typed.</p>`,
    )
  const url = request.nextUrl.clone()
  const region = regionKeyFor(table.regions.get(slug), request.cookies.get(REGION_COOKIE)?.value)
  url.pathname = `/${slug}/${region}${request.nextUrl.pathname === '/' ? '' : request.nextUrl.pathname}`
  // Always overwritten, so a shopper cannot choose the tenant a server action runs for.
  const requestHeaders = new Headers(request.headers)
  requestHeaders.set(TENANT_HEADER, slug)
  requestHeaders.set(REQUEST_ID_HEADER, requestId)
  const remember = queryTenant === slug && request.cookies.get(TENANT_COOKIE)?.value !== slug
  if (!cmsFailing()) clearFailedPaths()
  else if (request.method === 'GET' || request.method === 'HEAD') {
    const answer = await answerDuringOutage(request, url, table.brands.get(slug))
    return remember ? withTenantCookie(answer, slug, request) : answer
  }
  const response = NextResponse.rewrite(url, { request: { headers: requestHeaders } })
  response.headers.set(REQUEST_ID_HEADER, requestId)
  withCsp(response)
  return remember ? withTenantCookie(response, slug, request) : response
}

/** The page's Content-Security-Policy (lib/security-headers.ts), built at run time from MEDUSA_URL. */
function withCsp(response: NextResponse): NextResponse {
  response.headers.set('content-security-policy', contentSecurityPolicy(storefrontHeaderOptions()))
  return response
}

/** Remember a development host's `?tenant=` choice: http-only, Lax, Secure behind https. */
function withTenantCookie<R extends Response>(response: R, slug: string, request: NextRequest): R {
  const secure = request.headers.get('x-forwarded-proto') === 'https' || request.nextUrl.protocol === 'https:'
  response.headers.append(
    'set-cookie',
    `${TENANT_COOKIE}=${slug}; Path=/; HttpOnly; SameSite=Lax${secure ? '; Secure' : ''}`,
  )
  return response
}

export const config = {
  // Everything but Next's own assets, the server-to-server revalidation endpoint, the health probes
  // (which must answer without a tenant, even while the CMS is down) and the (not public) metrics.
  matcher: ['/((?!_next/|api/revalidate|api/health|metrics$|favicon.ico).*)'],
}

function decodable(pathname: string): boolean {
  try {
    decodeURIComponent(pathname)
    return true
  } catch {
    return false
  }
}
