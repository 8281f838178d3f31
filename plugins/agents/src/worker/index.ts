/**
 * Workers: the agents' queues (`execute.ts`), the apply queue (`apply.ts`) and the approval expiry
 * loop (`expiry.ts`), with the Payload Local API. `pnpm worker` runs
 * this in its own process (run several to scale); `pnpm dev` runs one inside the CMS.
 */
import type { AgentWorkers, CrashRecoveryOptions } from '@bizosaas/agents/queue'
import type { Payload } from 'payload'
import { pluginConfigOf } from '../config.ts'
import { APPLY_QUEUE } from '../constants.ts'
import { syncSchedules } from '../runs/schedules.ts'
import { agentQueueOf, dropAgentQueue } from '../store/queue.ts'
import { startApplyWorker } from './apply.ts'
import { recordDeadLetters } from './dead-letters.ts'
import { payloadExecute } from './execute.ts'
import { expireApprovalsNow } from './expiry.ts'

export interface AgentsWorkerOptions {
  /** Runs in flight per agent queue in this process. @default 10 */
  concurrency?: number
  /** One tenant's runs in flight per agent queue. @default 5 */
  perTenantConcurrency?: number
  /** How often pending approvals are checked for expiry, in ms. @default 60000 */
  expiryIntervalMs?: number
  /**
   * How a dead worker's runs and applies are found and handed back (see `@bizosaas/agents/queue`, "Crashes");
   * the apply queue is always included. Every worker process must use the same timings.
   * @default heartbeat every 2 s, handed back after 6 s, swept every second, 5 crashes per run
   */
  crashRecovery?: Omit<CrashRecoveryOptions, 'queues'>
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
  // Deploys add, drop and change agents: bring the tenants' schedules back in line with their settings.
  const synced = await syncSchedules(payload)
  if (synced.removed.length || synced.failed.length)
    payload.logger.info(
      { removed: synced.removed, failed: synced.failed },
      `agents: schedules synced (${synced.scheduled.length} from settings)`,
    )
  const workers = await queue.startWorkers({
    execute: payloadExecute(payload),
    concurrency: options.concurrency ?? 10,
    perTenantConcurrency: options.perTenantConcurrency ?? 5,
    // A killed worker's runs and applies resume elsewhere within seconds; dead-lettered runs end `failed`.
    crashRecovery: { ...options.crashRecovery, queues: [APPLY_QUEUE] },
    onDeadLetter: recordDeadLetters(payload),
  })
  await startApplyWorker(payload, queue, options.crashRecovery?.heartbeatRefreshSeconds)
  const expire = () => expireApprovalsNow(payload)
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
