/**
 * Starting runs: the one path the run endpoint, collection triggers, re-runs after feedback and batch
 * callers (the catalog audit) take. `startRuns` starts many at once — one multi-row insert of run rows
 * and one pg-boss insert per agent — with exactly the checks of a single start, in the same order:
 * unknown agent (404), disabled for the tenant (409), invalid input (400), target not allowed or not in
 * the tenant (400/404), monthly budget spent (402). Everything is checked before anything is written; a
 * run row exists only for a run that is queued.
 */
import { randomUUID } from 'node:crypto'
import { AgentInputError, parseAgentInput, UnknownAgentError } from '@bizosaas/agents'
import { logContext } from '@bizosaas/observability/logger'
import type { Payload, PayloadRequest } from 'payload'
import { pluginConfigOf } from '../config.ts'
import type { TRIGGER_KIND } from '../constants.ts'
import { AgentsError } from '../errors.ts'
import { agentRegistry, hostedAgent } from '../registry.ts'
import { agentQueueOf } from '../store/queue.ts'
import { deleteRunRows, insertQueuedRuns, type QueuedRunColumns } from '../store/runs.ts'
import { type AgentSettingsRow, loadSettings } from '../store/settings.ts'
import { findRunRows, type RunRow } from '../store/state.ts'
import type { Id, PayloadAgent } from '../types.ts'
import { refuseOverBudget } from './budget.ts'

export interface StartRunArgs {
  agent: string
  input: unknown
  tenant: Id
  trigger: { kind: (typeof TRIGGER_KIND)[keyof typeof TRIGGER_KIND]; user?: Id; detail?: string }
  dedupeKey?: string
  feedback?: string
  previousRun?: Id
  /** When given, the target document must be readable by this request's user. */
  req?: PayloadRequest
}

export interface StartedRun {
  run: RunRow
  deduplicated: boolean
}

/** A run `startRuns` did not start, and why (the same 4xx a single start throws). */
export interface RefusedRun {
  refused: AgentsError
}

/** Starts one run; a refusal is thrown as its `AgentsError`. */
export async function startRun(payload: Payload, args: StartRunArgs): Promise<StartedRun> {
  const [result] = await startRuns(payload, [args])
  if (!result) throw new Error('startRuns returned no result for one run')
  if ('refused' in result) throw result.refused
  return result
}

/**
 * Starts many runs: one result per item, in order — the run (possibly an existing live run the item's
 * `dedupeKey` points at, `deduplicated: true`) or the reason it was refused. Items with the same agent,
 * tenant and `dedupeKey` in one call start one run. A failure of the database or the queue throws and
 * leaves no run row behind.
 */
export async function startRuns(
  payload: Payload,
  items: readonly StartRunArgs[],
): Promise<(StartedRun | RefusedRun)[]> {
  const results: (StartedRun | RefusedRun | undefined)[] = new Array(items.length)
  const accepted = await checkAll(payload, items, results)
  const byAgent = new Map<string, Accepted[]>()
  for (const item of accepted) byAgent.set(item.args.agent, [...(byAgent.get(item.args.agent) ?? []), item])
  for (const [agent, runs] of byAgent) {
    for (const [i, started] of await queueRuns(payload, agent, runs)) results[i] = started
  }
  return results.map((r, i) => r ?? { refused: new AgentsError(500, `Run ${i} was neither started nor refused`) })
}

/** An item that passed every check, ready to be written. */
interface Accepted {
  index: number
  args: StartRunArgs
  input: Record<string, unknown>
  target: { collection: string; id: Id } | undefined
}

/**
 * Runs every check of every item; refusals go into `results`. Settings and the budget are read once per
 * agent and tenant, targets once per collection, tenant and reader.
 */
async function checkAll(
  payload: Payload,
  items: readonly StartRunArgs[],
  results: (StartedRun | RefusedRun | undefined)[],
): Promise<Accepted[]> {
  const settingsOf = memo((tenant: Id, agent: string) => loadSettings(payload, tenant, agent))
  const budgetOf = memo((tenant: Id, agent: string, settings: AgentSettingsRow | undefined) =>
    refuseOverBudget(payload, tenant, agent, settings).then(
      () => undefined,
      (error: unknown) => error,
    ),
  )
  const targets = new TargetChecks(payload)
  const checked: Array<Omit<Accepted, 'target'> & { hosted: PayloadAgent; settings?: AgentSettingsRow }> = []
  for (const [index, args] of items.entries()) {
    const refuse = (error: unknown) => {
      if (!(error instanceof AgentsError)) throw error
      results[index] = { refused: error }
    }
    try {
      const hosted = knownAgent(payload, args.agent)
      const settings = await settingsOf(args.tenant, args.agent)
      if (settings?.enabled === false)
        throw new AgentsError(
          409,
          `The agent "${args.agent}" is disabled for this tenant. Enable it in its agent settings.`,
        )
      const input = validInput(hosted, args.input)
      targets.add(index, hosted, input, args)
      checked.push({ index, args, input, hosted, settings })
    } catch (error) {
      refuse(error)
    }
  }
  const found = await targets.run()
  const accepted: Accepted[] = []
  for (const item of checked) {
    const target = found.get(item.index)
    if (target instanceof AgentsError) {
      results[item.index] = { refused: target }
      continue
    }
    const overBudget = await budgetOf(item.args.tenant, item.args.agent, item.settings)
    if (overBudget) {
      results[item.index] = { refused: overBudget as AgentsError }
      continue
    }
    accepted.push({ index: item.index, args: item.args, input: item.input, target })
  }
  return accepted
}

function knownAgent(payload: Payload, slug: string): PayloadAgent {
  const hosted = hostedAgent(payload, slug)
  if (hosted) return hosted
  const known = agentRegistry(payload).slugs()
  throw new AgentsError(404, `Unknown agent "${slug}". Agents: ${known.join(', ') || '(none)'}`)
}

function validInput(hosted: PayloadAgent, input: unknown): Record<string, unknown> {
  try {
    return parseAgentInput(hosted.agent, input) as Record<string, unknown>
  } catch (error) {
    if (error instanceof AgentInputError)
      throw new AgentsError(400, error.message, {
        issues: error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })),
      })
    throw error
  }
}

/**
 * `input.target` of agents that work on documents: an allowed collection (checked at once), a document
 * of this tenant the reader may see (one query per collection, tenant and reader).
 */
class TargetChecks {
  private readonly groups = new Map<
    string,
    { collection: string; tenant: Id; req?: PayloadRequest; items: { index: number; id: Id }[] }
  >()
  private readonly readers = new Map<PayloadRequest | undefined, number>()
  private readonly results = new Map<number, { collection: string; id: Id } | AgentsError>()

  constructor(private readonly payload: Payload) {}

  /** Queues the target check of one item; a collection the agent does not work on is refused at once. */
  add(index: number, hosted: PayloadAgent, input: Record<string, unknown>, args: StartRunArgs): void {
    const target = input.target as { collection?: string; id?: Id } | undefined
    if (!target || typeof target !== 'object' || target.id == null || !target.collection) return
    if (hosted.targets && !hosted.targets.includes(target.collection as never))
      throw new AgentsError(
        400,
        `The agent "${args.agent}" works on ${hosted.targets.join(', ')}, not ${target.collection}`,
      )
    if (!this.readers.has(args.req)) this.readers.set(args.req, this.readers.size)
    const key = `${target.collection}\u0000${args.tenant}\u0000${this.readers.get(args.req)}`
    let group = this.groups.get(key)
    if (!group) {
      group = { collection: target.collection, tenant: args.tenant, req: args.req, items: [] }
      this.groups.set(key, group)
    }
    group.items.push({ index, id: target.id })
  }

  /** Looks every queued target up; per item, the target or the 404 that refuses it. */
  async run(): Promise<Map<number, { collection: string; id: Id } | AgentsError>> {
    for (const { collection, tenant, req, items } of this.groups.values()) {
      const ids = [...new Set(items.map((i) => i.id))]
      const found = await this.payload.find({
        collection: collection as never,
        where: { and: [{ id: { in: ids } }, { tenant: { equals: tenant } }] },
        limit: 0,
        depth: 0,
        draft: true,
        pagination: false,
        overrideAccess: !req,
        ...(req ? { req, user: req.user } : {}),
      })
      const present = new Set(found.docs.map((doc) => String((doc as { id: Id }).id)))
      for (const { index, id } of items)
        this.results.set(
          index,
          present.has(String(id))
            ? { collection, id }
            : new AgentsError(404, `No ${collection} document ${id} in this tenant`),
        )
    }
    return this.results
  }
}

/**
 * Writes the rows of one agent's accepted runs (one statement), then their jobs (one pg-boss insert).
 * Items whose `dedupeKey` a live job holds get that job's run instead, and their own rows go.
 */
async function queueRuns(
  payload: Payload,
  agent: string,
  runs: Accepted[],
): Promise<Map<number, StartedRun | RefusedRun>> {
  const rows = await insertQueuedRuns(payload, runs.map(rowOf))
  // The request that starts the runs (its x-request-id) follows them into the worker's logs.
  const requestId = logContext()?.reqId
  try {
    const queued = await agentQueueOf(payload, pluginConfigOf(payload)).enqueueRuns(
      agent,
      runs.map((run, i) => ({
        input: run.input,
        runId: rows[i]!.runId,
        tenant: String(run.args.tenant),
        dedupeKey: run.args.dedupeKey,
        ...(requestId ? { requestId } : {}),
      })),
    )
    payload.logger.info(
      {
        agent,
        runs: queued.runs.map((r) => r.runId),
        jobs: queued.runs.map((r) => r.jobId),
        deduplicated: queued.deduplicated,
      },
      'agent runs queued',
    )
    const duplicates = queued.runs.flatMap((r, i) => (r.deduplicated ? [rows[i]!] : []))
    if (duplicates.length)
      await deleteRunRows(
        payload,
        duplicates.map((row) => row.id),
      )
    const own = new Map(rows.map((row) => [row.runId, row]))
    const live = new Map(
      (
        await findRunRows(
          payload,
          queued.runs.filter((r) => r.deduplicated && !own.has(r.runId)).map((r) => r.runId),
        )
      ).map((row) => [row.runId, row]),
    )
    const started = new Map<number, StartedRun | RefusedRun>()
    for (const [i, result] of queued.runs.entries()) {
      const row = own.get(result.runId) ?? live.get(result.runId)
      started.set(
        runs[i]!.index,
        row
          ? { run: row, deduplicated: result.deduplicated }
          : // The key is held by a job queued without a run row (direct queue use): nothing to point at.
            {
              refused: new AgentsError(
                409,
                `A run of "${agent}" with this key is already queued (run ${result.runId}).`,
              ),
            },
      )
    }
    return started
  } catch (error) {
    // Never leave a run row that no job will ever pick up.
    await deleteRunRows(
      payload,
      rows.map((row) => row.id),
    ).catch(() => {})
    if (error instanceof UnknownAgentError) throw new AgentsError(404, error.message)
    throw error
  }
}

const rowOf = ({ args, input, target }: Accepted): QueuedRunColumns => ({
  runId: randomUUID(),
  agent: args.agent,
  tenant: args.tenant,
  input,
  triggerKind: args.trigger.kind,
  triggerUser: args.trigger.user,
  triggerDetail: args.trigger.detail,
  targetCollection: target?.collection,
  targetDocId: target ? String(target.id) : undefined,
  feedback: args.feedback,
  previousRun: args.previousRun,
})

/** Caches an async lookup by its arguments for the length of one call. */
function memo<A extends unknown[], R>(fn: (...args: A) => Promise<R>): (...args: A) => Promise<R> {
  const cache = new Map<string, Promise<R>>()
  return (...args) => {
    const key = JSON.stringify(args.slice(0, 2))
    let hit = cache.get(key)
    if (!hit) {
      hit = fn(...args)
      cache.set(key, hit)
    }
    return hit
  }
}
