/**
 * `GET /api/agents/stats` on the real CMS: per-day runs, failures and spend from one SQL aggregate,
 * pending approvals, members only (clients included), another tenant's figures never shown.
 */

import { DEMO_PASSWORD, seed } from '@bizosaas/cms/seed'
import { startTestCms, type TestCms } from '@bizosaas/cms/test'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { poolOf } from './store/db.ts'

type Id = number

let cms: TestCms
let tenantA: Id
let tenantB: Id
const token: Record<string, string> = {}
const day = (offset: number) => new Date(Date.now() - offset * 86_400_000).toISOString().slice(0, 10)

async function run(tenant: Id, status: string, costUsd: number, createdAt: Date) {
  const runId = crypto.randomUUID()
  await cms.payload.create({
    collection: 'agent-runs' as never,
    data: { runId, agent: 'seo-meta', status, costUsd, tenant } as never,
    overrideAccess: true,
  })
  // Payload stamps createdAt itself; the history is written afterwards.
  await poolOf(cms.payload).query('UPDATE agent_runs SET created_at = $2 WHERE run_id = $1', [runId, createdAt])
}

beforeAll(async () => {
  cms = await startTestCms('agent_stats')
  await seed(cms.payload)
  const tenants = await cms.payload.find({ collection: 'tenants', depth: 0 })
  tenantA = tenants.docs.find((t) => t.slug === 'bizoholic')!.id as Id
  tenantB = tenants.docs.find((t) => t.slug === 'coreldove')!.id as Id
  for (const who of ['manager@bizoholic.dev', 'client@bizoholic.dev', 'manager@coreldove.dev'])
    token[who] = await cms.login(who, DEMO_PASSWORD)
  // Noon UTC keeps each run on its day whatever the machine's time zone.
  const at = (offset: number) => new Date(`${day(offset)}T12:00:00.000Z`)
  await run(tenantA, 'succeeded', 0.01, at(0))
  await run(tenantA, 'failed', 0.002, at(0))
  await run(tenantA, 'awaiting-approval', 0.02, at(2))
  await run(tenantA, 'succeeded', 1, at(40)) // outside the default 30 days
  await run(tenantB, 'failed', 5, at(0))
  await run(tenantB, 'succeeded', 5, at(1))
}, 240_000)

afterAll(async () => {
  await cms?.close()
})

describe('GET /api/agents/stats', () => {
  it('gives a tenant its runs, failures and spend per day, zeros included, and only its own', async () => {
    const res = await cms.rest.get('/agents/stats', token['manager@bizoholic.dev'])
    expect(res.status).toBe(200)
    const body = res.body as {
      tenant: Id
      days: { day: string; runs: number; failed: number; spendUsd: number }[]
      totals: { runs: number; failed: number; spendUsd: number }
      pendingApprovals: number
    }
    expect(body.tenant).toBe(tenantA)
    expect(body.days).toHaveLength(30)
    // The seed's published posts trigger agents in the background (runs today that spend nothing yet),
    // so today's count is at least the two written here.
    expect(body.days.at(-1)).toMatchObject({ day: day(0), failed: 1, spendUsd: 0.012 })
    expect(body.days.at(-1)!.runs).toBeGreaterThanOrEqual(2)
    expect(body.days.find((d) => d.day === day(1))).toEqual({ day: day(1), runs: 0, failed: 0, spendUsd: 0 })
    expect(body.days.find((d) => d.day === day(2))).toMatchObject({ runs: 1, failed: 0 })
    expect(body.totals).toMatchObject({
      runs: body.days.at(-1)!.runs + 1,
      failed: 1,
      spendUsd: expect.closeTo(0.032, 6),
    })

    const year = await cms.rest.get('/agents/stats?days=60', token['client@bizoholic.dev'])
    expect(year.status).toBe(200)
    expect((year.body as { totals: { runs: number } }).totals.runs).toBeGreaterThanOrEqual(body.totals.runs + 1)
    expect((year.body as { days: unknown[] }).days).toHaveLength(60)

    const other = await cms.rest.get('/agents/stats', token['manager@coreldove.dev'])
    const otherTotals = (other.body as { totals: { runs: number; failed: number; spendUsd: number } }).totals
    expect(otherTotals).toMatchObject({ failed: 1, spendUsd: 10 })
    expect(otherTotals.runs).toBeGreaterThanOrEqual(2)
  })

  it('refuses strangers, another tenant and a bad range with the reason', async () => {
    expect((await cms.rest.get('/agents/stats')).status).toBe(401)
    const foreign = await cms.rest.get(`/agents/stats?tenant=${tenantB}`, token['manager@bizoholic.dev'])
    expect(foreign.status).toBe(404)
    const bad = await cms.rest.get('/agents/stats?days=0', token['manager@bizoholic.dev'])
    expect(bad.status).toBe(400)
    expect((bad.body as { error: string }).error).toMatch(/days must be at least 1/)
    const words = await cms.rest.get('/agents/stats?days=lots', token['manager@bizoholic.dev'])
    expect(words.status).toBe(400)
    expect((words.body as { error: string }).error).toMatch(/days must be a whole number/)
  })
})
