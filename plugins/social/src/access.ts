/**
 * Who may do what in a tenant, for the `/api/social` endpoints: the tenant is always named by the request
 * and checked against the user's memberships (a user in several tenants acts only where they belong) —
 * a tenant they are not in answers 404, as if it did not exist; one where their role is too low, 403.
 */
import type { PayloadRequest } from 'payload'
import { socialConfigOf } from './defaults.ts'
import { SocialError } from './errors.ts'
import type { Id } from './types.ts'

export function requireUser(req: PayloadRequest): void {
  if (!req.user) throw new SocialError(401, 'Sign in first.')
}

/** True when the user belongs to `tenant` (or sees every tenant). */
export function isMember(req: PayloadRequest, tenant: Id): boolean {
  const tenants = socialConfigOf(req.payload).access.tenantsOf(req)
  return tenants === 'all' || tenants.some((t) => String(t) === String(tenant))
}

/** A member of `tenant` (any role): reads its calendar, metrics and checks. */
export function requireMember(req: PayloadRequest, tenant: Id): void {
  requireUser(req)
  if (!isMember(req, tenant)) throw new SocialError(404, `No tenant ${tenant} for this user.`)
}

/** A manager or admin of `tenant`: composes, submits, approves, rejects and reschedules. */
export async function requireEditor(req: PayloadRequest, tenant: Id): Promise<void> {
  requireMember(req, tenant)
  if (!(await socialConfigOf(req.payload).access.edit({ req, tenant })))
    throw new SocialError(403, 'Only the tenant’s managers and admins can write, approve or schedule social posts.')
}

/** An admin of `tenant`: adds and removes its social accounts. */
export async function requireAccountManager(req: PayloadRequest, tenant: Id): Promise<void> {
  requireMember(req, tenant)
  if (!(await socialConfigOf(req.payload).access.manage({ req, tenant })))
    throw new SocialError(403, 'Only the tenant’s admins can add or remove social accounts.')
}
