/**
 * A tenant's monthly budget per agent: refused before a run is queued, and checked again before every
 * model call while it runs (a guard the runtime calls).
 */
import type { BudgetGuard } from '@bizosaas/agents'
import type { Payload } from 'payload'
import { AgentsError } from '../errors.ts'
import type { AgentSettingsRow } from '../store/settings.ts'
import { monthlySpendUsd } from '../store/stats.ts'
import type { Id } from '../types.ts'

/** 402 when the tenant's monthly budget for the agent is already spent (no budget set: never). */
export async function refuseOverBudget(
  payload: Payload,
  tenant: Id,
  agent: string,
  settings: AgentSettingsRow | undefined,
): Promise<void> {
  const budget = settings?.monthlyBudgetUsd
  if (budget == null) return
  const spent = await monthlySpendUsd(payload, tenant, agent)
  if (spent >= budget)
    throw new AgentsError(
      402,
      `The monthly budget of $${budget} for "${agent}" is used up ($${spent.toFixed(4)} spent). Raise it in the agent settings or wait for next month.`,
    )
}

/** Refuses a model call once the tenant's monthly budget for the agent is spent. */
export function tenantBudgetGuard(payload: Payload, tenant: Id, settings: AgentSettingsRow | undefined): BudgetGuard {
  return {
    async check(scope) {
      const budget = settings?.monthlyBudgetUsd
      if (budget == null) return { ok: true }
      const spent = await monthlySpendUsd(payload, tenant, scope.agent)
      return spent >= budget
        ? {
            ok: false,
            reason: `the monthly budget of $${budget} for "${scope.agent}" is used up ($${spent.toFixed(4)} spent)`,
          }
        : { ok: true }
    },
  }
}
