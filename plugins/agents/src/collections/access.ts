import type { Access } from 'payload'
import type { AgentsAccess } from '../types.ts'

/** Members read their tenant's rows; the multi-tenant plugin adds the tenant constraint. */
export const readInTenant =
  (access: AgentsAccess | undefined): Access =>
  ({ req }) =>
    Boolean(req.user) && (!access || access.tenantsOf(req) === 'all' || (access.tenantsOf(req) as unknown[]).length > 0)

/** Rows the runtime writes: only the server (Local API) and platform admins change them. */
export const platformOnly =
  (access: AgentsAccess | undefined): Access =>
  ({ req }) =>
    Boolean(req.user) && access?.tenantsOf(req) === 'all'
