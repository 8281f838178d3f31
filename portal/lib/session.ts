/**
 * The signed-in user: Payload's JWT in an http-only cookie, checked against the CMS on every request
 * (`/api/users/me`), so an expired or revoked session is noticed at once. One session covers every
 * tenant the user belongs to; the tenant is part of the URL.
 */

import { cmsFetch, selectQuery } from '@lib/data/cms'
import { portalEnv } from '@lib/env'
import { type Capability, can, type PortalRole, strongestRole } from '@lib/roles'
import { cookies, headers } from 'next/headers'
import { notFound, redirect } from 'next/navigation'
import { cache } from 'react'
import { z } from 'zod'

export const SESSION_COOKIE = 'portal-token'
/** Set by proxy.ts: the path a request asked for, so sign-in can send the user back to it. */
export const PATH_HEADER = 'x-portal-path'

const idSchema = z.union([z.number(), z.string()])
const commerceSchema = z.object({ salesChannelId: z.string().nullish() }).nullish()
const tenantRef = z.union([
  idSchema,
  z.object({ id: idSchema, name: z.string().optional(), slug: z.string().optional(), commerce: commerceSchema }),
])
const meSchema = z.object({
  user: z
    .object({
      id: idSchema,
      email: z.string(),
      name: z.string().nullish(),
      roles: z.array(z.string()).nullish(),
      tenants: z.array(z.object({ tenant: tenantRef.nullish(), roles: z.array(z.string()).nullish() })).nullish(),
    })
    .nullable(),
  exp: z.number().optional(),
})

export interface PortalTenant {
  id: string
  name: string
  slug: string
  role: PortalRole
  /** The tenant's Medusa sales channel, when its shop is linked (read with the session: no extra request). */
  salesChannelId: string | null
}

export interface Session {
  token: string
  user: { id: string; email: string; name: string; superAdmin: boolean }
  tenants: PortalTenant[]
}

export const sessionCookieOptions = () => ({
  httpOnly: true,
  sameSite: 'lax' as const,
  path: '/',
  secure: portalEnv().PORTAL_URL.startsWith('https://'),
})

/** The session of this request, or null (no cookie, expired or revoked token). */
export const getSession = cache(async (): Promise<Session | null> => {
  const token = (await cookies()).get(SESSION_COOKIE)?.value
  if (!token) return null
  const me = await cmsFetch('/users/me?depth=1', { token })
  const parsed = meSchema.safeParse(me.body)
  if (!me.ok || !parsed.success || !parsed.data.user) return null
  const user = parsed.data.user
  const superAdmin = Boolean(user.roles?.includes('super-admin'))
  let tenants: PortalTenant[] = []
  if (superAdmin) {
    const all = await cmsFetch<{
      docs: { id: number; name: string; slug: string; commerce?: { salesChannelId?: string | null } | null }[]
    }>(`/tenants?limit=200&depth=0&sort=name&${selectQuery(['name', 'slug', 'commerce.salesChannelId'])}`, { token })
    tenants = (all.body.docs ?? []).map((t) => ({
      id: String(t.id),
      name: t.name,
      slug: t.slug,
      role: 'super-admin',
      salesChannelId: t.commerce?.salesChannelId ?? null,
    }))
  } else {
    for (const row of user.tenants ?? []) {
      const ref = row.tenant
      const role = strongestRole(row.roles ?? [])
      if (ref == null || !role) continue
      const t = typeof ref === 'object' ? ref : { id: ref }
      tenants.push({
        id: String(t.id),
        name: t.name ?? `Tenant ${t.id}`,
        slug: t.slug ?? String(t.id),
        role,
        salesChannelId: t.commerce?.salesChannelId ?? null,
      })
    }
  }
  return {
    token,
    user: { id: String(user.id), email: user.email, name: user.name ?? user.email, superAdmin },
    tenants,
  }
})

/** The path this request asked for (set by proxy.ts). */
export async function requestedPath(): Promise<string> {
  return (await headers()).get(PATH_HEADER) ?? '/'
}

/** A signed-in session, or a redirect to sign-in that comes back to this page. */
export async function requireSession(): Promise<Session> {
  const session = await getSession()
  if (!session) redirect(`/sign-in?next=${encodeURIComponent(await requestedPath())}`)
  return session
}

export interface TenantContext {
  session: Session
  tenant: PortalTenant
  role: PortalRole
}

/**
 * The tenant of a `/t/[tenant]/…` URL, if the user belongs to it — else 404, as if it did not exist —
 * and, with `capability`, a 404 too when their role lacks it (the page offers nothing they could do).
 */
export async function requireTenant(tenantId: string, capability: Capability = 'read'): Promise<TenantContext> {
  const session = await requireSession()
  const tenant = session.tenants.find((t) => t.id === tenantId)
  if (!tenant) notFound()
  if (!can(tenant.role, capability)) notFound()
  return { session, tenant, role: tenant.role }
}

/**
 * `requireTenant` with the page's reads started at once instead of after it: `load` gets the session
 * cookie's token and runs while the session is checked, so a page costs one CMS round trip less. Safe
 * because the CMS enforces access on every read by itself, and nothing of `data` is rendered unless the
 * user turned out to be a member of the tenant with `capability` (else the same redirect or 404).
 * `data` is a promise: start what needs the context (e.g. the sales channel), then await both.
 */
export async function requireTenantAndLoad<T>(
  tenantId: string,
  load: (token: string, tenantId: string) => Promise<T>,
  capability: Capability = 'read',
): Promise<TenantContext & { data: Promise<T> }> {
  const token = (await cookies()).get(SESSION_COOKIE)?.value
  const data = token ? load(token, tenantId) : undefined
  // Not awaited when the checks below redirect or 404: no unhandled rejection then.
  data?.catch(() => {})
  const ctx = await requireTenant(tenantId, capability)
  return { ...ctx, data: data ?? load(ctx.session.token, tenantId) }
}

/** For server actions: the tenant context, or an error message (a forbidden action changes nothing). */
export async function authorizeAction(
  tenantId: string,
  capability: Capability,
): Promise<{ ok: true; ctx: TenantContext } | { ok: false; error: string }> {
  const session = await getSession()
  if (!session) return { ok: false, error: 'Your session has ended. Sign in again.' }
  const tenant = session.tenants.find((t) => t.id === tenantId)
  if (!tenant) return { ok: false, error: 'No such tenant.' }
  if (!can(tenant.role, capability))
    return {
      ok: false,
      error:
        capability === 'configure'
          ? 'Only a tenant admin can change this.'
          : 'Your role (client) can read but not act here; ask a manager.',
    }
  return { ok: true, ctx: { session, tenant, role: tenant.role } }
}
