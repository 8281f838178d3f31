import { createTestDatabase, type TestDatabase } from '@bizosaas/scripts/test/database'
import type {} from '@bizosaas/scripts/test/global-setup'
import type { Db } from 'pg-boss'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { AgentInputError } from '../agent.ts'
import { type AgentQueue, createAgentQueue } from './agent-queue.ts'
import { queueName } from './constants.ts'
import { echoAgent, runResult } from './fixtures/helpers.ts'

describe('bulk enqueue (enqueueRuns on pg-boss)', () => {
  let db: TestDatabase
  let queue: AgentQueue

  beforeAll(async () => {
    db = await createTestDatabase('agents_enqueue')
    queue = createAgentQueue({
      connectionString: db.url,
      agents: [echoAgent],
      execute: async (job) => runResult(job.runId, 'succeeded'),
    })
    await queue.start()
  })

  afterAll(async () => {
    await queue?.stop({ graceMs: 1000 })
    await db?.drop()
  })

  const jobs = () => queue.boss.findJobs<{ runId: string; tenant?: string }>(queueName('echo'))

  /** A connection that counts the statements run on it (pg-boss's own pool underneath). */
  const countingDb = () => {
    const statements: string[] = []
    const inner = queue.boss.getDb()
    const counting: Db = {
      executeSql: (text, values) => {
        statements.push(text)
        return inner.executeSql(text, values)
      },
    }
    return { db: counting, statements }
  }

  it('folds runs into live runs and into earlier runs of the batch, as single enqueues would', async () => {
    const live = await queue.enqueueRun(echoAgent, { n: 0 }, { tenant: 't1', dedupeKey: 'doc-1' })
    const before = (await jobs()).length
    const { inserted, deduplicated, runs } = await queue.enqueueRuns(echoAgent, [
      { input: { n: 1 }, tenant: 't1', dedupeKey: 'doc-1' }, // a live run holds the key
      { input: { n: 2 }, tenant: 't1', dedupeKey: 'doc-2' },
      { input: { n: 3 }, tenant: 't1', dedupeKey: 'doc-2' }, // folded into the run before
      { input: { n: 4 }, tenant: 't2', dedupeKey: 'doc-1' }, // other tenant: its own key
      { input: { n: 5 }, runId: 'run-9' },
      { input: { n: 6 }, runId: 'run-9' }, // same run id
      { input: { n: 7 } },
    ])
    expect({ inserted, deduplicated }).toEqual({ inserted: 4, deduplicated: 3 })
    expect(runs[0]).toEqual({ jobId: live.jobId, runId: live.runId, deduplicated: true })
    expect(runs[1]?.deduplicated).toBe(false)
    expect(runs[2]).toEqual({ jobId: runs[1]?.jobId, runId: runs[1]?.runId, deduplicated: true })
    expect(runs[3]?.deduplicated).toBe(false)
    expect(runs[4]).toMatchObject({ runId: 'run-9', deduplicated: false })
    expect(runs[5]).toEqual({ jobId: runs[4]?.jobId, runId: 'run-9', deduplicated: true })
    expect(runs[6]?.deduplicated).toBe(false)
    const all = await jobs()
    expect(all).toHaveLength(before + 4)
    // each inserted run's job carries its run id and tenant
    const job = all.find((j) => j.id === runs[3]?.jobId)
    expect(job?.data).toMatchObject({ runId: runs[3]?.runId, tenant: 't2', input: { n: 4 } })
    // the same batch again: everything is live, nothing is inserted, each run gets its live twin
    const again = await queue.enqueueRuns(echoAgent, [
      { input: { n: 2 }, tenant: 't1', dedupeKey: 'doc-2' },
      { input: { n: 5 }, runId: 'run-9' },
    ])
    expect(again).toEqual({
      inserted: 0,
      deduplicated: 2,
      runs: [
        { jobId: runs[1]?.jobId, runId: runs[1]?.runId, deduplicated: true },
        { jobId: runs[4]?.jobId, runId: 'run-9', deduplicated: true },
      ],
    })
  })

  it('validates every run first: one invalid run refuses the batch, naming its index, and enqueues nothing', async () => {
    const before = (await jobs()).length
    const badInput = await queue
      .enqueueRuns(echoAgent, [{ input: { n: 10 } }, { input: { n: 11 } }, { input: { n: 'twelve' } }])
      .catch((e: unknown) => e)
    expect(badInput).toBeInstanceOf(AgentInputError)
    expect((badInput as Error).message).toMatch(/^Run 2: .*n: .*number/is)
    await expect(
      queue.enqueueRuns(echoAgent, [{ input: { n: 1 } }, { input: { n: 2 }, priority: 1.5 }]),
    ).rejects.toThrow(/enqueueRuns \(run 1\)[\s\S]*priority/)
    await expect(queue.enqueueRuns(echoAgent, [{ input: { n: 1 }, tenant: 'a b' }])).rejects.toThrow(/tenant/)
    await expect(queue.enqueueRuns(echoAgent, [{ input: { n: 1 } }], { db: {} as Db })).rejects.toThrow(/db must/)
    await expect(queue.enqueueRuns('nope', [{ input: {} }])).rejects.toThrow(/Unknown agent/i)
    expect(await jobs()).toHaveLength(before)
  })

  it('inserts a batch with one statement, plus one look-up only when keys were taken', async () => {
    const fresh = countingDb()
    const batch = Array.from({ length: 500 }, (_, n) => ({ input: { n }, tenant: 't3', dedupeKey: `bulk-${n}` }))
    const first = await queue.enqueueRuns(echoAgent, batch, { db: fresh.db })
    expect(first).toMatchObject({ inserted: 500, deduplicated: 0 })
    expect(fresh.statements).toHaveLength(1)
    expect(fresh.statements[0]).toMatch(/INSERT INTO/)

    const taken = countingDb()
    const second = await queue.enqueueRuns(echoAgent, [...batch.slice(0, 250), { input: { n: 1000 }, tenant: 't3' }], {
      db: taken.db,
    })
    expect(second).toMatchObject({ inserted: 1, deduplicated: 250 })
    expect(second.runs.slice(0, 250).map((run) => run.jobId)).toEqual(first.runs.slice(0, 250).map((run) => run.jobId))
    expect(taken.statements).toHaveLength(2)
  })

  it('frees keys when runs finish, so the same batch enqueues again', async () => {
    const batch = [{ input: { n: 1 }, tenant: 't4', dedupeKey: 'again' }]
    const first = await queue.enqueueRuns(echoAgent, batch)
    const workers = await queue.startWorkers({ pollingIntervalSeconds: 0.5, notifyPollingIntervalSeconds: 0.5 })
    const deadline = Date.now() + 15_000
    while ((await jobs()).some((job) => (job as { state?: string }).state !== 'completed') && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 100))
    }
    await workers.stop()
    const second = await queue.enqueueRuns(echoAgent, batch)
    expect(second.runs[0]?.deduplicated).toBe(false)
    expect(second.runs[0]?.jobId).not.toBe(first.runs[0]?.jobId)
  })
})
