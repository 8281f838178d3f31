/**
 * The users of one tenant and their roles there, through Payload's REST API with the signed-in
 * user's JWT: the CMS's access control (users: tenant-admins read and update the users of the tenants
 * they administer; the `guardTenantAssignments` hook: roles only in those tenants, never a super-admin)
 * decides again whatever the portal checked. Memberships live on the user: `tenants: [{ tenant, roles }]`.
 */
import { randomBytes } from 'node:crypto'
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
}

export type UserResult = { ok: true; message: string } | { ok: false; error: string }

const tenantOf = (row: Membership) => {
  const t = row.tenant
  return t == null ? undefined : String(typeof t === 'object' ? t.id : t)
}
const rolesIn = (user: CmsUser, tenant: string) =>
  (user.tenants ?? []).filter((row) => tenantOf(row) === tenant).flatMap((row) => row.roles ?? [])
/** The rows as Payload takes them back (tenant ids, no row ids). */
const plainRows = (rows: Membership[]) =>
  rows.map((row) => ({ tenant: numeric(tenantOf(row)), roles: row.roles ?? [] }))
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
  return members.map((u) => ({ id: String(u.id), email: u.email, name: u.name ?? '', roles: rolesIn(u, tenant) }))
}

/** A member of this tenant by id, read fresh (the whole membership list is needed to change it). */
async function member(token: string, tenant: string, id: string): Promise<CmsUser | undefined> {
  if (!userIdSchema.safeParse(id).success) return undefined
  const res = await cmsFetch<unknown>(`/users/${id}?depth=0`, { token })
  const parsed = userSchema.safeParse(res.body)
  return res.ok && parsed.success && rolesIn(parsed.data, tenant).length ? parsed.data : undefined
}

/** Saves the user's memberships; a change the CMS dropped (field access) is a refusal too, not a success. */
async function saveMemberships(
  token: string,
  tenant: string,
  user: CmsUser,
  rows: Membership[],
): Promise<UserResult | undefined> {
  const res = await cmsFetch<{ doc?: unknown }>(`/users/${user.id}?depth=0`, {
    token,
    method: 'PATCH',
    body: { tenants: plainRows(rows) },
  })
  if (!res.ok) return { ok: false, error: cmsErrorMessage(res.body, 'The CMS refused the change') }
  const saved = userSchema.safeParse(res.body.doc)
  const wanted = rows.filter((row) => tenantOf(row) === tenant).flatMap((row) => row.roles ?? [])
  const got = saved.success ? rolesIn(saved.data, tenant) : undefined
  if (!got || [...got].sort().join() !== [...wanted].sort().join())
    return { ok: false, error: 'The CMS did not accept the change to this user’s roles.' }
  return undefined
}

/**
 * Adds a person to the tenant with a role. A new email gets an account (a random password nobody
 * sees) and Payload's "set your password" email; an email already in this tenant is refused.
 */
export async function addTenantUser(token: string, tenant: string, invite: Invite): Promise<UserResult> {
  const members = await fetchMembers(token, tenant)
  if ('error' in members) return { ok: false, error: members.error }
  if (members.some((u) => u.email.toLowerCase() === invite.email))
    return { ok: false, error: `${invite.email} is already a user of this tenant; change their role below.` }
  const res = await cmsFetch<{ doc?: { id: number } }>('/users', {
    token,
    method: 'POST',
    body: {
      email: invite.email,
      name: invite.name,
      password: randomBytes(24).toString('base64url'),
      tenants: [{ tenant: numeric(tenant), roles: [invite.role] }],
    },
  })
  if (!res.ok) {
    const message = cmsErrorMessage(res.body, 'The CMS refused the new user')
    // The account exists but belongs to other tenants only: this tenant's admin cannot see or change it.
    if (res.status === 400 && /email/i.test(message) && /registered|unique|exists|invalid/i.test(message))
      return {
        ok: false,
        error: `${invite.email} already has a BizOSaaS account in another tenant; ask a platform admin to add it here.`,
      }
    return { ok: false, error: message }
  }
  // Lets them choose a password (Payload's forgot-password email); the answer is the same either way.
  await cmsFetch('/users/forgot-password', { method: 'POST', body: { email: invite.email } })
  return { ok: true, message: `Added ${invite.email} as ${invite.role}; they get an email to set their password.` }
}

/** Makes `role` the user's one role in this tenant; their other tenants stay as they are. */
export async function setTenantRole(token: string, tenant: string, id: string, role: TenantRole): Promise<UserResult> {
  const user = await member(token, tenant, id)
  if (!user) return { ok: false, error: 'No such user in this tenant.' }
  const rows = (user.tenants ?? []).map((row) => (tenantOf(row) === tenant ? { ...row, roles: [role] } : row))
  const refused = await saveMemberships(token, tenant, user, rows)
  return refused ?? { ok: true, message: `${user.email} is now ${role}.` }
}

/** Takes the user out of this tenant (the account and their other tenants stay). */
export async function removeFromTenant(token: string, tenant: string, id: string): Promise<UserResult> {
  const user = await member(token, tenant, id)
  if (!user) return { ok: false, error: 'No such user in this tenant.' }
  const rows = (user.tenants ?? []).filter((row) => tenantOf(row) !== tenant)
  const refused = await saveMemberships(token, tenant, user, rows)
  return refused ?? { ok: true, message: `${user.email} no longer has access to this tenant.` }
}
