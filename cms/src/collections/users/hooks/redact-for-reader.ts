/**
 * What one user may see of another. Session ids are the account owner's business (never shown on,
 * say, a populated post author). A tenant-admin sees a member's rows of the tenants they administer
 * only: which other tenants an agency employee works for is not theirs to know. Reads with no user
 * (Payload's own auth checks) and the user's own record are left whole.
 */
import type { CollectionAfterReadHook } from 'payload'
import { idOf, isSuperAdmin, userOf } from '../../../access/roles.ts'
import { administeredTenants } from '../access.ts'

export const redactForReader: CollectionAfterReadHook = ({ doc, req }) => {
  if (!doc || !req.user || String(req.user.id) === String(doc.id)) return doc
  const reader = userOf(req)
  if (isSuperAdmin(reader)) return doc
  delete doc.sessions
  if (Array.isArray(doc.tenants)) {
    const administered = administeredTenants(reader)
    doc.tenants = doc.tenants.filter((row: { tenant?: unknown }) => administered.has(String(idOf(row.tenant as never))))
  }
  return doc
}
