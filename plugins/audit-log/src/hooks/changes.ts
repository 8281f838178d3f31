/**
 * From a saved or deleted document to its audit events: the names of the fields that changed (values are
 * compared here and dropped), the tenant the entry belongs to, and — on the users collection — one event
 * per tenant whose membership changed and one for platform-role changes.
 */
import type { CollectionBeforeChangeHook, PayloadRequest } from 'payload'
import { AUDIT_ACTIONS, AUTH_BOOKKEEPING, IGNORED_FIELDS, PASSWORD_FIELDS } from '../constants.ts'
import type { AuditEvent, ResolvedAuditLogConfig } from '../types.ts'

type Id = number | string
type Doc = Record<string, unknown>

export const idOf = (value: unknown): Id | undefined => {
  if (value && typeof value === 'object' && 'id' in value) return (value as { id: Id }).id
  return typeof value === 'number' || typeof value === 'string' ? value : undefined
}

/**
 * Stable JSON for comparing values: relationships compare by id (whatever depth they were read at), array
 * rows without their random row ids, and a missing value equals null.
 */
function comparable(value: unknown): string {
  return JSON.stringify(value ?? null, (_key, v) => {
    if (!v || typeof v !== 'object' || Array.isArray(v)) return v
    if ('id' in v && ('createdAt' in v || 'updatedAt' in v)) return (v as { id: unknown }).id
    return Object.fromEntries(
      Object.entries(v as Doc)
        .filter(([k, item]) => k !== 'id' && item !== null && item !== undefined)
        .sort(([a], [b]) => a.localeCompare(b)),
    )
  })
}

/** Field names fit for an entry: bookkeeping dropped, password internals reported as `password`. */
function publicNames(names: Iterable<string>): string[] {
  const out = new Set<string>()
  for (const name of names) {
    if (IGNORED_FIELDS.includes(name) || AUTH_BOOKKEEPING.includes(name)) continue
    out.add(PASSWORD_FIELDS.includes(name) ? 'password' : name)
  }
  return [...out].sort()
}

/** The `data` objects of writes that set a password (the same object reaches afterChange, minus the password). */
const withPassword = new WeakSet<object>()

/** beforeChange of auth collections: remembers that this write sets a password (never the password). */
export const notePassword: CollectionBeforeChangeHook = ({ data }) => {
  if (data && typeof (data as Doc).password === 'string' && (data as Doc).password) withPassword.add(data)
  return data
}

/**
 * Names of the top-level fields a write changed. `data` is what was written (after the collection's
 * beforeChange hooks): its fields are compared with the stored document before the write, so what an
 * afterRead hook hides from the caller (e.g. other tenants' memberships) never looks like a change.
 * Without `data`, the saved document is compared instead. A create lists the fields it set.
 */
export function changedFieldNames(before: Doc | undefined, after: Doc, data?: Doc): string[] {
  const names = new Set<string>()
  const written = data ?? after
  for (const [key, value] of Object.entries(written)) {
    if (before ? comparable(value) !== comparable(before[key]) : value !== null && value !== undefined) names.add(key)
  }
  // A new password never shows in the saved document (it becomes hash and salt, and Payload removes it
  // from `data` before afterChange): notePassword saw it.
  names.delete('hash')
  names.delete('salt')
  if (data && withPassword.has(data)) names.add('password')
  return publicNames(names)
}

/** The tenant an entry of this document belongs to: its `tenant`, or itself when it is a tenant. */
export function tenantOf(collection: string, doc: Doc, config: ResolvedAuditLogConfig): Id | null {
  if (collection === config.tenantsCollection) return idOf(doc.id) ?? null
  return idOf(doc.tenant) ?? null
}

const membershipsOf = (doc: Doc | undefined): Map<string, string[]> => {
  const map = new Map<string, string[]>()
  for (const row of (doc?.tenants as { tenant?: unknown; roles?: unknown }[] | undefined) ?? []) {
    const tenant = idOf(row?.tenant)
    if (tenant === undefined) continue
    const roles = Array.isArray(row.roles) ? row.roles.map(String) : []
    map.set(String(tenant), [...new Set([...(map.get(String(tenant)) ?? []), ...roles])].sort())
  }
  return map
}

const roleList = (value: unknown) => (Array.isArray(value) ? value.map(String).sort() : [])

/** Membership (per tenant) and platform-role events of a users-collection change. */
export function membershipEvents(
  collection: string,
  before: Doc | undefined,
  after: Doc | undefined,
  id: Id,
): AuditEvent[] {
  const events: AuditEvent[] = []
  const was = membershipsOf(before)
  const now = membershipsOf(after)
  const member = (after?.email ?? before?.email ?? null) as string | null
  for (const tenant of new Set([...was.keys(), ...now.keys()])) {
    const previousRoles = was.get(tenant)
    const roles = now.get(tenant)
    const action = !previousRoles
      ? AUDIT_ACTIONS.membershipAdded
      : !roles
        ? AUDIT_ACTIONS.membershipRemoved
        : previousRoles.join() !== roles.join()
          ? AUDIT_ACTIONS.membershipRolesChanged
          : undefined
    if (action)
      events.push({
        action,
        collection,
        documentId: id,
        tenant: Number(tenant),
        changedFields: ['tenants'],
        details: { member, roles: roles ?? [], previousRoles: previousRoles ?? [] },
      })
  }
  if (before && after && roleList(before.roles).join() !== roleList(after.roles).join())
    events.push({
      action: AUDIT_ACTIONS.rolesChanged,
      collection,
      documentId: id,
      tenant: null,
      changedFields: ['roles'],
      details: { member, roles: roleList(after.roles), previousRoles: roleList(before.roles) },
    })
  if (!before && after && roleList(after.roles).length)
    events.push({
      action: AUDIT_ACTIONS.rolesChanged,
      collection,
      documentId: id,
      tenant: null,
      changedFields: ['roles'],
      details: { member, roles: roleList(after.roles), previousRoles: [] },
    })
  return events
}

/** The signed-in user's id, when they are of the audited user collection. */
export function actorId(req: PayloadRequest, config: ResolvedAuditLogConfig): Id | undefined {
  const user = req.user as { id?: Id; collection?: string } | null | undefined
  return user && (!user.collection || user.collection === config.userCollection) ? user.id : undefined
}
