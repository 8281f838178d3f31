import { type ChildProcess, spawn } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { createTestDatabase, type TestDatabase } from '@bizosaas/scripts/test/database'
import type {} from '@bizosaas/scripts/test/global-setup'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { type AgentQueue, createAgentQueue } from './agent-queue.ts'
import { queueName } from './constants.ts'
import {
  CRASH_POLICY,
  crashAgent,
  EFFECTS_SQL,
  echoAgent,
  FAST_BOSS,
  FAST_POLLING,
  runResult,
  waitFor,
} from './fixtures/helpers.ts'
import type { ExecuteRun } from './options.ts'

const agentsDir = fileURLToPath(new URL('../..', import.meta.url))
const childScript = fileURLToPath(new URL('./fixtures/crash-worker.ts', import.meta.url))

describe('crashes and shutdown (child workers on PostgreSQL)', () => {
  let db: TestDatabase
  let queue: AgentQueue
  const children: ChildProcess[] = []
  const execRef: { current: ExecuteRun } = { current: async (job) => runResult(job.runId, 'succeeded') }

  const effects = async () => {
    const { rows } = await queue.boss.getDb().executeSql(EFFECTS_SQL.count)
    const byEvent = Object.fromEntries(
      (rows as Array<{ event: string; count: number; pids: number }>).map((r) => [r.event, r]),
    )
    return {
      started: byEvent.started?.count ?? 0,
      completed: byEvent.completed?.count ?? 0,
      pids: byEvent.started?.pids ?? 0,
    }
  }
  const jobOf = async (slug: string, id: string) => (await queue.boss.findJobs(queueName(slug), { id }))[0]

  /** Starts the child worker and resolves once it is fetching. */
  const startChild = async (mode: 'kill' | 'sigterm') => {
    const child = spawn(process.execPath, ['--import', 'tsx', childScript, db.url, mode], {
      cwd: agentsDir,
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    children.push(child)
    let stderr = ''
    child.stderr?.on('data', (chunk) => {
      stderr += String(chunk)
    })
    await new Promise<void>((resolve, reject) => {
      child.stdout?.on('data', (chunk) => String(chunk).includes('ready') && resolve())
      child.once('exit', (code) => reject(new Error(`child exited early (${code}): ${stderr}`)))
    })
    return child
  }

  beforeAll(async () => {
    db = await createTestDatabase('agents_queue_crash')
    queue = createAgentQueue({
      connectionString: db.url,
      agents: [crashAgent, echoAgent],
      policy: CRASH_POLICY,
      execute: (job) => execRef.current(job),
      pgBoss: FAST_BOSS,
    })
    await queue.start()
    await queue.boss.getDb().executeSql(EFFECTS_SQL.create)
  })

  afterEach(async () => {
    await queue.boss.getDb().executeSql('TRUNCATE queue_test_effects')
  })

  afterAll(async () => {
    // Only the children this file started, by pid.
    for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL')
    await queue?.stop({ graceMs: 1000 })
    await db?.drop()
  })

  // The parent's worker finishes a run: it logs started and completed.
  const completingRun: ExecuteRun = async (job) => {
    const sql = queue.boss.getDb()
    await sql.executeSql(EFFECTS_SQL.insert, [job.runId, 'started', process.pid])
    await sql.executeSql(EFFECTS_SQL.insert, [job.runId, 'completed', process.pid])
    return runResult(job.runId, 'succeeded')
  }

  it('retries a run whose worker was killed with SIGKILL mid-run, and completes it exactly once', async () => {
    const { jobId } = await queue.enqueueRun(crashAgent, { label: 'kill me' })
    const child = await startChild('kill')
    await waitFor('the child to start the run', async () => (await effects()).started === 1)
    child.kill('SIGKILL')
    await new Promise((resolve) => child.once('exit', resolve))

    execRef.current = completingRun
    const workers = await queue.startWorkers({ agents: ['crashy'], ...FAST_POLLING })
    // The job expires after 3 s (supervised every second), goes to retry, and this worker claims it.
    await waitFor('the retried run to complete', async () => (await jobOf('crashy', jobId))?.state === 'completed')
    await new Promise((resolve) => setTimeout(resolve, 1500)) // room for a duplicate, if there were one
    await workers.stop()
    expect(await effects()).toEqual({ started: 2, completed: 1, pids: 2 })
    expect((await jobOf('crashy', jobId))?.retryCount).toBe(1)
  })

  it('on SIGTERM hands an unfinished run back without spending an attempt; another worker completes it', async () => {
    const { jobId } = await queue.enqueueRun(crashAgent, { label: 'stop me' })
    const child = await startChild('sigterm')
    await waitFor('the child to start the run', async () => (await effects()).started === 1)
    child.kill('SIGTERM')
    const code = await new Promise((resolve) => child.once('exit', resolve))
    expect(code).toBe(0)
    const released = await jobOf('crashy', jobId)
    expect(released).toMatchObject({ state: 'created', retryCount: 0 })

    execRef.current = completingRun
    const workers = await queue.startWorkers({ agents: ['crashy'], ...FAST_POLLING })
    await waitFor('the handed-back run to complete', async () => (await jobOf('crashy', jobId))?.state === 'completed')
    await workers.stop()
    expect(await effects()).toEqual({ started: 2, completed: 1, pids: 2 })
    expect((await jobOf('crashy', jobId))?.retryCount).toBe(0)
  })

  it('graceful stop lets in-flight runs finish, hands back those that overrun the grace, and loses no job', async () => {
    // Half the runs take 200 ms, half would take a minute; 6 runs, 4 worker slots.
    execRef.current = async (job) => {
      const ms = (job.input as { n: number }).n % 2 === 0 ? 200 : 60_000
      await queue.boss.getDb().executeSql(EFFECTS_SQL.insert, [job.runId, 'started', process.pid])
      const aborted = await new Promise<boolean>((resolve) => {
        const timer = setTimeout(() => resolve(false), ms)
        job.signal.addEventListener('abort', () => {
          clearTimeout(timer)
          resolve(true)
        })
      })
      if (aborted) return runResult(job.runId, 'cancelled', { code: 'cancelled', message: String(job.signal.reason) })
      await queue.boss.getDb().executeSql(EFFECTS_SQL.insert, [job.runId, 'completed', process.pid])
      return runResult(job.runId, 'succeeded')
    }
    const { runs } = await queue.enqueueRuns(
      echoAgent,
      Array.from({ length: 6 }, (_, n) => ({ input: { n } })),
    )
    const workers = await queue.startWorkers({ agents: ['echo'], concurrency: 4, batchSize: 1, ...FAST_POLLING })
    await waitFor('four runs in flight', () => workers.inFlight() === 4)
    const started = Date.now()
    await workers.stop({ graceMs: 1000 })
    const stopMs = Date.now() - started
    expect(stopMs).toBeGreaterThanOrEqual(1000)
    expect(stopMs).toBeLessThan(5000)
    expect(workers.inFlight()).toBe(0)

    const states = await Promise.all(runs.map(async (run) => (await jobOf('echo', run.jobId ?? ''))?.state))
    const { completed } = await effects()
    // Every job either completed (its run finished in the grace period) or is back in the queue untouched.
    expect(states.filter((state) => state === 'completed')).toHaveLength(completed)
    expect(states.filter((state) => state === 'created')).toHaveLength(6 - completed)
    expect(completed).toBeGreaterThanOrEqual(2)
    const handedBack = await Promise.all(runs.map(async (run) => jobOf('echo', run.jobId ?? '')))
    expect(handedBack.filter((job) => job?.state === 'created').every((job) => job?.retryCount === 0)).toBe(true)

    // A fresh worker drains the rest: six completions in all, none twice.
    execRef.current = completingRun
    const more = await queue.startWorkers({ agents: ['echo'], ...FAST_POLLING })
    await waitFor('all six runs to complete', async () => {
      const all = await Promise.all(runs.map(async (run) => (await jobOf('echo', run.jobId ?? ''))?.state))
      return all.every((state) => state === 'completed')
    })
    await more.stop()
    expect((await effects()).completed).toBe(6)
  })
})
