import type { AgentsPluginConfig } from './types.ts'

export const DEFAULT_APPROVAL_TTL_HOURS = 24 * 7

export type ResolvedAgentsConfig = Required<Pick<AgentsPluginConfig, 'enabled' | 'approvalTtlHours' | 'agents'>> &
  Omit<AgentsPluginConfig, 'enabled' | 'approvalTtlHours' | 'agents'>

/** Fills in defaults once, at the top of the plugin. */
export function resolveConfig(options: AgentsPluginConfig): ResolvedAgentsConfig {
  return {
    ...options,
    enabled: options.enabled ?? true,
    approvalTtlHours: options.approvalTtlHours ?? DEFAULT_APPROVAL_TTL_HOURS,
    agents: options.agents ?? [],
  }
}

const RESOLVED_KEY = 'bizosaasAgentsConfig'

/** The resolved plugin options, kept on the Payload config so endpoints and workers read one copy. */
export function storeConfig(custom: Record<string, unknown>, config: ResolvedAgentsConfig): void {
  custom[RESOLVED_KEY] = config
}

export function pluginConfigOf(source: { config: { custom?: Record<string, unknown> } }): ResolvedAgentsConfig {
  const config = source.config.custom?.[RESOLVED_KEY] as ResolvedAgentsConfig | undefined
  if (!config) throw new Error('@bizosaas/plugin-agents is not installed in this Payload config')
  return config
}
