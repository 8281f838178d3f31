/** The dashboard's figures: runs and spend per day, pending approvals, failing runs, and orders from Medusa. */
import { cmsFetch, selectQuery, whereQuery } from '@lib/data/cms'
import type { Run } from '@lib/data/runs'
import { portalEnv } from '@lib/env'

export interface DayFigure {
  day: string
  runs: number
  failed: number
  spendUsd: number
}

export interface OrdersFigure {
  available: boolean
  note?: string
  days: { day: string; orders: number; revenue: number }[]
  currency?: string
}

const DAYS = 30

function lastDays(n: number): string[] {
  const out: string[] = []
  const today = new Date()
  for (let i = n - 1; i >= 0; i--) out.push(new Date(today.getTime() - i * 86_400_000).toISOString().slice(0, 10))
  return out
}

/** Runs, failures and spend per day over the last 30 days: one SQL aggregate in the CMS (`GET /api/agents/stats`). */
export async function runFigures(token: string, tenant: string): Promise<{ days: DayFigure[]; total: number }> {
  const res = await cmsFetch<{ days: DayFigure[]; totals: { runs: number } }>(
    `/agents/stats?tenant=${encodeURIComponent(tenant)}&days=${DAYS}`,
    { token },
  )
  if (!res.ok) return { days: lastDays(DAYS).map((day) => ({ day, runs: 0, failed: 0, spendUsd: 0 })), total: 0 }
  return { days: res.body.days, total: res.body.totals.runs }
}

/** A failing run as the dashboard lists it. */
export type FailingRun = Pick<Run, 'id' | 'agent' | 'error'>

export async function failingRuns(token: string, tenant: string, limit = 5) {
  const q = whereQuery({ tenant: { equals: tenant }, status: { equals: 'failed' } })
  const res = await cmsFetch<{ docs: FailingRun[]; totalDocs: number }>(
    `/agent-runs?${q}&${selectQuery(['agent', 'error'])}&sort=-createdAt&depth=0&limit=${limit}`,
    { token },
  )
  return res.ok
    ? {
        docs: res.body.docs.map((r) => ({ id: r.id, agent: r.agent, error: r.error ?? null })),
        total: res.body.totalDocs,
      }
    : { docs: [], total: 0 }
}

/**
 * Orders per day from Medusa for the tenant's sales channel (from the session: the user's tenants are
 * read with it). Degrades to a note when Medusa is not
 * configured for the portal, the tenant has no shop, or Medusa does not answer.
 */
export async function orderFigures(channel: string | null): Promise<OrdersFigure> {
  const env = portalEnv()
  if (!channel) return { available: false, days: [], note: 'This tenant has no shop linked in Medusa yet.' }
  if (!env.MEDUSA_URL || !env.MEDUSA_API_KEY)
    return {
      available: false,
      days: [],
      note: 'Orders need MEDUSA_URL and MEDUSA_API_KEY (a secret admin key) set for the portal.',
    }
  const days = lastDays(DAYS)
  try {
    const res = await fetch(
      `${env.MEDUSA_URL}/admin/orders?sales_channel_id[]=${encodeURIComponent(channel)}&created_at[$gte]=${days[0]}&fields=id,total,currency_code,created_at&limit=1000`,
      {
        headers: { authorization: `Basic ${Buffer.from(`${env.MEDUSA_API_KEY}:`).toString('base64')}` },
        signal: AbortSignal.timeout(5_000),
        cache: 'no-store',
      },
    )
    if (!res.ok) return { available: false, days: [], note: `Medusa answered ${res.status}; orders are not shown.` }
    const body = (await res.json()) as { orders: { total: number; currency_code: string; created_at: string }[] }
    const byDay = new Map(days.map((d) => [d, { day: d, orders: 0, revenue: 0 }]))
    for (const o of body.orders) {
      const f = byDay.get(o.created_at.slice(0, 10))
      if (!f) continue
      f.orders++
      f.revenue += Number(o.total) || 0
    }
    return { available: true, days: [...byDay.values()], currency: body.orders[0]?.currency_code?.toUpperCase() }
  } catch {
    return {
      available: false,
      days: [],
      note: `Medusa at ${env.MEDUSA_URL} could not be reached; orders are not shown.`,
    }
  }
}
