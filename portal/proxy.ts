/**
 * Sends signed-out visitors to sign-in (remembering where they were going), tells pages their path, and
 * gives every page its Content-Security-Policy with a fresh nonce (lib/security-headers.ts): Next reads
 * the nonce from the request's CSP header and puts it on its own scripts.
 */
import { ensureRequestId, REQUEST_ID_HEADER } from '@bizosaas/observability/request-id'
import { contentSecurityPolicy, newNonce, portalHeaderOptions } from '@lib/security-headers'
import { type NextRequest, NextResponse } from 'next/server'

const SESSION_COOKIE = 'portal-token'
const PATH_HEADER = 'x-portal-path'
const CSP = 'content-security-policy'

export function proxy(request: NextRequest) {
  const { pathname, search } = request.nextUrl
  // A path with broken %-escapes cannot be decoded into route params; Next.js would answer 500.
  if (!decodable(request.nextUrl.pathname))
    return new NextResponse('Bad request: the address has a broken %-escape.', {
      status: 400,
      headers: { 'content-type': 'text/plain; charset=utf-8' },
    })
  // The request id that follows this request into the CMS and the agent runs it starts (lib/data/cms.ts).
  const requestId = ensureRequestId(request.headers)
  const headers = new Headers(request.headers)
  headers.set(REQUEST_ID_HEADER, requestId)
  // API routes keep the `default-src 'none'` policy next.config.ts gives them: no page CSP, no nonce.
  if (pathname.startsWith('/api/')) return withRequestId(NextResponse.next({ request: { headers } }), requestId)
  const wanted = `${pathname}${search}`
  const csp = contentSecurityPolicy(portalHeaderOptions(), newNonce())
  if (pathname.startsWith('/t/') && !request.cookies.get(SESSION_COOKIE)) {
    const url = request.nextUrl.clone()
    url.pathname = '/sign-in'
    url.search = `?next=${encodeURIComponent(wanted)}`
    const redirect = NextResponse.redirect(url)
    redirect.headers.set(CSP, csp)
    return withRequestId(redirect, requestId)
  }
  headers.set(PATH_HEADER, wanted)
  headers.set(CSP, csp)
  const response = NextResponse.next({ request: { headers } })
  response.headers.set(CSP, csp)
  return withRequestId(response, requestId)
}

function withRequestId(response: NextResponse, requestId: string): NextResponse {
  response.headers.set(REQUEST_ID_HEADER, requestId)
  return response
}

// API routes too, for the broken-escape check (only that applies to them).
export const config = { matcher: ['/((?!_next/|favicon.ico).*)'] }

function decodable(pathname: string): boolean {
  try {
    decodeURIComponent(pathname)
    return true
  } catch {
    return false
  }
}
