/** `GET /api/agents/stats`: a tenant's agent activity per day, for dashboards (the portal's). */

import type { Endpoint } from 'payload'
import { z } from 'zod'
import { pluginConfigOf } from '../config.ts'
import { AgentsError } from '../errors.ts'
import { dailyRunFigures } from '../store/stats.ts'
import { handle } from './http.ts'
import { accessOf, requireUser, resolveTenant } from './tenant.ts'

const statsQuery = z.object({
  days: z.coerce
    .number({ error: 'days must be a whole number of days' })
    .int('days must be a whole number of days')
    .min(1, 'days must be at least 1')
    .max(366, 'days can be at most 366')
    .default(30),
})

/**
 * Runs, failed runs and spend (USD) per UTC day over the last `?days=` (30 by default, up to 366), and
 * the tenant's pending approvals. Any member of the tenant may read it (clients included); another
 * tenant answers 404.
 */
export const agentStatsEndpoint: Endpoint = {
  path: '/agents/stats',
  method: 'get',
  handler: handle(async (req) => {
    requireUser(req)
    const tenant = resolveTenant(req, accessOf(pluginConfigOf(req.payload)))
    const parsed = statsQuery.safeParse({ days: req.searchParams.get('days') ?? undefined })
    if (!parsed.success) throw new AgentsError(400, parsed.error.issues.map((issue) => issue.message).join('; '))
    const { days, pendingApprovals } = await dailyRunFigures(req.payload, tenant, parsed.data.days)
    const totals = days.reduce(
      (sum, day) => ({
        runs: sum.runs + day.runs,
        failed: sum.failed + day.failed,
        spendUsd: sum.spendUsd + day.spendUsd,
      }),
      { runs: 0, failed: 0, spendUsd: 0 },
    )
    return Response.json({ tenant, days, totals, pendingApprovals }, { headers: { 'cache-control': 'no-store' } })
  }),
}
