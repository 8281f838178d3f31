/**
 * Who may see and change a user. Two kinds of change are told apart:
 *
 * - **Memberships** (the `tenants` rows): a tenant-admin adds, changes and removes rows of the tenants
 *   they administer, whatever other tenants the user belongs to (checked row by row in
 *   ./hooks/guard-user-changes.ts; rows of other tenants are kept as they are).
 * - **Identity** (email, password, name, API key, sessions, deleting the account): only the user, a
 *   super-admin, or someone who administers *every* tenant the user belongs to. An agency employee
 *   who is a client of tenant A and an admin of tenant B is out of reach of A's admin.
 *
 * Service accounts (the storefront's reader, API-key users the platform makes) and super-admins are
 * changed by super-admins only. Reading follows membership: a tenant-admin sees the members of the
 * tenants they administer (list, by id and GraphQL alike), and only their rows of those tenants.
 */
import type { Access, PayloadRequest, Where } from 'payload'
import { type AccessUser, ADMIN_ROLES, idOf, isSuperAdmin, tenantIdsWithRole, userOf } from '../../access/roles.ts'

type Id = number | string

/** A user as stored, as far as these rules care. */
export type MemberUser = NonNullable<AccessUser> & { email?: string; serviceAccount?: boolean | null }

/** The tenant ids (as strings) of a user's memberships. */
export const membershipTenants = (user: MemberUser | null | undefined): string[] =>
  (user?.tenants ?? []).flatMap((row) => {
    const id = idOf(row.tenant)
    return id === undefined ? [] : [String(id)]
  })

/** Tenants the actor administers, as strings (none for super-admins: they need no list). */
export const administeredTenants = (actor: AccessUser): Set<string> =>
  new Set(tenantIdsWithRole(actor, ADMIN_ROLES).map(String))

/** Service accounts and super-admins are the platform's: only super-admins change them. */
export const isPlatformOwned = (user: MemberUser | null | undefined): boolean =>
  Boolean(user?.serviceAccount) || isSuperAdmin(user)

/**
 * True when `actor` may change `target`'s identity (email, password, name, API key, sessions) or
 * delete the account: the user themselves, a super-admin, or an admin of every tenant the user is in.
 */
export function mayManageIdentity(actor: AccessUser, target: MemberUser | null | undefined): boolean {
  if (!actor || !target) return false
  if (isSuperAdmin(actor)) return true
  if (isPlatformOwned(target)) return false
  if (String(actor.id) === String(target.id)) return true
  const tenants = membershipTenants(target)
  if (tenants.length === 0) return false
  const administered = administeredTenants(actor)
  return tenants.every((t) => administered.has(t))
}

const signedInUser = (req: PayloadRequest): AccessUser =>
  req.user && req.user.collection === 'users' ? userOf(req) : undefined

/** Own record, or members of the tenants the actor administers. */
const selfOrMembers = (actor: NonNullable<AccessUser>): Where => {
  const tenants = [...administeredTenants(actor)]
  if (tenants.length === 0) return { id: { equals: actor.id } }
  return { or: [{ id: { equals: actor.id } }, { 'tenants.tenant': { in: tenants } }] }
}

/** Reading: own record; a tenant-admin also the members of their tenants; super-admins everyone. */
export const readUsers: Access = ({ req }) => {
  const actor = signedInUser(req)
  if (!actor) return false
  if (isSuperAdmin(actor)) return true
  return selfOrMembers(actor)
}

/**
 * Updating: the same documents as reading. What may change on them (memberships row by row,
 * identity fields) is decided per document by the `guardUserChanges` hook, which answers 403 with
 * the reason instead of dropping a change silently.
 */
export const updateUsers: Access = ({ req }) => {
  const actor = signedInUser(req)
  if (!actor) return false
  if (isSuperAdmin(actor)) return true
  return selfOrMembers(actor)
}

/**
 * Deleting an account (and unlocking one) is an identity change: own account, or accounts whose every
 * membership is in tenants the actor administers. Taking a user out of a tenant is a membership
 * change (update), never a deletion.
 */
export const deleteUsers: Access = async ({ req, id }) => {
  const actor = signedInUser(req)
  if (!actor) return false
  if (isSuperAdmin(actor)) return true
  if (isPlatformOwned(actor as MemberUser)) return false
  if (id !== undefined) {
    if (String(id) === String(actor.id)) return true
    const target = await storedUser(req, id)
    return mayManageIdentity(actor, target)
  }
  const ids = await identityReach(req, actor)
  return { id: { in: [actor.id, ...ids] } }
}

/**
 * The user as stored, or undefined. Read without the request on purpose: a read on the caller's behalf
 * would pass through `redactForReader` and hide the very memberships these rules must count.
 */
export async function storedUser(req: PayloadRequest, id: Id): Promise<MemberUser | undefined> {
  if (typeof id === 'number' ? !Number.isSafeInteger(id) : !/^\d{1,15}$/.test(id)) return undefined
  const doc = await req.payload
    .findByID({ collection: 'users', id, depth: 0, overrideAccess: true, disableErrors: true })
    .catch(() => null)
  return (doc as MemberUser | null) ?? undefined
}

/** Ids of the users whose identity `actor` may manage (every membership administered by them). */
async function identityReach(req: PayloadRequest, actor: NonNullable<AccessUser>): Promise<Id[]> {
  const administered = [...administeredTenants(actor)]
  if (administered.length === 0) return []
  const found = await req.payload.find({
    collection: 'users',
    where: { 'tenants.tenant': { in: administered } },
    depth: 0,
    pagination: false,
    overrideAccess: true, // and without `req`: see storedUser
  })
  return (found.docs as MemberUser[]).filter((u) => mayManageIdentity(actor, u)).map((u) => u.id)
}
