/**
 * The spend figures the catalog audit budgets with, from the agents plugin's run and step tables.
 */
import { agentRunStats, type Id, monthlySpendUsd } from '@bizosaas/plugin-agents'
import type { Payload } from 'payload'
import type { DescriptionBudget } from './catalog.ts'

/**
 * A tenant's spend on an agent this calendar month (UTC, the agents plugin's budget month), the
 * average cost of its finished runs that cost anything, and its runs queued or running.
 */
export async function agentCosts(
  payload: Payload,
  tenant: Id,
  agent: string,
): Promise<Omit<DescriptionBudget, 'monthlyBudgetUsd'>> {
  const [spentUsd, stats] = await Promise.all([
    monthlySpendUsd(payload, tenant, agent),
    agentRunStats(payload, tenant, agent),
  ])
  return { spentUsd, ...stats }
}
