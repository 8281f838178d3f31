/**
 * The collection hooks that record every create, update and delete (after the write, before the commit:
 * Payload runs afterChange/afterDelete inside the operation's transaction, so the entry shares its fate).
 */
import type { CollectionAfterChangeHook, CollectionAfterDeleteHook } from 'payload'
import { AUDIT_ACTIONS, CONTEXT } from '../constants.ts'
import { auditLogConfigOf } from '../defaults.ts'
import { writeEntries } from '../record.ts'
import type { AuditEvent } from '../types.ts'
import { actorId, changedFieldNames, idOf, membershipEvents, tenantOf } from './changes.ts'

type Doc = Record<string, unknown>

export const recordChange: CollectionAfterChangeHook = async ({
  collection,
  doc,
  previousDoc,
  operation,
  data,
  req,
}) => {
  if (req.context?.[CONTEXT.skip]) return doc
  const config = auditLogConfigOf(req.payload)
  const before = operation === 'update' ? (previousDoc as Doc | undefined) : undefined
  const after = doc as Doc
  const events: AuditEvent[] = [
    {
      action: operation === 'create' ? AUDIT_ACTIONS.create : AUDIT_ACTIONS.update,
      collection: collection.slug,
      documentId: idOf(after.id) ?? null,
      tenant: tenantOf(collection.slug, after, config),
      changedFields: changedFieldNames(before, after, data as Doc | undefined),
    },
  ]
  if (collection.slug === config.userCollection) {
    // Memberships as written (all rows), not as the caller may read them back (an afterRead hook may
    // hide the rows of tenants the caller does not administer).
    const written = (data ?? {}) as Doc
    const pick = (key: string) => (key in written ? written[key] : before ? before[key] : after[key])
    const state = { email: after.email ?? before?.email, tenants: pick('tenants'), roles: pick('roles') }
    if (!before || 'tenants' in written || 'roles' in written)
      events.push(...membershipEvents(collection.slug, before, state, idOf(after.id)!))
  }
  await writeEntries(req.payload, req, events)
  return doc
}

export const recordDelete: CollectionAfterDeleteHook = async ({ collection, doc, id, req }) => {
  if (req.context?.[CONTEXT.skip]) return doc
  const config = auditLogConfigOf(req.payload)
  const gone = doc as Doc
  // The row is gone by now: an entry must not point at it (a deleted tenant, or a user deleting themselves).
  const isTenant = collection.slug === config.tenantsCollection
  const self = collection.slug === config.userCollection && String(actorId(req, config)) === String(id)
  const events: AuditEvent[] = [
    {
      action: AUDIT_ACTIONS.delete,
      collection: collection.slug,
      documentId: id,
      tenant: isTenant ? null : tenantOf(collection.slug, gone, config),
      changedFields: [],
      details: isTenant ? { tenant: id, slug: (gone.slug as string | undefined) ?? null } : null,
      ...(self ? { user: { id: null, email: (gone.email as string | undefined) ?? null } } : {}),
    },
  ]
  if (collection.slug === config.userCollection) events.push(...membershipEvents(collection.slug, gone, undefined, id))
  await writeEntries(req.payload, req, events)
  return doc
}
