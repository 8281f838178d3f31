/** The tenant's agent catalogue (`GET /api/agents`) and its per-agent settings (`agent-settings`). */

import { cmsErrorMessage, cmsFetch, whereQuery } from '@lib/data/cms'
import { z } from 'zod'

export interface AgentListing {
  slug: string
  label: string
  description?: string
  approval?: string
  targets: string[]
  schedulable: boolean
  defaultCron: string | null
  inputSchema?: JsonSchema
  settings: AgentSettingsValues | null
}

export interface JsonSchema {
  type?: string
  properties?: Record<string, JsonSchema>
  required?: string[]
  description?: string
  enum?: unknown[]
  items?: JsonSchema
  default?: unknown
  minimum?: number
  maximum?: number
}

export interface AgentSettingsValues {
  models: string[]
  monthlyBudgetUsd: number | null
  approvalPolicy: string
  schedule: string | null
}

export interface AgentCatalogue {
  can: { run: boolean; review: boolean; configure: boolean }
  agents: (AgentListing & { enabled: boolean })[]
}

interface SettingsRow {
  id: number
  agent: string
  enabled?: boolean | null
  models?: string[] | null
  monthlyBudgetUsd?: number | null
  schedule?: string | null
  approvalPolicy?: string | null
}

async function settingsRows(token: string, tenant: string): Promise<SettingsRow[]> {
  const res = await cmsFetch<{ docs: SettingsRow[] }>(
    `/agent-settings?${whereQuery({ tenant: { equals: tenant } })}&depth=0&limit=200`,
    { token },
  )
  return res.ok ? res.body.docs : []
}

/** Enabled agents from `GET /api/agents`, plus the ones this tenant switched off (which that endpoint hides). */
export async function agentCatalogue(token: string, tenant: string): Promise<AgentCatalogue | null> {
  const res = await cmsFetch<{ can: AgentCatalogue['can']; agents: AgentListing[] }>(`/agents?tenant=${tenant}`, {
    token,
  })
  if (!res.ok) return null
  const rows = await settingsRows(token, tenant)
  const agents = res.body.agents.map((a) => ({ ...a, enabled: true }))
  for (const row of rows)
    if (row.enabled === false && !agents.some((a) => a.slug === row.agent))
      agents.push({
        slug: row.agent,
        label: row.agent.replace(/-/g, ' ').replace(/^./, (c) => c.toUpperCase()),
        targets: [],
        schedulable: false,
        defaultCron: null,
        enabled: false,
        settings: {
          models: row.models ?? [],
          monthlyBudgetUsd: row.monthlyBudgetUsd ?? null,
          approvalPolicy: row.approvalPolicy ?? 'default',
          schedule: row.schedule ?? null,
        },
      })
  return { can: res.body.can, agents: agents.sort((a, b) => a.label.localeCompare(b.label)) }
}

export const settingsInput = z.object({
  enabled: z.boolean(),
  models: z.array(z.string().trim().min(1)).max(5),
  monthlyBudgetUsd: z.number().nullable(),
  schedule: z.string().trim().nullable(),
  approvalPolicy: z.enum(['default', 'always', 'never']),
})
export type SettingsInput = z.infer<typeof settingsInput>

/**
 * Saves one agent's settings for the tenant (creating the row the first time). The CMS validates them
 * (cron, budget ≥ 0, provider:model) and names the field it refuses.
 */
export async function saveAgentSettings(token: string, tenant: string, agent: string, values: SettingsInput) {
  const existing = (await settingsRows(token, tenant)).find((r) => r.agent === agent)
  const data = { ...values, schedule: values.schedule || null }
  const res = existing
    ? await cmsFetch(`/agent-settings/${existing.id}`, { token, method: 'PATCH', body: data })
    : await cmsFetch('/agent-settings', { token, method: 'POST', body: { ...data, agent, tenant: Number(tenant) } })
  return res.ok ? { ok: true as const } : { ok: false as const, error: cmsErrorMessage(res.body), status: res.status }
}
