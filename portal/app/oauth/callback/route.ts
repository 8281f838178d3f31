/**
 * `GET /oauth/callback`: where OAuth providers send the browser back after consent. Hands what they
 * sent (state, code or error) to the CMS with the signed-in user's token — the CMS checks the state,
 * exchanges the code and stores the connection — then returns to the tenant's integrations page with
 * the outcome as a one-shot message. Signed out: sign in, then come back here.
 */
import { completeOAuth } from '@lib/data/connectors'
import { portalEnv } from '@lib/env'
import { getSession, sessionCookieOptions } from '@lib/session'
import { encodeFlash, FLASH_COOKIE, type Flash, OAUTH_TENANT_COOKIE } from '@modules/integrations/flash'
import { cookies } from 'next/headers'
import { type NextRequest, NextResponse } from 'next/server'
import { z } from 'zod'

const params = z.object({
  state: z.string().min(1).max(200).optional(),
  code: z.string().min(1).max(4096).optional(),
  error: z.string().max(200).optional(),
  error_description: z.string().max(2000).optional(),
})
const tenantId = z.string().regex(/^[1-9]\d{0,14}$/)

export async function GET(request: NextRequest) {
  const base = portalEnv().PORTAL_URL.replace(/\/+$/, '')
  const session = await getSession()
  if (!session) {
    const back = `/oauth/callback${request.nextUrl.search}`
    return NextResponse.redirect(`${base}/sign-in?next=${encodeURIComponent(back)}`)
  }
  const jar = await cookies()
  const started = tenantId.safeParse(jar.get(OAUTH_TENANT_COOKIE)?.value)
  const query = params.safeParse(Object.fromEntries(request.nextUrl.searchParams))
  let flash: Flash
  let tenant = started.success ? started.data : undefined
  if (!query.success || !query.data.state)
    flash = { ok: false, message: 'The provider sent the browser back without a usable answer; nothing was connected.' }
  else {
    const res = await completeOAuth(session.token, {
      state: query.data.state,
      code: query.data.code,
      error: query.data.error,
      errorDescription: query.data.error_description,
      redirectUri: `${base}/oauth/callback`,
      tenant: tenant ? Number(tenant) : undefined,
    })
    if (res.ok) tenant = String(res.body.tenant)
    flash = res.ok ? { ok: true, message: res.body.message } : { ok: false, message: res.error }
  }
  const known = tenant && session.tenants.some((t) => t.id === tenant) ? tenant : undefined
  const page = known ? `/t/${known}/integrations` : '/'
  const response = NextResponse.redirect(`${base}${page}`)
  // Read by the page the browser goes to now; short-lived so a later visit does not show it again.
  response.cookies.set(FLASH_COOKIE, encodeFlash(flash), { ...sessionCookieOptions(), path: page, maxAge: 20 })
  response.cookies.delete(OAUTH_TENANT_COOKIE)
  return response
}
