/**
 * Workers: the agents' queues and the apply queue, with the Payload Local API. `pnpm worker` runs
 * this in its own process (run several to scale); `pnpm dev` runs one inside the CMS.
 */
import { applyRun } from '@bizosaas/agents'
import type { AgentWorkers } from '@bizosaas/agents/queue'
import type { Payload } from 'payload'
import type { Job } from 'pg-boss'
import { asAgentWrites } from './agent-writes.ts'
import { APPLY_QUEUE, APPROVAL_STATUS, RUN_STATUS } from './constants.ts'
import { pluginConfigOf } from './defaults.ts'
import { agentQueueOf, dropAgentQueue } from './queue.ts'
import { hostedAgent } from './registry.ts'
import { syncSchedules } from './schedules.ts'
import { payloadSink } from './sink.ts'
import { expireApprovals, markApplied, supersedeApprovals } from './sql.ts'
import { loadRunState } from './state.ts'
import type { Id } from './types.ts'

interface ApplyJobData {
  approvalId: Id
}

/** Applies an approved proposal. Safe to run twice: an applied approval or run is left alone. */
export async function applyApproval(
  payload: Payload,
  approvalId: Id,
): Promise<'applied' | 'already-applied' | 'skipped'> {
  const config = pluginConfigOf(payload)
  const approval = (await payload.findByID({
    collection: 'approvals' as never,
    id: approvalId,
    depth: 0,
    overrideAccess: true,
    disableErrors: true,
  })) as unknown as { id: Id; status: string; agent: string; runId: string } | null
  if (!approval) return 'skipped'
  if (approval.status === APPROVAL_STATUS.applied) return 'already-applied'
  if (approval.status !== APPROVAL_STATUS.approved) return 'skipped'
  const hosted = hostedAgent(payload, approval.agent)
  if (!hosted) throw new Error(`Agent "${approval.agent}" is no longer installed; cannot apply approval ${approval.id}`)
  const state = await loadRunState(payload, approval.runId)
  if (!state) throw new Error(`Run ${approval.runId} of approval ${approval.id} is gone`)
  if (!state.appliedAt) {
    const next = await asAgentWrites({ agent: approval.agent, runId: approval.runId }, () =>
      applyRun(hosted.agent, state, {
        services: { payload },
        sink: payloadSink(payload, { approvalTtlHours: config.approvalTtlHours }),
      }),
    )
    if (next.status === 'failed') {
      await payload.update({
        collection: 'approvals' as never,
        id: approval.id,
        data: { error: next.error?.message } as never,
        overrideAccess: true,
      })
      throw new Error(`Applying approval ${approval.id} failed: ${next.error?.message}`)
    }
  }
  if (!(await markApplied(payload, approval.id))) return 'already-applied'
  // Other proposals of this agent for the same document (and locale) are now stale: close them.
  const superseded = await supersedeApprovals(payload, approval.id)
  if (superseded.length)
    payload.logger.info({ approval: approval.id, superseded }, 'agents: closed proposals superseded by an applied one')
  return 'applied'
}

/** Sends an approved proposal to the apply queue (one job per approval). */
export async function enqueueApply(payload: Payload, approvalId: Id): Promise<void> {
  const queue = agentQueueOf(payload, pluginConfigOf(payload))
  await queue.start()
  await ensureApplyQueue(queue.boss)
  await queue.boss.send(APPLY_QUEUE, { approvalId } satisfies ApplyJobData, { singletonKey: `approval:${approvalId}` })
}

async function ensureApplyQueue(boss: ReturnType<typeof agentQueueOf>['boss']) {
  await boss.createQueue(APPLY_QUEUE, {
    policy: 'exclusive',
    retryLimit: 3,
    retryDelay: 5,
    retryBackoff: true,
    expireInSeconds: 300,
    notify: true,
  } as never)
}

export interface AgentsWorkerOptions {
  /** Runs in flight per agent queue in this process. @default 10 */
  concurrency?: number
  /** One tenant's runs in flight per agent queue. @default 5 */
  perTenantConcurrency?: number
  /** How often pending approvals are checked for expiry, in ms. @default 60000 */
  expiryIntervalMs?: number
}

export interface AgentsWorker {
  workers: AgentWorkers
  /** Stops fetching, lets in-flight runs finish within `graceMs`, hands the rest back to the queue. */
  stop(options?: { graceMs?: number }): Promise<void>
}

/** Starts the agent workers of this Payload process, after syncing the tenants' schedules with their settings. */
export async function startAgentsWorker(payload: Payload, options: AgentsWorkerOptions = {}): Promise<AgentsWorker> {
  const config = pluginConfigOf(payload)
  if (!config.enabled) throw new Error('@bizosaas/plugin-agents is disabled (enabled: false); no workers to start')
  const queue = agentQueueOf(payload, config)
  await queue.start()
  await ensureApplyQueue(queue.boss)
  // Deploys add, drop and change agents: bring the tenants' schedules back in line with their settings.
  const synced = await syncSchedules(payload)
  if (synced.removed.length || synced.failed.length)
    payload.logger.info(
      { removed: synced.removed, failed: synced.failed },
      `agents: schedules synced (${synced.scheduled.length} from settings)`,
    )
  const workers = await queue.startWorkers({
    concurrency: options.concurrency ?? 10,
    perTenantConcurrency: options.perTenantConcurrency ?? 5,
  })
  await queue.boss.work<ApplyJobData>(
    APPLY_QUEUE,
    { batchSize: 1, pollingIntervalSeconds: 1 },
    async ([job]: Job<ApplyJobData>[]) => {
      if (job) return applyApproval(payload, job.data.approvalId)
    },
  )
  const expire = async () => {
    try {
      const expired = await expireApprovals(payload)
      for (const runId of expired) {
        const run = await payload.find({
          collection: 'agent-runs' as never,
          where: { runId: { equals: runId } },
          limit: 1,
          overrideAccess: true,
        })
        const row = run.docs[0] as { id: Id; status: string } | undefined
        if (row?.status === RUN_STATUS.awaitingApproval)
          await payload.update({
            collection: 'agent-runs' as never,
            id: row.id,
            data: {
              status: RUN_STATUS.cancelled,
              error: { code: 'cancelled', message: 'the approval expired' },
            } as never,
            overrideAccess: true,
          })
      }
    } catch (error) {
      payload.logger.error({ err: error }, 'agents: expiring approvals failed')
    }
  }
  const timer = setInterval(expire, options.expiryIntervalMs ?? 60_000)
  timer.unref()
  void expire()
  return {
    workers,
    async stop({ graceMs = 30_000 } = {}) {
      clearInterval(timer)
      await queue.stop({ graceMs })
      dropAgentQueue(payload)
    },
  }
}
