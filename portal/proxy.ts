/** Sends signed-out visitors to sign-in (remembering where they were going) and tells pages their path. */
import { type NextRequest, NextResponse } from 'next/server'

const SESSION_COOKIE = 'portal-token'
const PATH_HEADER = 'x-portal-path'

export function proxy(request: NextRequest) {
  const { pathname, search } = request.nextUrl
  // A path with broken %-escapes cannot be decoded into route params; Next.js would answer 500.
  if (!decodable(request.nextUrl.pathname))
    return new NextResponse('Bad request: the address has a broken %-escape.', {
      status: 400,
      headers: { 'content-type': 'text/plain; charset=utf-8' },
    })
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

// API routes too, for the broken-escape check (they are not /t/ paths, so nothing else applies to them).
export const config = { matcher: ['/((?!_next/|favicon.ico).*)'] }

function decodable(pathname: string): boolean {
  try {
    decodeURIComponent(pathname)
    return true
  } catch {
    return false
  }
}
