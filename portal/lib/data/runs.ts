/** Agent runs of one tenant: the list with filters, one run, and starting (or retrying) a run. */

import { cmsErrorMessage, cmsFetch, selectQuery, whereQuery } from '@lib/data/cms'
import { z } from 'zod'

export interface Run {
  id: number
  runId: string
  agent: string
  status: string
  input?: Record<string, unknown> | null
  output?: unknown
  error?: { message?: string } | null
  usage?: { inputTokens?: number; outputTokens?: number } | null
  costUsd?: number | null
  model?: string | null
  offline?: boolean | null
  /** Whose model key paid: the tenant's own, the platform's, or none (the offline mock). */
  keySource?: 'tenant' | 'platform' | 'offline' | null
  startedAt?: string | null
  finishedAt?: string | null
  durationMs?: number | null
  createdAt: string
  tenant: number | { id: number }
}

export const RUN_STATUSES = [
  'queued',
  'running',
  'awaiting-approval',
  'succeeded',
  'rejected',
  'failed',
  'cancelled',
] as const

export const runFilters = z.object({
  agent: z
    .string()
    .regex(/^[a-z0-9-]{1,64}$/)
    .optional()
    .catch(undefined),
  status: z.enum(RUN_STATUSES).optional().catch(undefined),
  from: z.iso.date().optional().catch(undefined),
  to: z.iso.date().optional().catch(undefined),
})
export type RunFilters = z.infer<typeof runFilters>

/** A row of the runs list: the columns it shows. */
export type RunRow = Pick<Run, 'id' | 'agent' | 'status' | 'costUsd' | 'createdAt'>
const RUN_ROW_FIELDS = ['agent', 'status', 'costUsd', 'createdAt'] as const

export async function listRuns(token: string, tenant: string, filters: RunFilters = {}, limit = 50) {
  const q = whereQuery({
    tenant: { equals: tenant },
    agent: { equals: filters.agent },
    status: { equals: filters.status },
    createdAt: {
      greater_than_equal: filters.from,
      less_than_equal: filters.to ? `${filters.to}T23:59:59.999Z` : undefined,
    },
  })
  const res = await cmsFetch<{ docs: RunRow[]; totalDocs: number }>(
    `/agent-runs?${q}&${selectQuery(RUN_ROW_FIELDS)}&sort=-createdAt&depth=0&limit=${limit}`,
    {
      token,
    },
  )
  return res.ok ? { docs: res.body.docs, total: res.body.totalDocs } : { docs: [], total: 0 }
}

/** One run, only if it is this tenant's. */
export async function getRun(token: string, tenant: string, id: string): Promise<Run | null> {
  if (!/^\d+$/.test(id)) return null
  const res = await cmsFetch<Run>(`/agent-runs/${id}?depth=0`, { token })
  const t = res.ok ? res.body.tenant : undefined
  return res.ok && String(typeof t === 'object' ? t?.id : t) === tenant ? res.body : null
}

export async function startRun(token: string, tenant: string, agent: string, input: unknown) {
  const res = await cmsFetch<{ id: number; runId: string }>(`/agents/${encodeURIComponent(agent)}/runs`, {
    token,
    method: 'POST',
    body: { tenant: Number(tenant), input },
  })
  return res.ok ? { ok: true as const, id: res.body.id } : { ok: false as const, error: cmsErrorMessage(res.body) }
}

/** Statuses a run can be cancelled in (the CMS refuses the rest with a 409 that says why). */
export const CANCELLABLE_STATUSES: readonly string[] = ['queued', 'running']

/**
 * Cancels a queued or running run of this tenant (`POST /api/agent-runs/:id/cancel` with the user's JWT
 * and the page's tenant: the CMS checks the role, and answers 404 for a run of any other tenant).
 */
export async function cancelRun(
  token: string,
  tenant: string,
  id: string,
): Promise<{ ok: true; status: string } | { ok: false; error: string }> {
  const res = await cmsFetch<{ status: string }>(`/agent-runs/${encodeURIComponent(id)}/cancel`, {
    token,
    method: 'POST',
    body: { tenant: Number(tenant) },
  })
  return res.ok ? { ok: true, status: res.body.status } : { ok: false, error: cmsErrorMessage(res.body) }
}
