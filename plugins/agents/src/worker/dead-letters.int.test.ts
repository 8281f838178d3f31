/**
 * Crash recovery on the real CMS: a run whose worker claimed it and died (a second pg-boss instance
 * fetches the job and never heartbeats, as a process killed with SIGKILL) resumes in a live worker within
 * 15 s; and once its worker has died more often than the crash limit allows, the job is dead-lettered and
 * the run row ends `failed` with the reason — shown by the REST API the admin and the portal read — and
 * the same input starts again (the portal's Retry). Real PostgreSQL, pg-boss, the OpenAI SDK against the
 * mock LLM.
 */
import { defineAgent } from '@bizosaas/agents'
import { queueName } from '@bizosaas/agents/queue'
import { type MockLLM, startMockLLM } from '@bizosaas/agents/testing'
import { until } from '@bizosaas/scripts/test/until'
import type { Config, Payload } from 'payload'
import { PgBoss } from 'pg-boss'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { z } from 'zod'
import { DEMO_PASSWORD } from '../../../../cms/src/seed/data.ts'
import { seed } from '../../../../cms/src/seed/index.ts'
import { startTestCms, type TestCms } from '../../../../cms/src/test/harness.ts'
import { pluginConfigOf } from '../config.ts'
import { registerAgents } from '../runs/register.ts'
import { agentQueueOf } from '../store/queue.ts'
import type { Id } from '../types.ts'
import { type AgentsWorker, startAgentsWorker } from './index.ts'

const noteAgent = defineAgent({
  slug: 'crash-note',
  description: 'Writes a note (test agent)',
  input: z.object({ note: z.string().describe('What to write about') }),
  output: z.object({ text: z.string().describe('The note') }),
  instructions: 'Write the note.',
  prompt: (input) => `Crash note: ${input.note}`,
  model: 'openai:gpt-4.1-mini',
})

let cms: TestCms
let payload: Payload
let mock: MockLLM
let worker: AgentsWorker | undefined
/** The worker that dies: it claims jobs and never heartbeats or settles them. */
let deadWorker: PgBoss
let manager: string

type RunDoc = { id: Id; runId: string; status: string; input: unknown; error?: { code?: string; message?: string } }

beforeAll(async () => {
  mock = await startMockLLM({ script: [{ match: /Crash note/, reply: { json: { text: 'A note' } } }] })
  process.env.OPENAI_API_KEY = 'test-key'
  process.env.OPENAI_BASE_URL = mock.openaiBaseURL
  cms = await startTestCms('agent_dead_letters', {
    plugins: [(config: Config) => registerAgents(config, [{ agent: noteAgent }])],
  })
  payload = cms.payload
  await seed(payload)
  manager = await cms.login('manager@bizoholic.dev', DEMO_PASSWORD)
  deadWorker = new PgBoss({ connectionString: cms.db.url, supervise: false, schedule: false })
  deadWorker.on('error', () => {})
  await deadWorker.start()
})

afterEach(async () => {
  await worker?.stop({ graceMs: 1_000 })
  worker = undefined
})

afterAll(async () => {
  await deadWorker?.stop({ graceful: false, timeout: 1_000 }).catch(() => {})
  await agentQueueOf(payload, pluginConfigOf(payload))
    .stop({ graceMs: 1_000 })
    .catch(() => {})
  await cms?.close()
  await mock?.close()
})

const runDoc = async (id: Id) => (await cms.rest.get(`/agent-runs/${id}`, manager)).body as unknown as RunDoc

/** Starts a run (no worker yet) and lets the dying worker claim its job. */
async function runClaimedByADeadWorker(note: string): Promise<{ id: Id; claimedAt: number }> {
  const res = await cms.rest.post(`/agents/${noteAgent.slug}/runs`, { input: { note } }, manager)
  expect(res.status).toBe(202)
  const jobs = await until('the dying worker to claim the job', async () => {
    const fetched = await deadWorker.fetch(queueName(noteAgent.slug))
    return fetched?.length ? fetched : undefined
  })
  expect(jobs).toHaveLength(1)
  return { id: res.body.id as Id, claimedAt: Date.now() }
}

describe('a worker that dies holding a run', () => {
  it('hands the run to a live worker within 15 s, and it succeeds', async () => {
    const { id, claimedAt } = await runClaimedByADeadWorker('resume me')
    worker = await startAgentsWorker(payload)
    await until('the run to succeed in the live worker', async () => (await runDoc(id)).status === 'succeeded', 20_000)
    expect(Date.now() - claimedAt).toBeLessThan(15_000)
    expect(mock.requests.filter((r) => JSON.stringify(r.body).includes('Crash note: resume me'))).toHaveLength(1)
  }, 40_000)

  it('past the crash limit: dead-lettered, the run row failed with the reason, and it can run again', async () => {
    const { id } = await runClaimedByADeadWorker('kill me for good')
    worker = await startAgentsWorker(payload, { crashRecovery: { crashLimit: 0 } })
    const failed = await until(
      'the run row to be failed',
      async () => {
        const run = await runDoc(id)
        return run.status === 'failed' ? run : undefined
      },
      20_000,
    )
    expect(failed.error).toMatchObject({ code: 'worker-crashed', message: expect.stringMatching(/worker died/) })
    const dead = await deadWorker.findJobs(`${queueName(noteAgent.slug)}.dead`)
    expect(dead).toHaveLength(1)

    // The portal's Retry: the same input, a new run, which this time succeeds.
    const retry = await cms.rest.post(`/agents/${noteAgent.slug}/runs`, { input: failed.input }, manager)
    expect(retry.status).toBe(202)
    await until('the retried run to succeed', async () => (await runDoc(retry.body.id as Id)).status === 'succeeded')
  }, 40_000)
})
