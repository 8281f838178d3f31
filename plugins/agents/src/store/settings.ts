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

/** The settings columns, for statements that read settings beside something else (`s` is `agent_settings`). */
export const SETTINGS_COLUMNS = `s.id AS settings_id, s.agent AS settings_agent, s.enabled, s.monthly_budget_usd,
  s.schedule, s.approval_policy,
  (SELECT array_agg(t.text ORDER BY t."order") FROM agent_settings_texts t
    WHERE t.parent_id = s.id AND t.path = 'models') AS models`

/** What `SETTINGS_COLUMNS` reads (all null when the tenant saved no settings for the agent). */
export interface SettingsRecord {
  settings_id: Id | null
  settings_agent: string | null
  enabled: boolean | null
  models: string[] | null
  monthly_budget_usd: string | null
  schedule: string | null
  approval_policy: 'default' | 'always' | 'never' | null
}

export const toSettings = (row: SettingsRecord | undefined): AgentSettingsRow | undefined =>
  row?.settings_id == null
    ? undefined
    : {
        id: row.settings_id,
        agent: row.settings_agent ?? '',
        enabled: row.enabled,
        models: row.models ?? [],
        monthlyBudgetUsd: row.monthly_budget_usd == null ? null : Number(row.monthly_budget_usd),
        schedule: row.schedule,
        approvalPolicy: row.approval_policy,
      }

/**
 * The tenant's settings for an agent, if any were saved (no row: enabled with the agent's defaults),
 * with its model chain in order. Read on every run start, so one SQL statement rather than a Local API find.
 */
export async function loadSettings(payload: Payload, tenant: Id, agent: string): Promise<AgentSettingsRow | undefined> {
  const { rows } = await poolOf(payload).query<SettingsRecord>(
    `SELECT ${SETTINGS_COLUMNS} FROM agent_settings s WHERE s.tenant_id = $1 AND s.agent = $2 LIMIT 1`,
    [tenant, agent],
  )
  return toSettings(rows[0])
}
