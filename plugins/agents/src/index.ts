/**
 * `@bizosaas/plugin-agents`: hosts the BizOSaaS agent runtime in Payload. Adds the agent-runs,
 * agent-steps, approvals and agent-settings collections (always, so the schema never depends on a
 * flag), and — when enabled — the agents endpoints, collection triggers and worker lifecycle.
 */
import type { Config } from 'payload'
import { agentRunsCollection } from './collections/agent-runs.ts'
import { agentSettingsCollection } from './collections/agent-settings.ts'
import { agentStepsCollection } from './collections/agent-steps.ts'
import { approvalsCollection } from './collections/approvals.ts'
import { resolveConfig, storeConfig } from './config.ts'
import { COMPONENTS } from './constants.ts'
import { listAgentsEndpoint, queueHealthEndpoint, startRunEndpoint } from './endpoints/agents.ts'
import { approveEndpoint, rejectEndpoint } from './endpoints/approvals.ts'
import { cancelRunEndpoint } from './endpoints/cancel.ts'
import { runEventsEndpoint } from './endpoints/run-events.ts'
import { agentStatsEndpoint } from './endpoints/stats.ts'
import { registerAgents } from './runs/register.ts'
import { scheduleOnSettingsChange, unscheduleOnSettingsDelete } from './runs/schedules.ts'
import type { AgentsPluginConfig } from './types.ts'
import { startAgentsWorker } from './worker/index.ts'

export function agentsPlugin(options: AgentsPluginConfig) {
  const resolved = resolveConfig(options)
  return (incoming: Config): Config => {
    const config: Config = {
      ...incoming,
      collections: [...(incoming.collections ?? [])],
      custom: { ...incoming.custom },
    }
    storeConfig(config.custom as Record<string, unknown>, resolved)
    const { access, collectionOverrides: o = {} } = resolved
    const runs = agentRunsCollection(access, o['agent-runs'])
    const approvals = approvalsCollection(access, o.approvals)
    const settings = agentSettingsCollection(access, o['agent-settings'])
    config.collections!.push(runs, agentStepsCollection(access, o['agent-steps']), approvals, settings)
    if (!resolved.enabled) return config

    registerAgents(config, resolved.agents)
    config.endpoints = [
      ...(config.endpoints ?? []),
      listAgentsEndpoint,
      queueHealthEndpoint,
      agentStatsEndpoint,
      startRunEndpoint,
    ]
    config.admin = {
      ...config.admin,
      components: {
        ...config.admin?.components,
        beforeDashboard: [...(config.admin?.components?.beforeDashboard ?? []), COMPONENTS.queueHealth],
      },
    }
    runs.endpoints = [...(runs.endpoints || []), runEventsEndpoint, cancelRunEndpoint]
    approvals.endpoints = [...(approvals.endpoints || []), approveEndpoint, rejectEndpoint]
    // Settings drive the tenants' cron schedules (see schedules.ts).
    settings.hooks = {
      ...settings.hooks,
      afterChange: [...(settings.hooks?.afterChange ?? []), scheduleOnSettingsChange],
      afterDelete: [...(settings.hooks?.afterDelete ?? []), unscheduleOnSettingsDelete],
    }

    if (resolved.worker?.inProcess) {
      const previous = config.onInit
      config.onInit = async (payload) => {
        await previous?.(payload)
        const worker = await startAgentsWorker(payload, { concurrency: resolved.worker?.concurrency })
        payload.logger.info('agents: worker running in this process')
        const stop = () => void worker.stop({ graceMs: 5_000 })
        process.once('SIGTERM', stop)
        process.once('SIGINT', stop)
      }
    }
    return config
  }
}

export {
  type AgentModelsOption,
  DEFAULT_AGENT_MODELS,
  modelChainFor,
  sameContent,
} from './authoring.ts'
export {
  AGENT_COLLECTIONS,
  APPROVAL_STATUS,
  COMPONENTS,
  RUN_STATUS,
  SETTINGS_SCHEDULE_KEY,
  TRIGGER_KIND,
} from './constants.ts'
export {
  APPLY_CONTEXT,
  type DocumentData,
  type DocumentRef,
  type Id,
  type IdRef,
  idOf,
  payloadOf,
  type ReadOptions,
  readTenantDocument,
  requireTenantDocument,
  sameId,
  tenantRef,
  updateDocument,
} from './documents.ts'
export { AgentsError } from './errors.ts'
export { agentRegistry, hostedAgents } from './registry.ts'
export { registerAgents } from './runs/register.ts'
export {
  applySettingsSchedule,
  type ScheduleChange,
  type SyncSchedulesResult,
  syncSchedules,
} from './runs/schedules.ts'
export { type RefusedRun, type StartedRun, type StartRunArgs, startRun, startRuns } from './runs/start.ts'
export { enqueueApply } from './store/apply-queue.ts'
export { type AgentsHealth, agentsHealth } from './store/health.ts'
export { type AgentSettingsRow, loadSettings } from './store/settings.ts'
export { loadRunState } from './store/state.ts'
export {
  agentRunStats,
  type DailyRunFigure,
  dailyRunFigures,
  monthlySpendUsd,
  recordedToolOutputs,
} from './store/stats.ts'
export { documentTarget } from './target.ts'
export type * from './types.ts'
export { applyApproval } from './worker/apply.ts'
export { type AgentsWorker, type AgentsWorkerOptions, startAgentsWorker } from './worker/index.ts'
