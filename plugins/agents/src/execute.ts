/** How a queued job runs inside Payload: tenant settings applied, events persisted as rows. */
import { type AnyAgent, runAgent } from '@bizosaas/agents'
import type { ExecuteRun } from '@bizosaas/agents/queue'
import type { Payload } from 'payload'
import { pluginConfigOf } from './defaults.ts'
import { loadSettings, tenantBudgetGuard } from './runs.ts'
import { payloadSink } from './sink.ts'
import { loadRunState } from './state.ts'
import type { Id } from './types.ts'

const tenantId = (value: string | undefined): Id | undefined =>
  value === undefined ? undefined : Number.isNaN(Number(value)) ? value : Number(value)

/** Runs one queued job: tenant settings (enabled, models, approval policy, budget) applied, state in rows. */
export function payloadExecute(payload: Payload): ExecuteRun {
  const config = pluginConfigOf(payload)
  const sink = payloadSink(payload, { approvalTtlHours: config.approvalTtlHours })
  return async (job) => {
    const tenant = tenantId(job.tenant)
    const settings = tenant === undefined ? undefined : await loadSettings(payload, tenant, job.agent.slug)
    const policy = settings?.approvalPolicy ?? 'default'
    const agent: AnyAgent = policy === 'default' ? job.agent : { ...job.agent, approval: policy === 'always' }
    // Disabled after it was queued: the run ends cancelled, with the reason.
    const signal =
      settings?.enabled === false ? AbortSignal.abort('the agent was disabled for this tenant') : job.signal
    const saved = job.attempt > 0 ? await loadRunState(payload, job.runId) : undefined
    return runAgent(agent, job.input as never, {
      runId: job.runId,
      tenant: job.tenant,
      signal,
      sink,
      services: { payload },
      model: settings?.models?.length ? settings.models : config.models?.length ? config.models : undefined,
      providers: config.runtime?.providers,
      budgetGuards: [
        ...(tenant === undefined ? [] : [tenantBudgetGuard(payload, tenant, settings)]),
        ...(config.runtime?.budgetGuards ?? []),
      ],
      // Only a run cut off mid-way resumes; one that finished is not run again.
      ...(saved?.status === 'running' && saved.messages.length ? { resume: saved } : {}),
    })
  }
}
