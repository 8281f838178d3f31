/** Queue health: live counts per agent queue and its dead-letter queue, in one statement. */
import type { PgBoss } from 'pg-boss'
import type { AnyAgent } from '../agent.ts'
import { deadLetterName, JOB_STATE, queueName } from './constants.ts'
import { countLiveJobs } from './sql.ts'

/** Live counts of one agent's queue, for the admin's queue health. */
export interface QueueHealth {
  agent: string
  queue: string
  deadLetterQueue: string
  /** Ready to run now. */
  queued: number
  /** Waiting for their `startAfter`. */
  deferred: number
  active: number
  /** Failed at least once and waiting for their next attempt. */
  retrying: number
  /** Failed for good and still retained in the agent's queue (each also went to the dead-letter queue). */
  failed: number
  /** Waiting in `agent.<slug>.dead` for a look or a redrive. */
  deadLettered: number
}

type CountRow = { name: string; state: string; deferred: boolean; count: number }

/** Reads the live counts of the agents' queues. */
export async function queueHealth(boss: PgBoss, schema: string, agents: readonly AnyAgent[]): Promise<QueueHealth[]> {
  const names = agents.flatMap((agent) => [queueName(agent.slug), deadLetterName(agent.slug)])
  const { rows } = await boss.getDb().executeSql(countLiveJobs(schema), [names])
  const count = (name: string, match: (row: CountRow) => boolean) =>
    (rows as CountRow[])
      .filter((row) => row.name === name && match(row))
      .reduce((sum, row) => sum + Number(row.count), 0)
  return agents.map((agent) => {
    const name = queueName(agent.slug)
    const dead = deadLetterName(agent.slug)
    return {
      agent: agent.slug,
      queue: name,
      deadLetterQueue: dead,
      queued: count(name, (r) => r.state === JOB_STATE.created && !r.deferred),
      deferred: count(name, (r) => r.state === JOB_STATE.created && r.deferred),
      active: count(name, (r) => r.state === JOB_STATE.active),
      retrying: count(name, (r) => r.state === JOB_STATE.retry),
      failed: count(name, (r) => r.state === JOB_STATE.failed),
      deadLettered: count(dead, (r) => r.state === JOB_STATE.created || r.state === JOB_STATE.retry),
    }
  })
}
