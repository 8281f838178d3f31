/**
 * Setting up the binding: the owned pg-boss instance, every agent's queue and dead-letter queue brought to
 * the configured policy, and the default way a job runs (`runAgent` with the queue's sink and options).
 */
import { PgBoss } from 'pg-boss'
import type { AnyAgent } from '../agent.ts'
import { runAgent } from '../run.ts'
import { deadLetterName, queueName } from './constants.ts'
import { type AgentQueueOptions, type ExecuteRun, type QueuePolicy, resolvePolicy } from './options.ts'

/** The pg-boss instance the queue owns when given a connection string (LISTEN/NOTIFY on). */
export function ownedBoss(config: { connectionString?: string; schema: string; pgBoss?: Record<string, unknown> }) {
  return new PgBoss({
    connectionString: config.connectionString,
    schema: config.schema,
    useListenNotify: true,
    application_name: 'bizosaas-agents',
    ...config.pgBoss,
  })
}

/** Creates or updates every agent's queue and its dead-letter queue with the resolved policy. */
export async function ensureQueues(
  boss: PgBoss,
  agents: readonly AnyAgent[],
  config: { policy?: QueuePolicy; policies?: Record<string, QueuePolicy>; notify: boolean },
): Promise<void> {
  for (const agent of agents) {
    const policy = resolvePolicy(agent, config.policy, config.policies?.[agent.slug])
    await ensureDeadLetterQueue(boss, agent, policy)
    await ensureAgentQueue(boss, agent, policy, config.notify)
  }
}

async function ensureDeadLetterQueue(boss: PgBoss, agent: AnyAgent, policy: ReturnType<typeof resolvePolicy>) {
  const dead = deadLetterName(agent.slug)
  const options = { retentionSeconds: policy.deadLetterRetentionSeconds, deleteAfterSeconds: policy.deleteAfterSeconds }
  await boss.createQueue(dead, options)
  await boss.updateQueue(dead, options)
}

async function ensureAgentQueue(
  boss: PgBoss,
  agent: AnyAgent,
  policy: ReturnType<typeof resolvePolicy>,
  notify: boolean,
): Promise<void> {
  const name = queueName(agent.slug)
  const options = {
    retryLimit: policy.retryLimit,
    retryDelay: policy.retryDelaySeconds,
    retryBackoff: policy.retryBackoff,
    expireInSeconds: policy.expireInSeconds,
    deleteAfterSeconds: policy.deleteAfterSeconds,
    retentionSeconds: policy.retentionSeconds,
    deadLetter: deadLetterName(agent.slug),
    notify,
  }
  // `exclusive`: at most one queued or active job per singleton key, which is what de-duplicates runs.
  // pg-boss only accepts a backoff cap together with backoff.
  const retryDelayMax = policy.retryBackoff ? policy.retryDelayMaxSeconds : undefined
  await boss.createQueue(name, {
    ...options,
    policy: 'exclusive',
    ...(retryDelayMax ? { retryDelayMax } : {}),
    ...(policy.heartbeatSeconds ? { heartbeatSeconds: policy.heartbeatSeconds } : {}),
  })
  // createQueue leaves an existing queue alone; this brings it to the configured policy.
  await boss.updateQueue(name, {
    ...options,
    retryDelayMax: retryDelayMax ?? null,
    heartbeatSeconds: policy.heartbeatSeconds,
  })
  const existing = await boss.getQueue(name)
  if (existing && existing.policy !== 'exclusive') {
    throw new Error(
      `Queue ${name} exists with policy "${existing.policy}"; agent queues need "exclusive" (de-duplication). ` +
        'Delete the queue (boss.deleteQueue) and start again.',
    )
  }
}

/** The default run of a job: `runAgent` with the queue's sink and run options, resuming a run cut off mid-way. */
export function runAgentExecute(config: Pick<AgentQueueOptions, 'sink' | 'runOptions' | 'loadState'>): ExecuteRun {
  const { sink, runOptions, loadState } = config
  return async (job) => {
    const extra = typeof runOptions === 'function' ? await runOptions(job) : (runOptions ?? {})
    const saved = job.attempt > 0 && loadState ? await loadState(job.runId, job) : undefined
    return runAgent(job.agent, job.input as never, {
      ...extra,
      sink: sink ?? extra.sink,
      runId: job.runId,
      tenant: job.tenant,
      signal: job.signal,
      // Only a run that was cut off mid-way resumes; a finished one starts over.
      ...(saved?.status === 'running' ? { resume: saved } : {}),
    })
  }
}
