/**
 * The users of one tenant and their roles there, through the CMS with the signed-in user's JWT: the
 * list is Payload's `users` (a tenant-admin reads the members of their tenants, only their rows of
 * those tenants); changes go through the CMS's memberships endpoints, which check again that the caller
 * administers the tenant and never touch the user's other tenants or identity. Service accounts (the
 * storefront's reader) are shown but only a platform admin changes them.
 */
import { cmsErrorMessage, cmsFetch } from '@lib/data/cms'
import { PORTAL_ROLES } from '@lib/roles'
import { z } from 'zod'

/** The roles a tenant-admin can give in their tenant. */
export const TENANT_ROLES = PORTAL_ROLES
export type TenantRole = (typeof TENANT_ROLES)[number]

const idSchema = z.union([z.number(), z.string()])
const membershipSchema = z.object({
  tenant: z.union([idSchema, z.object({ id: idSchema })]).nullish(),
  roles: z.array(z.string()).nullish(),
})
const userSchema = z.object({
  id: idSchema,
  email: z.string(),
  name: z.string().nullish(),
  roles: z.array(z.string()).nullish(),
  serviceAccount: z.boolean().nullish(),
  tenants: z.array(membershipSchema).nullish(),
})
type CmsUser = z.infer<typeof userSchema>
type Membership = z.infer<typeof membershipSchema>

export interface TenantUser {
  id: string
  email: string
  name: string
  /** The user's roles in this tenant. */
  roles: string[]
  /** A platform account (super-admin or service account): shown, changed only by a platform admin. */
  platform: boolean
}

export type UserResult = { ok: true; message: string } | { ok: false; error: string }

const tenantOf = (row: Membership) => {
  const t = row.tenant
  return t == null ? undefined : String(typeof t === 'object' ? t.id : t)
}
const rolesIn = (user: CmsUser, tenant: string) =>
  (user.tenants ?? []).filter((row) => tenantOf(row) === tenant).flatMap((row) => row.roles ?? [])
const numeric = (id: string | undefined) => (id !== undefined && /^\d+$/.test(id) ? Number(id) : id)

export const inviteSchema = z.object({
  email: z.email('Email: enter an email address').trim().toLowerCase().max(254),
  name: z
    .string()
    .trim()
    .max(120)
    .optional()
    .transform((s) => s || undefined),
  role: z.enum(TENANT_ROLES, 'Role: choose tenant-admin, manager or client'),
})
export interface Invite {
  email: string
  name?: string
  role: TenantRole
}
export const roleSchema = z.enum(TENANT_ROLES, 'Role: choose tenant-admin, manager or client')
export const userIdSchema = z.string().regex(/^\d{1,18}$/, 'No such user in this tenant.')

async function fetchMembers(token: string, tenant: string): Promise<CmsUser[] | { error: string }> {
  const q = `where[tenants.tenant][equals]=${encodeURIComponent(tenant)}&depth=0&limit=500&sort=email`
  const res = await cmsFetch<{ docs?: unknown[] }>(`/users?${q}`, { token })
  if (!res.ok) return { error: cmsErrorMessage(res.body, 'The CMS would not list the users') }
  const parsed = z.array(userSchema).safeParse(res.body.docs ?? [])
  if (!parsed.success) return { error: 'The CMS answered with users the portal does not understand.' }
  // Only real members of this tenant (the CMS may also return the caller's own record).
  return parsed.data.filter((u) => rolesIn(u, tenant).length > 0)
}

/** The tenant's users and their roles in it (what the caller's JWT may read). */
export async function listTenantUsers(token: string, tenant: string): Promise<TenantUser[]> {
  const members = await fetchMembers(token, tenant)
  if ('error' in members) return []
  return members.map((u) => ({
    id: String(u.id),
    email: u.email,
    name: u.name ?? '',
    roles: rolesIn(u, tenant),
    platform: Boolean(u.serviceAccount) || Boolean(u.roles?.includes('super-admin')),
  }))
}

const membershipAnswer = z.object({ created: z.boolean().optional() })

/**
 * Adds a person to the tenant with a role (the CMS's `POST /api/users/memberships`). An account that
 * exists in other tenants gets a membership here (its other tenants stay out of sight); a new email
 * gets an account with a random password nobody sees, and Payload's "set your password" email.
 */
export async function addTenantUser(token: string, tenant: string, invite: Invite): Promise<UserResult> {
  const res = await cmsFetch<unknown>('/users/memberships', {
    token,
    method: 'POST',
    body: { tenant: numeric(tenant), email: invite.email, name: invite.name, roles: [invite.role] },
  })
  if (res.status === 409)
    return { ok: false, error: `${invite.email} is already a user of this tenant; change their role below.` }
  if (!res.ok) return { ok: false, error: cmsErrorMessage(res.body, 'The CMS refused the new user') }
  if (!membershipAnswer.parse(res.body).created)
    return { ok: true, message: `Added ${invite.email} (an existing account) as ${invite.role}.` }
  // Lets them choose a password (Payload's forgot-password email); the answer is the same either way.
  await cmsFetch('/users/forgot-password', { method: 'POST', body: { email: invite.email } })
  return { ok: true, message: `Added ${invite.email} as ${invite.role}; they get an email to set their password.` }
}

/** A refusal from the memberships endpoints, said the portal's way (an unknown member is one message). */
function refused(res: { status: number; body: unknown }, fallback: string): UserResult {
  if (res.status === 404 || res.status === 400) return { ok: false, error: 'No such user in this tenant.' }
  return { ok: false, error: cmsErrorMessage(res.body as never, fallback) }
}

/** Makes `role` the user's one role in this tenant; their other tenants stay as they are. */
export async function setTenantRole(token: string, tenant: string, id: string, role: TenantRole): Promise<UserResult> {
  if (!userIdSchema.safeParse(id).success) return { ok: false, error: 'No such user in this tenant.' }
  const res = await cmsFetch<{ user?: { email?: string }; roles?: string[] }>(
    `/users/${id}/memberships/${encodeURIComponent(tenant)}`,
    { token, method: 'PATCH', body: { roles: [role] } },
  )
  if (!res.ok) return refused(res, 'The CMS refused the change')
  if (res.body.roles?.join() !== role)
    return { ok: false, error: 'The CMS did not accept the change to this user’s roles.' }
  return { ok: true, message: `${res.body.user?.email ?? 'The user'} is now ${role}.` }
}

/** Takes the user out of this tenant (the account and their other tenants stay). */
export async function removeFromTenant(token: string, tenant: string, id: string): Promise<UserResult> {
  if (!userIdSchema.safeParse(id).success) return { ok: false, error: 'No such user in this tenant.' }
  const res = await cmsFetch<{ user?: { email?: string } }>(`/users/${id}/memberships/${encodeURIComponent(tenant)}`, {
    token,
    method: 'DELETE',
  })
  if (!res.ok) return refused(res, 'The CMS refused the change')
  return { ok: true, message: `${res.body.user?.email ?? 'The user'} no longer has access to this tenant.` }
}
