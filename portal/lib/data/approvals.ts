/** Approvals of one tenant, and deciding them (the CMS's approve/reject endpoints do the checks). */
import { cmsErrorMessage, cmsFetch, whereQuery } from '@lib/data/cms'

export interface Approval {
  id: number
  agent: string
  status: string
  runId: string
  agentRun?: number | { id: number }
  proposed: Record<string, unknown> | null
  current: Record<string, unknown> | null
  target?: { collection?: string | null; docId?: string | null }
  feedback?: string | null
  expiresAt?: string | null
  createdAt: string
  tenant: number | { id: number }
}

const tenantIdOf = (t: Approval['tenant']) => String(typeof t === 'object' ? t.id : t)

export async function listApprovals(token: string, tenant: string, status = 'pending', limit = 50) {
  const q = whereQuery({ tenant: { equals: tenant }, status: { equals: status } })
  const res = await cmsFetch<{ docs: Approval[]; totalDocs: number }>(
    `/approvals?${q}&sort=-createdAt&depth=0&limit=${limit}`,
    { token },
  )
  return res.ok ? { docs: res.body.docs, total: res.body.totalDocs } : { docs: [], total: 0 }
}

/** One approval, only if it is this tenant's. */
export async function getApproval(token: string, tenant: string, id: string): Promise<Approval | null> {
  if (!/^\d+$/.test(id)) return null
  const res = await cmsFetch<Approval>(`/approvals/${id}?depth=0`, { token })
  return res.ok && tenantIdOf(res.body.tenant) === tenant ? res.body : null
}

export async function approveApproval(token: string, id: string) {
  const res = await cmsFetch(`/approvals/${id}/approve`, { token, method: 'POST', body: {} })
  return res.ok ? { ok: true as const } : { ok: false as const, error: cmsErrorMessage(res.body) }
}

export async function rejectApproval(token: string, id: string, feedback?: string, rerun = false) {
  const res = await cmsFetch(`/approvals/${id}/reject`, { token, method: 'POST', body: { feedback, rerun } })
  return res.ok ? { ok: true as const } : { ok: false as const, error: cmsErrorMessage(res.body) }
}
