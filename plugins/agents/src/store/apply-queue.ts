/**
 * The apply queue's producer side: an approved proposal becomes one pg-boss job (singleton per
 * approval), which `worker/apply.ts` consumes.
 */
import type { Payload } from 'payload'
import { pluginConfigOf } from '../config.ts'
import { APPLY_QUEUE } from '../constants.ts'
import type { Id } from '../types.ts'
import { agentQueueOf } from './queue.ts'

export interface ApplyJobData {
  approvalId: Id
}

/** Sends an approved proposal to the apply queue (one job per approval). */
export async function enqueueApply(payload: Payload, approvalId: Id): Promise<void> {
  const queue = agentQueueOf(payload, pluginConfigOf(payload))
  await queue.start()
  await ensureApplyQueue(queue.boss)
  await queue.boss.send(APPLY_QUEUE, { approvalId } satisfies ApplyJobData, { singletonKey: `approval:${approvalId}` })
}

/**
 * pg-boss's own heartbeat expiry of an apply job (the backstop): the workers' crash sweep hands a dead
 * worker's applies back long before (see worker/index.ts).
 */
const APPLY_HEARTBEAT_SECONDS = 30

/** Creates the apply queue (idempotent). */
export async function ensureApplyQueue(boss: ReturnType<typeof agentQueueOf>['boss']) {
  await boss.createQueue(APPLY_QUEUE, {
    policy: 'exclusive',
    retryLimit: 3,
    retryDelay: 5,
    retryBackoff: true,
    expireInSeconds: 300,
    heartbeatSeconds: APPLY_HEARTBEAT_SECONDS,
    notify: true,
  } as never)
}

/** Brings an apply queue created before heartbeats to them (createQueue leaves an existing queue alone). */
export async function updateApplyQueue(boss: ReturnType<typeof agentQueueOf>['boss']) {
  await boss.updateQueue(APPLY_QUEUE, { heartbeatSeconds: APPLY_HEARTBEAT_SECONDS } as never)
}
