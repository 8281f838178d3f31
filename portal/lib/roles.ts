/** What each tenant role may do in the portal; every page and server action checks it on the server. */
export const PORTAL_ROLES = Object.freeze(['tenant-admin', 'manager', 'client'] as const)
export type PortalRole = (typeof PORTAL_ROLES)[number] | 'super-admin'

export type Capability = 'read' | 'review' | 'run' | 'configure'

const RANK: Record<PortalRole, number> = { client: 0, manager: 1, 'tenant-admin': 2, 'super-admin': 3 }
const NEEDS: Record<Capability, PortalRole> = {
  read: 'client',
  review: 'manager',
  run: 'manager',
  configure: 'tenant-admin',
}

/** Clients read; managers act on approvals and runs; tenant-admins also change settings, integrations and users. */
export const can = (role: PortalRole, capability: Capability): boolean => RANK[role] >= RANK[NEEDS[capability]]

/** The strongest of a user's roles in one tenant. */
export function strongestRole(roles: readonly string[]): PortalRole | undefined {
  let best: PortalRole | undefined
  for (const r of roles)
    if (r in RANK && (best === undefined || RANK[r as PortalRole] > RANK[best])) best = r as PortalRole
  return best
}
