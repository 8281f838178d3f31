/**
 * Memberships as their own resource, for tenant-admins (and the portal's users page):
 *
 * - `POST   /api/users/memberships`              `{ tenant, email, roles, name? }` adds a person to a
 *   tenant: an existing account (possibly in other tenants) gets a row, a new email gets an account.
 * - `PATCH  /api/users/:id/memberships/:tenant`  `{ roles }` changes their roles there.
 * - `DELETE /api/users/:id/memberships/:tenant`  takes them out of the tenant; the account stays.
 *
 * Each answers only about the one tenant named, which the caller must administer; the user's other
 * tenants are neither shown nor touched. Service accounts and super-admins are refused.
 */
import { randomBytes } from 'node:crypto'
import { APIError, type Endpoint, type PayloadRequest } from 'payload'
import { z } from 'zod'
import { ADMIN_ROLES, hasTenantRole, idOf, isSuperAdmin, TENANT_ROLES, userOf } from '../../../access/roles.ts'
import { isPlatformOwned, type MemberUser, storedUser } from '../access.ts'

type Row = { id?: string | null; tenant?: unknown; roles?: string[] | null }

const tenantId = z.coerce
  .number({ error: 'tenant: give the id of a tenant you administer' })
  .int('tenant: give the id of a tenant you administer')
  .positive('tenant: give the id of a tenant you administer')
const roles = z
  .array(z.enum(TENANT_ROLES, { error: `roles: choose from ${TENANT_ROLES.join(', ')}` }), {
    error: 'roles: send a list such as ["manager"]',
  })
  .min(1, 'roles: give at least one role')
  .transform((r) => [...new Set(r)])
const addBody = z.object({
  tenant: tenantId,
  email: z.email('email: enter an email address').trim().toLowerCase().max(254),
  name: z.string().trim().max(120).optional(),
  roles,
})
const rolesBody = z.object({ roles })

const refuse = (status: number, message: string) => new APIError(message, status, null, true)

async function readBody(req: PayloadRequest): Promise<unknown> {
  const text = req.text ? await req.text() : ''
  if (!text.trim()) return {}
  try {
    return JSON.parse(text)
  } catch {
    throw refuse(400, 'The request body is not valid JSON.')
  }
}

function parse<T>(schema: z.ZodType<T>, value: unknown): T {
  const result = schema.safeParse(value)
  if (!result.success) throw refuse(400, result.error.issues.map((i) => i.message).join('; '))
  return result.data
}

/** The caller must be a super-admin or administer `tenant`; anyone else learns nothing about it. */
async function requireTenantAdmin(req: PayloadRequest, tenant: number): Promise<void> {
  const actor = userOf(req)
  if (!actor || req.user?.collection !== 'users') throw refuse(401, 'Sign in to manage memberships.')
  if (isSuperAdmin(actor) || hasTenantRole(actor, tenant, ADMIN_ROLES)) {
    const exists = await req.payload.count({ collection: 'tenants', where: { id: { equals: tenant } }, req })
    if (exists.totalDocs > 0) return
  }
  throw refuse(403, `You do not administer tenant ${tenant}; only its tenant-admins manage its members.`)
}

const rowsOf = (user: MemberUser) => (user.tenants ?? []) as Row[]
const inTenant = (row: Row, tenant: number) => String(idOf(row.tenant as never)) === String(tenant)
const plain = (row: Row) => ({
  ...(row.id ? { id: row.id } : {}),
  tenant: idOf(row.tenant as never),
  roles: row.roles ?? [],
})

function membershipView(user: MemberUser & { name?: string | null }, tenant: number) {
  const row = rowsOf(user).find((r) => inTenant(r, tenant))
  return { user: { id: user.id, email: user.email, name: user.name ?? null }, tenant, roles: row?.roles ?? [] }
}

/** A member of `tenant` by id for a change: unknown ids and non-members are 404, platform accounts 403. */
async function memberFor(req: PayloadRequest, tenant: number): Promise<MemberUser> {
  const id = String(req.routeParams?.id ?? '')
  const user = await storedUser(req, id)
  if (!user || !rowsOf(user).some((r) => inTenant(r, tenant))) throw refuse(404, `No user ${id} in tenant ${tenant}.`)
  if (isPlatformOwned(user))
    throw refuse(403, `${user.email} is managed by the platform; only a super-admin can change it.`)
  return user
}

async function saveRows(req: PayloadRequest, user: MemberUser, rows: Row[]) {
  return (await req.payload.update({
    collection: 'users',
    id: user.id,
    data: { tenants: rows.map(plain) } as never,
    depth: 0,
    overrideAccess: true, // checked above; the users hook still checks every row against the caller
    req,
  })) as unknown as MemberUser
}

export const addMembershipEndpoint: Endpoint = {
  path: '/memberships',
  method: 'post',
  handler: async (req) => {
    const body = parse(addBody, await readBody(req))
    await requireTenantAdmin(req, body.tenant)
    const found = await req.payload.find({
      collection: 'users',
      where: { email: { equals: body.email } },
      depth: 0,
      limit: 1,
      overrideAccess: true, // without `req`: every membership, not the caller's view (see storedUser)
    })
    const existing = found.docs[0] as MemberUser | undefined
    if (existing) {
      if (isPlatformOwned(existing))
        throw refuse(403, `${body.email} is managed by the platform; ask a platform admin to add it here.`)
      if (rowsOf(existing).some((r) => inTenant(r, body.tenant)))
        throw refuse(409, `${body.email} is already a member of this tenant; change their roles instead.`)
      const saved = await saveRows(req, existing, [...rowsOf(existing), { tenant: body.tenant, roles: body.roles }])
      return Response.json({ ...membershipView(saved, body.tenant), created: false }, { status: 200 })
    }
    const created = (await req.payload.create({
      collection: 'users',
      data: {
        email: body.email,
        name: body.name,
        // Nobody knows it: the person sets their own with the forgot-password email.
        password: randomBytes(24).toString('base64url'),
        tenants: [{ tenant: body.tenant, roles: body.roles }],
      } as never,
      depth: 0,
      overrideAccess: true,
      req,
    })) as unknown as MemberUser
    return Response.json({ ...membershipView(created, body.tenant), created: true }, { status: 201 })
  },
}

export const updateMembershipEndpoint: Endpoint = {
  path: '/:id/memberships/:tenant',
  method: 'patch',
  handler: async (req) => {
    const tenant = parse(tenantId, req.routeParams?.tenant)
    const body = parse(rolesBody, await readBody(req))
    await requireTenantAdmin(req, tenant)
    const user = await memberFor(req, tenant)
    const rows = rowsOf(user).map((r) => (inTenant(r, tenant) ? { ...r, roles: body.roles } : r))
    const saved = await saveRows(req, user, rows)
    return Response.json(membershipView(saved, tenant))
  },
}

export const removeMembershipEndpoint: Endpoint = {
  path: '/:id/memberships/:tenant',
  method: 'delete',
  handler: async (req) => {
    const tenant = parse(tenantId, req.routeParams?.tenant)
    await requireTenantAdmin(req, tenant)
    const user = await memberFor(req, tenant)
    await saveRows(
      req,
      user,
      rowsOf(user).filter((r) => !inTenant(r, tenant)),
    )
    return Response.json({ user: { id: user.id, email: user.email }, tenant, removed: true })
  },
}

export const membershipEndpoints = [addMembershipEndpoint, updateMembershipEndpoint, removeMembershipEndpoint]
