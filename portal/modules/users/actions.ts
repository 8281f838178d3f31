'use server'
import { addTenantUser, inviteSchema, removeFromTenant, roleSchema, setTenantRole, userIdSchema } from '@lib/data/users'
import { authorizeAction } from '@lib/session'
/** The tenant's users: tenant-admins only; the CMS checks every change again with the admin's own JWT. */
import { revalidatePath } from 'next/cache'

export interface UserActionResult {
  ok?: boolean
  error?: string
  message?: string
}

export async function inviteUser(tenant: string, _prev: UserActionResult, data: FormData): Promise<UserActionResult> {
  const auth = await authorizeAction(tenant, 'configure')
  if (!auth.ok) return { error: auth.error }
  const parsed = inviteSchema.safeParse(Object.fromEntries(data))
  if (!parsed.success) return { error: parsed.error.issues[0]!.message }
  const res = await addTenantUser(auth.ctx.session.token, tenant, parsed.data)
  if (!res.ok) return { error: res.error }
  revalidatePath(`/t/${tenant}/users`)
  return { ok: true, message: res.message }
}

/** Refuses changes to the caller's own membership: a tenant-admin cannot lock themselves out. */
function notSelf(userId: string, selfId: string): UserActionResult | undefined {
  return userId === selfId
    ? { error: 'You cannot change or remove your own role; ask another tenant admin.' }
    : undefined
}

export async function changeUserRole(tenant: string, userId: string, role: string): Promise<UserActionResult> {
  const auth = await authorizeAction(tenant, 'configure')
  if (!auth.ok) return { error: auth.error }
  const id = userIdSchema.safeParse(userId)
  if (!id.success) return { error: id.error.issues[0]!.message }
  const wanted = roleSchema.safeParse(role)
  if (!wanted.success) return { error: wanted.error.issues[0]!.message }
  const self = notSelf(id.data, auth.ctx.session.user.id)
  if (self) return self
  const res = await setTenantRole(auth.ctx.session.token, tenant, id.data, wanted.data)
  if (!res.ok) return { error: res.error }
  revalidatePath(`/t/${tenant}/users`)
  return { ok: true, message: res.message }
}

export async function removeUser(tenant: string, userId: string): Promise<UserActionResult> {
  const auth = await authorizeAction(tenant, 'configure')
  if (!auth.ok) return { error: auth.error }
  const id = userIdSchema.safeParse(userId)
  if (!id.success) return { error: id.error.issues[0]!.message }
  const self = notSelf(id.data, auth.ctx.session.user.id)
  if (self) return self
  const res = await removeFromTenant(auth.ctx.session.token, tenant, id.data)
  if (!res.ok) return { error: res.error }
  revalidatePath(`/t/${tenant}/users`)
  return { ok: true, message: res.message }
}
