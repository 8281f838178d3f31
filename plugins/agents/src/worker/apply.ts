/**
 * Applying approved proposals: the apply queue's consumer. Safe to run twice (an applied approval or
 * run is left alone), so a worker killed mid-apply is simply retried.
 */
import { applyRun } from '@bizosaas/agents'
import { DEFAULT_CRASH_RECOVERY } from '@bizosaas/agents/queue'
import type { Payload } from 'payload'
import type { Job } from 'pg-boss'
import { asAgentWrites } from '../agent-writes.ts'
import { pluginConfigOf } from '../config.ts'
import { connectionService } from '../connections.ts'
import { APPLY_QUEUE, APPROVAL_STATUS } from '../constants.ts'
import { hostedAgent } from '../registry.ts'
import { type ApplyJobData, ensureApplyQueue, updateApplyQueue } from '../store/apply-queue.ts'
import { markApplied, supersedeApprovals } from '../store/approvals.ts'
import type { agentQueueOf } from '../store/queue.ts'
import { payloadSink } from '../store/sink.ts'
import { loadRunState } from '../store/state.ts'
import type { Id } from '../types.ts'

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
        services: {
          payload,
          connection: connectionService(payload, { agent: approval.agent, tenant: state.tenant }),
        },
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

/** Approvals claimed per fetch; full batches are fetched back to back. */
const APPLY_BATCH_SIZE = 5

/**
 * Works the apply queue in this process, one approval at a time. Batches of a few, fetched back to back
 * while they come back full: a batch of one waited a poll interval after each apply (about one apply a
 * second per process once approvals stopped arriving). Each job settles on its own: a failed apply is
 * failed (retried) alone, and pg-boss completes the rest. Heartbeats every `heartbeatRefreshSeconds`, so
 * the crash sweep hands a dead worker's applies back within seconds.
 */
export async function startApplyWorker(
  payload: Payload,
  queue: ReturnType<typeof agentQueueOf>,
  heartbeatRefreshSeconds: number = DEFAULT_CRASH_RECOVERY.heartbeatRefreshSeconds,
): Promise<void> {
  await ensureApplyQueue(queue.boss)
  await updateApplyQueue(queue.boss)
  await queue.boss.work<ApplyJobData>(
    APPLY_QUEUE,
    {
      batchSize: APPLY_BATCH_SIZE,
      burstWhenBatchFull: true,
      pollingIntervalSeconds: 1,
      heartbeatRefreshSeconds,
    },
    async (jobs: Job<ApplyJobData>[]) => {
      for (const job of jobs) {
        try {
          await applyApproval(payload, job.data.approvalId)
        } catch (error) {
          const message = error instanceof Error ? error.message : String(error)
          await queue.boss.fail(APPLY_QUEUE, { id: job.id, retryCount: job.retryCount }, { message })
        }
      }
    },
  )
}
