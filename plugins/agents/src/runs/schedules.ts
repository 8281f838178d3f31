/**
 * Scheduled agents: a tenant's agent settings (`enabled`, `schedule`) drive one pg-boss cron schedule
 * per tenant and agent (key `<tenant>/agent-settings` on the agent's queue). Saving or deleting
 * settings writes the schedule in the save's own transaction; `syncSchedules` reconciles the lot.
 */
import { type AgentJobData, QUEUE_PREFIX, queueName } from '@bizosaas/agents/queue'
import { APIError, type CollectionAfterChangeHook, type CollectionAfterDeleteHook, type Payload } from 'payload'
import type { Db } from 'pg-boss'
import { pluginConfigOf } from '../config.ts'
import { SETTINGS_SCHEDULE_KEY } from '../constants.ts'
import { type Id, idOf, sameId } from '../documents.ts'
import { hostedAgent } from '../registry.ts'
import { agentQueueOf, transactionDb } from '../store/queue.ts'
import type { AgentSettingsRow } from '../store/settings.ts'

type SettingsDoc = Partial<Omit<AgentSettingsRow, 'id'>> & { tenant?: Id | { id: Id } | null }

/** The cron a settings row asks for: set, enabled, and for an installed agent that can run on a schedule. */
function wantedCron(payload: Payload, doc: SettingsDoc): string | undefined {
  const hosted = doc.agent ? hostedAgent(payload, doc.agent) : undefined
  if (!hosted?.schedule || doc.enabled === false) return undefined
  return doc.schedule?.trim() || undefined
}

export type ScheduleChange = 'scheduled' | 'unscheduled' | 'skipped'

/**
 * Makes pg-boss match one settings row: schedules the agent for the row's tenant (with the input its
 * `schedule.input` gives), or removes that schedule (`removed`: the row is gone). `db` writes it in a
 * caller's transaction. Agents without schedule support are skipped: validation never lets them get a
 * cron, and `syncSchedules` removes what an agent that lost it left behind.
 */
export async function applySettingsSchedule(
  payload: Payload,
  doc: SettingsDoc,
  options: { db?: Db; removed?: boolean } = {},
): Promise<ScheduleChange> {
  const hosted = doc.agent ? hostedAgent(payload, doc.agent) : undefined
  if (!hosted?.schedule) return 'skipped'
  const cron = options.removed ? undefined : wantedCron(payload, doc)
  const tenant = idOf(doc.tenant)
  if (tenant === undefined) {
    if (cron) throw new Error(`Agent settings of "${hosted.agent.slug}" with a schedule need a tenant`)
    return 'skipped'
  }
  const queue = agentQueueOf(payload, pluginConfigOf(payload))
  const ref = { tenant: String(tenant), key: SETTINGS_SCHEDULE_KEY, ...(options.db ? { db: options.db } : {}) }
  if (!cron) {
    await queue.unschedule(hosted.agent.slug, ref)
    return 'unscheduled'
  }
  const input = await hosted.schedule.input({ tenant, payload })
  await queue.schedule(hosted.agent.slug, cron, input, ref)
  return 'scheduled'
}

const scheduleFailed = (doc: SettingsDoc, error: unknown) =>
  new APIError(
    `The schedule of "${doc.agent}" could not be ${doc.schedule ? 'saved' : 'removed'}: ${(error as Error).message}`,
    500,
    null,
    true,
  )

/**
 * afterChange of agent-settings: brings the tenant's schedule in line with the saved row. It runs after
 * the row is written but before the transaction commits, and writes the schedule through that same
 * transaction, so the row and its schedule commit together; a failure here rolls the save back.
 */
export const scheduleOnSettingsChange: CollectionAfterChangeHook = async ({ doc, previousDoc, operation, req }) => {
  const db = await transactionDb(req, pluginConfigOf(req.payload))
  const current = doc as SettingsDoc
  const previous = previousDoc as SettingsDoc | undefined
  try {
    // A row moved to another agent or tenant would otherwise leave its old schedule behind.
    if (
      operation === 'update' &&
      previous?.agent &&
      (previous.agent !== current.agent || !sameId(previous.tenant, current.tenant))
    )
      await applySettingsSchedule(req.payload, previous, { db, removed: true })
    await applySettingsSchedule(req.payload, current, { db })
  } catch (error) {
    throw scheduleFailed(current, error)
  }
  return doc
}

/** afterDelete of agent-settings: removes the tenant's schedule with the row (same transaction). */
export const unscheduleOnSettingsDelete: CollectionAfterDeleteHook = async ({ doc, req }) => {
  const db = await transactionDb(req, pluginConfigOf(req.payload))
  try {
    await applySettingsSchedule(req.payload, doc as SettingsDoc, { db, removed: true })
  } catch (error) {
    throw scheduleFailed({ ...(doc as SettingsDoc), schedule: null }, error)
  }
  return doc
}

export interface SyncSchedulesResult {
  /** Schedules written from settings rows. */
  scheduled: Array<{ agent: string; tenant: Id; cron: string }>
  /** Settings-owned pg-boss schedules no row asks for any more (cleared, disabled, deleted, agent gone). */
  removed: Array<{ agent: string; tenant: string }>
  /** Rows whose schedule could not be written (e.g. their `schedule.input` threw); the previous schedule stays. */
  failed: Array<{ agent: string; tenant: Id; error: string }>
}

/**
 * Reconciles every agent-settings row with pg-boss: writes the schedule each enabled row with a cron
 * asks for, and removes settings-owned schedules nothing asks for. Run on deploys; `startAgentsWorker`
 * runs it on start. Schedules made in code (other keys) are left alone.
 */
export async function syncSchedules(payload: Payload): Promise<SyncSchedulesResult> {
  const config = pluginConfigOf(payload)
  if (!config.enabled) throw new Error('@bizosaas/plugin-agents is disabled (enabled: false); no schedules to sync')
  const queue = agentQueueOf(payload, config)
  await queue.start()
  const result: SyncSchedulesResult = { scheduled: [], removed: [], failed: [] }
  const rows = await payload.find({
    collection: 'agent-settings' as never,
    depth: 0,
    limit: 0,
    pagination: false,
    overrideAccess: true,
  })
  // Wanted schedules as `<queue> <tenant>`; pg-boss stores the tenant in each schedule's job data.
  const wanted = new Set<string>()
  for (const row of rows.docs as unknown as SettingsDoc[]) {
    const cron = wantedCron(payload, row)
    const tenant = idOf(row.tenant)
    if (!cron || tenant === undefined || !row.agent) continue
    wanted.add(`${queueName(row.agent)} ${tenant}`)
    try {
      await applySettingsSchedule(payload, row)
      result.scheduled.push({ agent: row.agent, tenant, cron })
    } catch (error) {
      result.failed.push({ agent: row.agent, tenant, error: (error as Error).message })
      payload.logger.error({ err: error, agent: row.agent, tenant }, 'agents: could not sync a schedule')
    }
  }
  const suffix = `/${SETTINGS_SCHEDULE_KEY}`
  for (const schedule of await queue.boss.getSchedules()) {
    if (!schedule.name.startsWith(QUEUE_PREFIX) || !schedule.key.endsWith(suffix)) continue
    const tenant = (schedule.data as AgentJobData | undefined)?.tenant ?? schedule.key.slice(0, -suffix.length)
    if (wanted.has(`${schedule.name} ${tenant}`)) continue
    await queue.boss.unschedule(schedule.name, schedule.key)
    result.removed.push({ agent: schedule.name.slice(QUEUE_PREFIX.length), tenant })
  }
  return result
}
