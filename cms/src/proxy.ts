/**
 * Gives every admin page its Content-Security-Policy with a fresh nonce (security-headers.ts): Next
 * reads the nonce from the request's CSP header and puts it on the scripts it renders.
 */
import { type NextRequest, NextResponse } from 'next/server'
import { cmsHeaderOptions, contentSecurityPolicy, newNonce } from './security-headers.ts'

const CSP = 'content-security-policy'

export function proxy(request: NextRequest) {
  const csp = contentSecurityPolicy(cmsHeaderOptions(), newNonce())
  const headers = new Headers(request.headers)
  headers.set(CSP, csp)
  const response = NextResponse.next({ request: { headers } })
  response.headers.set(CSP, csp)
  return response
}

export const config = { matcher: ['/admin', '/admin/:path*'] }
