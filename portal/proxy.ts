/** Sends signed-out visitors to sign-in (remembering where they were going) and tells pages their path. */
import { type NextRequest, NextResponse } from 'next/server'

const SESSION_COOKIE = 'portal-token'
const PATH_HEADER = 'x-portal-path'

export function proxy(request: NextRequest) {
  const { pathname, search } = request.nextUrl
  const wanted = `${pathname}${search}`
  if (pathname.startsWith('/t/') && !request.cookies.get(SESSION_COOKIE)) {
    const url = request.nextUrl.clone()
    url.pathname = '/sign-in'
    url.search = `?next=${encodeURIComponent(wanted)}`
    return NextResponse.redirect(url)
  }
  const headers = new Headers(request.headers)
  headers.set(PATH_HEADER, wanted)
  return NextResponse.next({ request: { headers } })
}

export const config = { matcher: ['/((?!_next/|favicon.ico|api/).*)'] }
