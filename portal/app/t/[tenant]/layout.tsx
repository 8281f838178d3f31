import { requireTenant } from '@lib/session'
import { TenantShell } from '@modules/layout/templates/tenant-shell'
import type { ReactNode } from 'react'

/** Every tenant page: signed in and a member of the tenant in the URL (else 404). */
export default async function TenantLayout({
  children,
  params,
}: {
  children: ReactNode
  params: Promise<{ tenant: string }>
}) {
  const ctx = await requireTenant((await params).tenant)
  return <TenantShell ctx={ctx}>{children}</TenantShell>
}
