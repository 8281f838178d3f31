import { createTestDatabase, type TestDatabase } from '@bizosaas/scripts/test/database'
import type {} from '@bizosaas/scripts/test/global-setup'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { z } from 'zod'
import { AgentInputError, defineAgent } from '../agent.ts'
import { recordingSink } from '../events.ts'
import { createProviderRegistry } from '../providers/registry.ts'
import { UnknownAgentError } from '../registry.ts'
import { stubProvider } from '../testing/stub-provider.ts'
import { type AgentQueue, createAgentQueue } from './agent-queue.ts'
import { deadLetterName, queueName } from './constants.ts'
import { echoAgent, FAST_BOSS, FAST_POLLING, runResult, waitFor } from './fixtures/helpers.ts'
import type { AgentJob, ExecuteRun } from './options.ts'

const flakyAgent = defineAgent({
  slug: 'flaky',
  description: 'Fails as told (test agent).',
  input: z.object({ failWith: z.enum(['provider', 'invalid-output']).describe('Error code to fail with') }),
  output: z.object({ ok: z.boolean().describe('Always true') }),
  instructions: 'Answer with ok = true.',
  model: 'stub:instant',
})

const slowAgent = defineAgent({
  slug: 'slow',
  description: 'Takes a while (test agent).',
  input: z.object({ ms: z.number().int().describe('How long to take') }),
  output: z.object({ ok: z.boolean().describe('Always true') }),
  instructions: 'Answer with ok = true.',
  model: 'stub:instant',
})

const writerAgent = defineAgent({
  slug: 'writer',
  description: 'Writes a title with the real run loop on the in-process stub model (test agent).',
  input: z.object({ topic: z.string().describe('What to write about') }),
  output: z.object({ title: z.string().describe('A title') }),
  instructions: 'Write a title.',
  model: 'stub:instant',
})

describe('agent queue (pg-boss on PostgreSQL)', () => {
  let db: TestDatabase
  let queue: AgentQueue
  const calls: AgentJob[] = []
  const sink = recordingSink()
  let running = new Map<string, number>()
  let peak = new Map<string, number>()

  // The run stand-in: records each job, then behaves as its agent's input asks.
  const execute: ExecuteRun = async (job) => {
    calls.push(job)
    if (job.agent.slug === 'flaky') {
      const code = (job.input as { failWith: 'provider' | 'invalid-output' }).failWith
      return runResult(job.runId, 'failed', { code, message: `failed with ${code}` })
    }
    if (job.agent.slug === 'slow') {
      const tenant = job.tenant ?? '-'
      running.set(tenant, (running.get(tenant) ?? 0) + 1)
      peak.set(tenant, Math.max(peak.get(tenant) ?? 0, running.get(tenant) ?? 0))
      await new Promise((resolve) => setTimeout(resolve, (job.input as { ms: number }).ms))
      running.set(tenant, (running.get(tenant) ?? 1) - 1)
    }
    return runResult(job.runId, 'succeeded')
  }

  const jobsOf = (slug: string) => queue.boss.findJobs<Record<string, unknown>>(queueName(slug))

  beforeAll(async () => {
    db = await createTestDatabase('agents_queue')
    queue = createAgentQueue({
      connectionString: db.url,
      agents: [echoAgent, flakyAgent, slowAgent, writerAgent],
      execute,
      policy: { retryLimit: 2, retryDelaySeconds: 0, retryBackoff: false, heartbeatSeconds: null },
      pgBoss: FAST_BOSS,
    })
    await queue.start()
  })

  // The writer agent runs through the real runAgent: a second queue without `execute` on the same database.
  let writerQueue: AgentQueue | undefined

  afterAll(async () => {
    await writerQueue?.stop({ graceMs: 1000 })
    await queue?.stop({ graceMs: 1000 })
    await db?.drop()
  })

  it('refuses input that fails the agent schema, with the zod issues, and enqueues nothing', async () => {
    const error = await queue.enqueueRun('echo', { n: 'five' }).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(AgentInputError)
    expect((error as AgentInputError).issues[0]?.path).toEqual(['n'])
    expect((error as Error).message).toMatch(/n: .*number/i)
    expect(await jobsOf('echo')).toHaveLength(0)
  })

  it('names the registered agents when the agent is unknown', async () => {
    const error = await queue.enqueueRun('nope', {}).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(UnknownAgentError)
    expect((error as Error).message).toContain('echo, flaky, slow, writer')
  })

  it('refuses bad options before touching the queue', async () => {
    await expect(queue.enqueueRun('echo', { n: 1 }, { priority: 1.5 })).rejects.toThrow(/priority/)
    await expect(queue.enqueueRun('echo', { n: 1 }, { tenant: 'a b' })).rejects.toThrow(/tenant/)
  })

  it('creates one exclusive queue per agent with retries, expiry, notify and a dead-letter queue', async () => {
    const echo = await queue.boss.getQueue(queueName('echo'))
    expect(echo).toMatchObject({
      policy: 'exclusive',
      retryLimit: 2,
      deadLetter: deadLetterName('echo'),
      notify: true,
      // the agent's 120 s timeout plus the 30 s margin
      expireInSeconds: 150,
    })
    expect(await queue.boss.getQueue(deadLetterName('echo'))).toMatchObject({ policy: 'standard' })
  })

  it('de-duplicates by key per tenant while a run is live, and frees the key when it finishes', async () => {
    const first = await queue.enqueueRun(echoAgent, { n: 1 }, { tenant: 't1', dedupeKey: 'doc-42' })
    const again = await queue.enqueueRun(echoAgent, { n: 2 }, { tenant: 't1', dedupeKey: 'doc-42' })
    const otherTenant = await queue.enqueueRun(echoAgent, { n: 3 }, { tenant: 't2', dedupeKey: 'doc-42' })
    expect(first.deduplicated).toBe(false)
    expect(again).toEqual({ jobId: first.jobId, runId: first.runId, deduplicated: true })
    expect(otherTenant.deduplicated).toBe(false)
    // The same run id twice is de-duplicated too.
    const byRunId = await queue.enqueueRun(echoAgent, { n: 4 }, { runId: 'run-7' })
    expect(await queue.enqueueRun(echoAgent, { n: 4 }, { runId: 'run-7' })).toMatchObject({
      jobId: byRunId.jobId,
      deduplicated: true,
    })
    const bulk = await queue.enqueueRuns(echoAgent, [
      { input: { n: 5 }, tenant: 't1', dedupeKey: 'doc-42' },
      { input: { n: 6 }, tenant: 't1', dedupeKey: 'doc-43' },
      { input: { n: 7 }, tenant: 't1', dedupeKey: 'doc-43' },
    ])
    expect(bulk).toMatchObject({ inserted: 1, deduplicated: 2 })
    // Each de-duplicated item gets the live job holding its key: an earlier job, or an earlier item of the call.
    expect(bulk.runs[0]).toEqual({ jobId: first.jobId, runId: first.runId, deduplicated: true })
    expect(bulk.runs[1]?.deduplicated).toBe(false)
    expect(bulk.runs[2]).toEqual({ ...bulk.runs[1], deduplicated: true })
    expect(await jobsOf('echo')).toHaveLength(4)

    const workers = await queue.startWorkers({ agents: ['echo'], ...FAST_POLLING })
    await waitFor('echo runs to complete', async () =>
      (await jobsOf('echo')).every((job) => (job as { state?: string }).state === 'completed'),
    )
    await workers.stop()
    const later = await queue.enqueueRun(echoAgent, { n: 8 }, { tenant: 't1', dedupeKey: 'doc-42' })
    expect(later.deduplicated).toBe(false)
    expect(later.jobId).not.toBe(first.jobId)
  })

  it('retries transient failures with the policy, then dead-letters; permanent ones go straight to the DLQ', async () => {
    const transient = await queue.enqueueRun(flakyAgent, { failWith: 'provider' })
    const permanent = await queue.enqueueRun(flakyAgent, { failWith: 'invalid-output' })
    const workers = await queue.startWorkers({ agents: ['flaky'], ...FAST_POLLING })
    const health = await waitFor('two dead-lettered runs', async () => {
      const flaky = (await queue.getQueueHealth()).find((h) => h.agent === 'flaky')
      return flaky?.deadLettered === 2 ? flaky : undefined
    })
    await workers.stop()
    expect(health).toMatchObject({ queued: 0, active: 0, retrying: 0, failed: 2, deadLettered: 2 })
    const attempts = (runId: string) => calls.filter((job) => job.runId === runId).map((job) => job.attempt)
    expect(attempts(transient.runId)).toEqual([0, 1, 2]) // first attempt + retryLimit 2
    expect(attempts(permanent.runId)).toEqual([0])
    const dead = await queue.boss.findJobs(deadLetterName('flaky'), {})
    expect(dead.map((job) => (job.data as { runId: string }).runId).sort()).toEqual(
      [transient.runId, permanent.runId].sort(),
    )
    expect(dead.find((job) => job.sourceId === permanent.jobId)?.sourceOutput).toMatchObject({
      status: 'failed',
      error: { code: 'invalid-output' },
    })
  })

  it('keeps each tenant to its share of the workers', async () => {
    running = new Map()
    peak = new Map()
    // Runs outlast the poll interval, as real runs do, so a worker fetches again as soon as its run ends.
    const ms = 1000
    await queue.enqueueRuns(
      slowAgent,
      Array.from({ length: 6 }, () => ({ input: { ms }, tenant: 'big' })),
    )
    await queue.enqueueRuns(slowAgent, [
      { input: { ms }, tenant: 'small' },
      { input: { ms }, tenant: 'small' },
    ])
    const workers = await queue.startWorkers({
      agents: ['slow'],
      concurrency: 4,
      batchSize: 1,
      perTenantConcurrency: 2,
      perTenantScope: 'process',
      ...FAST_POLLING,
    })
    await waitFor(
      'slow runs to complete',
      async () => {
        const health = (await queue.getQueueHealth()).find((h) => h.agent === 'slow')
        return health && health.queued + health.active + health.retrying === 0
      },
      20_000,
    )
    await workers.stop()
    expect(peak.get('big')).toBeLessThanOrEqual(2)
    expect(peak.get('small')).toBeGreaterThanOrEqual(1)
    // The small tenant does not wait for the big tenant's backlog: both its runs start before the big one's last.
    const starts = calls.filter((job) => job.agent.slug === 'slow').map((job) => job.tenant)
    expect(starts).toHaveLength(8)
    expect(starts.lastIndexOf('small')).toBeLessThan(starts.lastIndexOf('big'))
  })

  it('fires a cron schedule and records it (pg-boss evaluates cron each cronMonitorIntervalSeconds)', async () => {
    const ref = await queue.schedule(echoAgent, '* * * * *', { n: 99 }, { tenant: 't9', key: 'nightly' })
    expect(ref).toEqual({ queue: 'agent.echo', key: 't9/nightly' })
    expect(await queue.boss.getSchedules(queueName('echo'))).toMatchObject([{ key: 't9/nightly', cron: '* * * * *' }])
    await expect(queue.schedule(echoAgent, '* * * * *', { n: 'x' })).rejects.toBeInstanceOf(AgentInputError)
    const workers = await queue.startWorkers({ agents: ['echo'], ...FAST_POLLING })
    // `* * * * *` came due at the start of this minute, inside pg-boss's 60 s due window, so the next cron pass sends it.
    const job = await waitFor('the scheduled run', () => calls.find((c) => c.schedule === 't9/nightly'), 20_000)
    await workers.stop()
    await queue.unschedule(echoAgent, { tenant: 't9', key: 'nightly' })
    expect(job).toMatchObject({ tenant: 't9', input: { n: 99 } })
    expect(job?.runId).toBe(job?.jobId)
    expect(await queue.boss.getSchedules(queueName('echo'))).toHaveLength(0)
  })

  it('runs the real run loop on the stub model, sending events to the sink', async () => {
    writerQueue = createAgentQueue({
      connectionString: db.url,
      agents: [writerAgent],
      sink,
      runOptions: { providers: createProviderRegistry().register('stub', stubProvider()) },
    })
    const workers = await writerQueue.startWorkers(FAST_POLLING)
    const { runId, jobId } = await writerQueue.enqueueRun(writerAgent, { topic: 'queues' }, { tenant: 't1' })
    const done = await waitFor('the writer run to complete', async () => {
      const jobs = await writerQueue?.boss.findJobs<unknown>(queueName('writer'), { id: jobId })
      return jobs?.[0]?.state === 'completed' ? jobs[0] : undefined
    })
    await workers.stop()
    expect(done?.data).toMatchObject({ runId, tenant: 't1', input: { topic: 'queues' } })
    expect(sink.ofType('output').find((event) => event.runId === runId)?.output).toEqual({ title: expect.any(String) })
    const finished = sink.ofType('run-finished').find((event) => event.runId === runId)
    expect(finished).toMatchObject({ agent: 'writer', status: 'succeeded' })
    expect(sink.ofType('run-started').find((event) => event.runId === runId)?.tenant).toBe('t1')
  })
})
