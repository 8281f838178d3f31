/**
 * Enqueueing runs: validate each run, give it its singleton key, insert the batch with one pg-boss `insert`,
 * and report the runs a live job with the same key already held (de-duplicated) with that job's ids.
 */
import { randomUUID } from 'node:crypto'
import type { Db, JobInsert, PgBoss } from 'pg-boss'
import { type AnyAgent, parseAgentInput } from '../agent.ts'
import { JOB_DATA_VERSION, queueName, SINGLETON_KEY } from './constants.ts'
import {
  type AgentJobData,
  type EnqueueItem,
  type EnqueueOptions,
  enqueueOptionsSchema,
  parseOptions,
} from './options.ts'
import { findLiveJobsByKey } from './sql.ts'

/** What `enqueueRun` returns, and each run of `enqueueRuns`. */
export interface EnqueueResult {
  /** pg-boss job id (of the live run when de-duplicated). */
  jobId: string
  runId: string
  /** True when a queued or running run with the same `dedupeKey` (or `runId`) was returned instead. */
  deduplicated: boolean
}

/** What `enqueueRuns` returns. */
export interface EnqueueManyResult {
  /** Runs inserted as new jobs. */
  inserted: number
  /** Runs folded into a live run (one enqueued earlier, or an earlier run of the same batch). */
  deduplicated: number
  /** In input order. A de-duplicated run carries the job and run id of the live run it was folded into. */
  runs: EnqueueResult[]
}

/** What enqueueing needs from the queue binding. */
export interface EnqueueTarget {
  boss: PgBoss
  schema: string
}

/** A validated run, ready to insert. */
export interface PreparedRun {
  key: string
  runId: string
  job: JobInsert<AgentJobData> & { id: string; singletonKey: string }
}

/** A refused insert means a live job holds the key; it may finish before we look, so the run is tried again. */
const INSERT_ROUNDS = 3

/**
 * Validates one run (options, then input against the agent's schema) and builds its job. Throws
 * `TypeError` for options and `AgentInputError` for input; `where` names the call (and the run of a batch).
 */
export function prepareRun(agent: AnyAgent, item: EnqueueItem, where: string, index?: number): PreparedRun {
  const { input, ...rest } = item
  const opts = parseOptions(enqueueOptionsSchema, rest, index === undefined ? where : `${where} (run ${index})`)
  try {
    parseAgentInput(agent, input)
  } catch (error) {
    if (index !== undefined && error instanceof Error) error.message = `Run ${index}: ${error.message}`
    throw error
  }
  const id = randomUUID()
  const runId = opts.runId ?? id
  const key = singletonKey(opts, runId)
  return {
    key,
    runId,
    job: {
      id,
      singletonKey: key,
      data: jobData(input, runId, opts.tenant, undefined, opts.requestId),
      ...jobOptions(opts),
    },
  }
}

/**
 * Inserts prepared runs of one agent with one `insert` (plus one look-up when some keys were taken). Runs
 * sharing a key within the batch are folded into the first; a run whose key a live job holds (queued, active
 * or waiting for a retry) is folded into that job. `db` runs the statements on the caller's connection.
 */
export async function insertRuns(
  target: EnqueueTarget,
  agent: AnyAgent,
  prepared: readonly PreparedRun[],
  db?: Db,
): Promise<EnqueueManyResult> {
  const name = queueName(agent.slug)
  const byKey = new Map<string, EnqueueResult>()
  let waiting = firstOfEachKey(prepared)
  for (let round = 0; round < INSERT_ROUNDS && waiting.length; round++) {
    const ids = await insertJobs(target.boss, name, waiting, db)
    for (const run of waiting) {
      if (ids.has(run.job.id)) byKey.set(run.key, { jobId: run.job.id, runId: run.runId, deduplicated: false })
    }
    const refused = waiting.filter((run) => !ids.has(run.job.id))
    waiting = []
    if (!refused.length) break
    const live = await liveJobsByKey(target, name, refused, db)
    for (const run of refused) {
      const job = live.get(run.key)
      if (job) byKey.set(run.key, { jobId: job.id, runId: job.runId ?? job.id, deduplicated: true })
    }
    waiting = refused.filter((run) => !live.has(run.key))
  }
  if (waiting.length) {
    const keys = waiting.map((run) => run.key).join(', ')
    throw new Error(`Could not enqueue a run of "${agent.slug}": key ${keys} stays taken`)
  }
  return resultInOrder(prepared, byKey)
}

/** The singleton key: `dedupe:<tenant>:<key>` with a `dedupeKey`, else `run:<runId>` (see README, "De-duplication"). */
function singletonKey(opts: EnqueueOptions, runId: string): string {
  return opts.dedupeKey
    ? `${SINGLETON_KEY.dedupe}${opts.tenant ?? ''}:${opts.dedupeKey}`
    : `${SINGLETON_KEY.run}${runId}`
}

function jobOptions(opts: EnqueueOptions): Omit<JobInsert, 'id' | 'data' | 'singletonKey'> {
  return {
    ...(opts.priority !== undefined ? { priority: opts.priority } : {}),
    ...(opts.startAfter !== undefined ? { startAfter: opts.startAfter as JobInsert['startAfter'] } : {}),
    ...(opts.tenant ? { group: { id: opts.tenant } } : {}),
  }
}

/** The payload every job of an agent queue carries. */
export function jobData(
  input: unknown,
  runId: string | undefined,
  tenant?: string,
  schedule?: string,
  requestId?: string,
): AgentJobData {
  return {
    v: JOB_DATA_VERSION,
    ...(runId ? { runId } : {}),
    ...(tenant ? { tenant } : {}),
    input,
    ...(schedule ? { schedule } : {}),
    ...(requestId ? { requestId } : {}),
  }
}

function firstOfEachKey(prepared: readonly PreparedRun[]): PreparedRun[] {
  const seen = new Set<string>()
  return prepared.filter((run) => !seen.has(run.key) && Boolean(seen.add(run.key)))
}

async function insertJobs(boss: PgBoss, name: string, runs: readonly PreparedRun[], db?: Db): Promise<Set<string>> {
  const ids = await boss.insert(
    name,
    runs.map((run) => run.job),
    { returnId: true, ...(db ? { db } : {}) },
  )
  return new Set(ids ?? [])
}

async function liveJobsByKey(
  target: EnqueueTarget,
  name: string,
  runs: readonly PreparedRun[],
  db?: Db,
): Promise<Map<string, { id: string; runId: string | null }>> {
  const keys = runs.map((run) => run.key)
  const { rows } = await (db ?? target.boss.getDb()).executeSql(findLiveJobsByKey(target.schema), [name, keys])
  const live = rows as Array<{ id: string; key: string; runId: string | null }>
  return new Map(live.map((row) => [row.key, { id: row.id, runId: row.runId }]))
}

function resultInOrder(prepared: readonly PreparedRun[], byKey: ReadonlyMap<string, EnqueueResult>): EnqueueManyResult {
  const firsts = new Set<string>()
  const runs = prepared.map((run): EnqueueResult => {
    const held = byKey.get(run.key) as EnqueueResult
    // Later runs of the batch with a key the first one took are folded into it.
    const first = !firsts.has(run.key) && Boolean(firsts.add(run.key))
    return first ? held : { jobId: held.jobId, runId: held.runId, deduplicated: true }
  })
  const inserted = runs.filter((run) => !run.deduplicated).length
  return { inserted, deduplicated: runs.length - inserted, runs }
}
