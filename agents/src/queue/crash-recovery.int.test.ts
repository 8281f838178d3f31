/**
 * Crash recovery on real PostgreSQL and pg-boss with a child worker killed by SIGKILL: the crash sweep hands a
 * dead worker's run back within seconds, without spending a model retry; runs that end in a dead-letter queue
 * (crash limit, a run error no retry fixes) are reported to the host with their reason, once.
 */
import { type ChildProcess, spawn } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { createTestDatabase, type TestDatabase } from '@bizosaas/scripts/test/database'
import type {} from '@bizosaas/scripts/test/global-setup'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { type AgentQueue, createAgentQueue } from './agent-queue.ts'
import { deadLetterName, queueName } from './constants.ts'
import { crashAgent, EFFECTS_SQL, FAST_POLLING, RECOVERY_POLICY, runResult, waitFor } from './fixtures/helpers.ts'
import type { AgentJob, DeadLetter, ExecuteRun, WorkerOptions } from './options.ts'
import type { AgentWorkers } from './workers.ts'

const agentsDir = fileURLToPath(new URL('../..', import.meta.url))
const childScript = fileURLToPath(new URL('./fixtures/recovery-worker.ts', import.meta.url))

describe('crash recovery (a child worker killed with SIGKILL)', () => {
  let db: TestDatabase
  let queue: AgentQueue
  let workers: AgentWorkers | undefined
  const children: ChildProcess[] = []
  const execRef: { current: ExecuteRun } = { current: async (job) => runResult(job.runId, 'succeeded') }
  const letters: DeadLetter[] = []

  const jobOf = async (id: string) => (await queue.boss.findJobs(queueName(crashAgent.slug), { id }))[0]
  const startedIn = async (pid: number) => {
    const { rows } = await queue.boss
      .getDb()
      .executeSql(`SELECT count(*)::int AS n FROM queue_test_effects WHERE event = 'started' AND pid = $1`, [pid])
    return (rows[0] as { n: number }).n > 0
  }

  /** Starts the child worker and resolves once it is fetching. */
  const startChild = async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', childScript, db.url], {
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

  /** This process's workers: the live node that sweeps and reports. */
  const startParentWorkers = async (options: WorkerOptions = {}) => {
    workers = await queue.startWorkers({
      concurrency: 1,
      ...FAST_POLLING,
      onDeadLetter: async (batch) => {
        letters.push(...batch)
      },
      ...options,
    })
  }

  /** Runs a job in the child, waits until it has started there, then kills the child with SIGKILL. */
  const runInChildAndKill = async (label: string) => {
    const child = await startChild()
    const { jobId, runId } = await queue.enqueueRun(crashAgent, { label })
    await waitFor('the child to start the run', () => startedIn(child.pid!))
    return { jobId, runId, child }
  }

  beforeAll(async () => {
    db = await createTestDatabase('agents_queue_recovery')
    queue = createAgentQueue({
      connectionString: db.url,
      agents: [crashAgent],
      policy: RECOVERY_POLICY,
      execute: (job) => execRef.current(job),
    })
    await queue.start()
    await queue.boss.getDb().executeSql(EFFECTS_SQL.create)
  })

  afterEach(async () => {
    await workers?.stop({ graceMs: 1000 })
    workers = undefined
    letters.length = 0
    await queue.boss.getDb().executeSql('TRUNCATE queue_test_effects')
  })

  afterAll(async () => {
    // Only the children this file started, by pid.
    for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL')
    await queue?.stop({ graceMs: 1000 })
    await db?.drop()
  })

  it("resumes a killed worker's run within 15 s, and the crash leaves its model retry alone", async () => {
    const { jobId, child } = await runInChildAndKill('kill me')
    // The resumed run meets a provider error (retryable), then succeeds: with RECOVERY_POLICY's single retry,
    // that only works if the crash did not spend it.
    const calls: Array<{ job: AgentJob; at: number }> = []
    execRef.current = async (job) => {
      calls.push({ job, at: Date.now() })
      return calls.length === 1
        ? runResult(job.runId, 'failed', { code: 'provider', message: 'mock provider: 503' })
        : runResult(job.runId, 'succeeded')
    }
    await startParentWorkers()
    const killedAt = Date.now()
    child.kill('SIGKILL')

    await waitFor('the run to resume in a live worker', () => calls.length > 0, 20_000)
    const resumedAfterMs = calls[0]!.at - killedAt
    expect(resumedAfterMs).toBeLessThan(15_000)
    expect(calls[0]!.job).toMatchObject({ crashes: 1, attempt: 1 })

    await waitFor(
      'the run to complete after its provider retry',
      async () => (await jobOf(jobId))?.state === 'completed',
    )
    expect(calls).toHaveLength(2)
    expect(calls[1]!.job).toMatchObject({ crashes: 1, attempt: 2 })
    expect(letters).toEqual([])
    expect(await queue.boss.findJobs(deadLetterName(crashAgent.slug))).toEqual([])
  }, 40_000)

  it('dead-letters a run whose workers keep dying once it reaches the crash limit, and reports why', async () => {
    const { jobId, runId, child } = await runInChildAndKill('kill me for good')
    execRef.current = async (job) => runResult(job.runId, 'succeeded')
    await startParentWorkers({ crashRecovery: { crashLimit: 0 } })
    child.kill('SIGKILL')

    await waitFor('the dead letter to be reported', () => letters.length > 0, 20_000)
    expect(letters).toEqual([
      expect.objectContaining({
        agent: crashAgent.slug,
        runId,
        sourceJobId: jobId,
        reason: { code: 'worker-crashed', message: expect.stringContaining('died while running it, 1 time(s)') },
      }),
    ])
    expect((await jobOf(jobId))?.state).toBe('failed')
  }, 40_000)

  it('reports a run that failed for good once, with the run error as the reason', async () => {
    execRef.current = async (job) =>
      runResult(job.runId, 'failed', { code: 'invalid-output', message: 'title: Required' })
    await startParentWorkers()
    const { runId } = await queue.enqueueRun(crashAgent, { label: 'bad output' })

    await waitFor('the dead letter to be reported', () => letters.length > 0)
    // Several sweeps later it is still reported once.
    await new Promise((resolve) => setTimeout(resolve, 2_500))
    expect(letters).toEqual([
      expect.objectContaining({ runId, reason: { code: 'invalid-output', message: 'title: Required' } }),
    ])
  }, 30_000)
})
