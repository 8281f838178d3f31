/** Approvals of one tenant, and deciding them (the CMS's approve/reject endpoints do the checks). */
import { cmsErrorMessage, cmsFetch, selectQuery, whereQuery } from '@lib/data/cms'

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

/** A row of the approvals lists: what the tables show, no more (whole documents carry both versions of the content). */
export interface ApprovalRow {
  id: number
  agent: string
  target: { collection: string | null; docId: string | null }
  /** The first text of the proposal, at most 80 characters. */
  summary: string
  createdAt: string
}

const ROW_FIELDS = ['agent', 'target', 'proposed', 'createdAt'] as const

/** The first string value of a proposal, shortened for a table cell. */
export function proposalSummary(value: unknown): string {
  const text = typeof value === 'object' && value ? Object.values(value).find((v) => typeof v === 'string') : undefined
  return typeof text === 'string' ? (text.length > 80 ? `${text.slice(0, 80)}…` : text) : ''
}

export async function listApprovals(
  token: string,
  tenant: string,
  status = 'pending',
  limit = 50,
): Promise<{ docs: ApprovalRow[]; total: number }> {
  const q = whereQuery({ tenant: { equals: tenant }, status: { equals: status } })
  const res = await cmsFetch<{
    docs: Pick<Approval, 'id' | 'agent' | 'target' | 'proposed' | 'createdAt'>[]
    totalDocs: number
  }>(`/approvals?${q}&${selectQuery(ROW_FIELDS)}&sort=-createdAt&depth=0&limit=${limit}`, { token })
  if (!res.ok) return { docs: [], total: 0 }
  return {
    docs: res.body.docs.map((a) => ({
      id: a.id,
      agent: a.agent,
      target: { collection: a.target?.collection ?? null, docId: a.target?.docId ?? null },
      summary: proposalSummary(a.proposed),
      createdAt: a.createdAt,
    })),
    total: res.body.totalDocs,
  }
}

/** One approval, only if it is this tenant's. */
export async function getApproval(token: string, tenant: string, id: string): Promise<Approval | null> {
  if (!/^\d+$/.test(id)) return null
  const res = await cmsFetch<Approval>(`/approvals/${id}?depth=0`, { token })
  return res.ok && tenantIdOf(res.body.tenant) === tenant ? res.body : null
}

/** Approves one approval; `tenant` makes the CMS refuse (404) an approval of any other tenant. */
export async function approveApproval(token: string, tenant: string, id: string) {
  const res = await cmsFetch(`/approvals/${id}/approve`, { token, method: 'POST', body: { tenant: Number(tenant) } })
  return res.ok ? { ok: true as const } : { ok: false as const, error: cmsErrorMessage(res.body) }
}

export async function rejectApproval(token: string, tenant: string, id: string, feedback?: string, rerun = false) {
  const res = await cmsFetch(`/approvals/${id}/reject`, {
    token,
    method: 'POST',
    body: { feedback, rerun, tenant: Number(tenant) },
  })
  return res.ok ? { ok: true as const } : { ok: false as const, error: cmsErrorMessage(res.body) }
}
