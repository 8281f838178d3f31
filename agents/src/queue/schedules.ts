/** Cron schedules of agent runs: one per agent, tenant and key; a schedule never overlaps itself. */
import type { PgBoss } from 'pg-boss'
import { type AnyAgent, parseAgentInput } from '../agent.ts'
import { queueName, SINGLETON_KEY } from './constants.ts'
import { jobData } from './enqueue.ts'
import { parseOptions, type ScheduleOptions, scheduleOptionsSchema } from './options.ts'

/** A schedule as `schedule` created it. */
export interface ScheduleRef {
  queue: string
  key: string
}

/** Validates the input and options, then creates or replaces the schedule. */
export async function scheduleRuns(
  boss: PgBoss,
  agent: AnyAgent,
  cron: string,
  input: unknown,
  options: ScheduleOptions | undefined,
  ready: () => Promise<void>,
): Promise<ScheduleRef> {
  const opts = parseOptions(scheduleOptionsSchema, options, 'schedule')
  parseAgentInput(agent, input)
  await ready()
  const name = queueName(agent.slug)
  const key = scheduleKey(opts.tenant, opts.key)
  await boss.schedule(name, cron, jobData(input, undefined, opts.tenant, key), {
    key,
    // While the previous occurrence's run is queued or running, the next one is refused (exclusive queue).
    singletonKey: `${SINGLETON_KEY.schedule}${key}`,
    ...(opts.tz ? { tz: opts.tz } : {}),
    ...(opts.priority !== undefined ? { priority: opts.priority } : {}),
    ...(opts.tenant ? { group: { id: opts.tenant } } : {}),
    ...(opts.db ? { db: opts.db } : {}),
  })
  return { queue: name, key }
}

/** Removes a schedule. */
export async function unscheduleRuns(
  boss: PgBoss,
  agent: AnyAgent,
  options: Pick<ScheduleOptions, 'tenant' | 'key' | 'db'> | undefined,
  ready: () => Promise<void>,
): Promise<void> {
  const opts = parseOptions(scheduleOptionsSchema, options, 'unschedule')
  await ready()
  await boss.unschedule(queueName(agent.slug), scheduleKey(opts.tenant, opts.key), opts.db ? { db: opts.db } : {})
}

function scheduleKey(tenant: string | undefined, key: string): string {
  return `${tenant ?? '_'}/${key}`
}
