/** A tenant's settings for an agent, read on every run start and every job. */
import type { Payload } from 'payload'
import type { Id } from '../types.ts'
import { poolOf } from './db.ts'

export interface AgentSettingsRow {
  id: Id
  agent: string
  enabled?: boolean | null
  models?: string[] | null
  monthlyBudgetUsd?: number | null
  schedule?: string | null
  approvalPolicy?: 'default' | 'always' | 'never' | null
}

/**
 * The tenant's settings for an agent, if any were saved (no row: enabled with the agent's defaults),
 * with its model chain in order. Read on every run, so one SQL statement rather than a Local API find.
 */
export async function loadSettings(payload: Payload, tenant: Id, agent: string): Promise<AgentSettingsRow | undefined> {
  const { rows } = await poolOf(payload).query<{
    id: Id
    agent: string
    enabled: boolean | null
    models: string[] | null
    monthly_budget_usd: string | null
    schedule: string | null
    approval_policy: 'default' | 'always' | 'never' | null
  }>(
    `SELECT s.id, s.agent, s.enabled, s.monthly_budget_usd, s.schedule, s.approval_policy,
            (SELECT array_agg(t.text ORDER BY t."order") FROM agent_settings_texts t
              WHERE t.parent_id = s.id AND t.path = 'models') AS models
       FROM agent_settings s WHERE s.tenant_id = $1 AND s.agent = $2 LIMIT 1`,
    [tenant, agent],
  )
  const row = rows[0]
  if (!row) return undefined
  return {
    id: row.id,
    agent: row.agent,
    enabled: row.enabled,
    models: row.models ?? [],
    monthlyBudgetUsd: row.monthly_budget_usd == null ? null : Number(row.monthly_budget_usd),
    schedule: row.schedule,
    approvalPolicy: row.approval_policy,
  }
}
