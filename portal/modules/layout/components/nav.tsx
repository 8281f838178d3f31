'use client'
import Link from 'next/link'
import { usePathname, useRouter } from 'next/navigation'

const SECTIONS = [
  ['', 'Dashboard'],
  ['/approvals', 'Approvals'],
  ['/social', 'Social'],
  ['/runs', 'Runs'],
  ['/agents', 'Agents'],
  ['/integrations', 'Integrations'],
  ['/webhooks', 'Webhooks'],
  ['/users', 'Users'],
  ['/audit', 'Audit log'],
  ['/analytics', 'Analytics'],
] as const

/** Sections only tenant-admins have (their pages are 404 for everyone else); integrations are read-only for others. */
const ADMIN_ONLY = new Set<string>(['/users', '/audit'])

/** What the header needs of a tenant (the client gets no more of the session than this). */
export interface NavTenant {
  id: string
  name: string
}

export function Nav({ tenant, tenants, role }: { tenant: NavTenant; tenants: NavTenant[]; role: string }) {
  const pathname = usePathname()
  const router = useRouter()
  const base = `/t/${tenant.id}`
  return (
    <>
      <strong>BizOSaaS</strong>
      {tenants.length > 1 ? (
        <select
          aria-label="Tenant"
          value={tenant.id}
          style={{ width: 'auto', display: 'inline' }}
          onChange={(e) => router.push(`/t/${e.target.value}`)}
        >
          {tenants.map((t) => (
            <option key={t.id} value={t.id}>
              {t.name}
            </option>
          ))}
        </select>
      ) : (
        <span data-tenant-name>{tenant.name}</span>
      )}
      {SECTIONS.filter(([path]) => !ADMIN_ONLY.has(path) || role === 'tenant-admin' || role === 'super-admin').map(
        ([path, label]) => {
          const href = `${base}${path}`
          const current = path === '' ? pathname === base : pathname.startsWith(href)
          return (
            <Link key={path} href={href} aria-current={current ? 'page' : undefined}>
              {label}
            </Link>
          )
        },
      )}
    </>
  )
}
