import { addLogContext } from '@bizosaas/observability/logger'
import type { PayloadRequest } from 'payload'
import { z } from 'zod'
import type { ResolvedAgentsConfig } from '../config.ts'
import { type Id, sameId } from '../documents.ts'
import { AgentsError } from '../errors.ts'
import type { AgentsAccess } from '../types.ts'

export function accessOf(config: ResolvedAgentsConfig): AgentsAccess {
  if (!config.access) throw new Error('@bizosaas/plugin-agents: the `access` option is required when enabled')
  return config.access
}

/** Signed in, or a 401 that says so. */
export function requireUser(req: PayloadRequest): void {
  if (!req.user) throw new AgentsError(401, 'Sign in first.')
}

/**
 * The tenant a request acts for: `requested` (body or ?tenant=), else the admin's selected tenant
 * (the multi-tenant plugin's `payload-tenant` cookie), else the user's only tenant. A tenant the user
 * does not belong to answers 404, as if it did not exist.
 */
export function resolveTenant(req: PayloadRequest, access: AgentsAccess, requested?: unknown): Id {
  const tenant = tenantOf(req, access, requested)
  // The request's log lines say which tenant it acts for from here on.
  addLogContext({ tenant: String(tenant) })
  return tenant
}

function tenantOf(req: PayloadRequest, access: AgentsAccess, requested?: unknown): Id {
  const tenants = access.tenantsOf(req)
  const fromCookie = req.headers.get('cookie')?.match(/(?:^|;\s*)payload-tenant=([^;]+)/)?.[1]
  const wanted = requested ?? req.searchParams?.get('tenant') ?? fromCookie
  if (wanted !== undefined && wanted !== null && wanted !== '') {
    // Tenant ids are PostgreSQL serials; anything else would only fail deeper down, in SQL.
    if (!/^[1-9]\d{0,14}$/.test(String(wanted)))
      throw new AgentsError(400, `"${String(wanted).slice(0, 60)}" is not a tenant id (a positive whole number)`)
    const id = Number(wanted)
    if (tenants === 'all' || tenants.some((t) => sameId(t, id))) return id
    throw new AgentsError(404, `No tenant ${String(wanted)} for this user`)
  }
  if (tenants !== 'all' && tenants.length === 1) return tenants[0] as Id
  throw new AgentsError(400, 'Say which tenant: pass "tenant" in the body or ?tenant=<id>')
}

/**
 * Optional body field of the endpoints that act on one document by id (approve, reject, cancel): the tenant
 * the caller means. A document of any other tenant is then "not found", so a client acting on one tenant's
 * page cannot reach another tenant's document by id, even one the user may see.
 */
export const expectedTenantField = (what: string) =>
  z
    .union([z.number().int().positive(), z.string().regex(/^\d+$/)])
    .optional()
    .describe(`The tenant the ${what} must belong to (e.g. the tenant whose page the caller is on)`)

/**
 * The document, unless it is missing (not visible to the caller) or outside the tenant the caller named:
 * then a 404 `No <what> <id>` (`… in tenant <expected>` when one was named).
 */
export function inExpectedTenant<T extends { tenant: Id | { id: Id } }>(
  doc: T | null,
  what: string,
  id: string,
  expected: number | string | undefined,
): T {
  if (!doc || (expected !== undefined && !sameId(doc.tenant, expected)))
    throw new AgentsError(404, expected === undefined ? `No ${what} ${id}` : `No ${what} ${id} in tenant ${expected}`)
  return doc
}
