/**
 * Cancelling runs on the real CMS: `POST /api/agent-runs/:id/cancel` for a queued run (its pg-boss job
 * cancelled, never started) and a running one (the worker stops at the next step boundary, applies
 * nothing, and the run stays `cancelled`), the run's SSE stream ending, and the refusals (role, another
 * tenant, a finished run) — real PostgreSQL, real pg-boss, the real OpenAI SDK against the mock LLM.
 */
import { defineAgent } from '@bizosaas/agents'
import { queueName } from '@bizosaas/agents/queue'
import { type MockLLM, startMockLLM } from '@bizosaas/agents/testing'
import { DEMO_PASSWORD, seed } from '@bizosaas/cms/seed'
import { startTestCms, type TestCms } from '@bizosaas/cms/test'
import { until } from '@bizosaas/scripts/test/until'
import type { Config, Payload } from 'payload'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { z } from 'zod'
import { pluginConfigOf } from './config.ts'
import { registerAgents } from './runs/register.ts'
import { agentQueueOf } from './store/queue.ts'
import type { Id } from './types.ts'
import { type AgentsWorker, startAgentsWorker } from './worker/index.ts'

/** What the agent applied, by note: a cancelled run must add nothing here. */
const applied: string[] = []

const slowAgent = defineAgent({
  slug: 'slow-writer',
  description: 'Writes a note after a slow model call, and applies it (test agent)',
  input: z.object({ note: z.string().describe('What to write about') }),
  output: z.object({ text: z.string().describe('The note') }),
  instructions: 'Write the note.',
  prompt: (input) => `Slow note: ${input.note}`,
  model: 'openai:gpt-4.1-mini',
  apply: async (_output, context) => {
    applied.push((context.input as { note: string }).note)
    return { ok: true }
  },
})

const testAgents = (config: Config) => registerAgents(config, [{ agent: slowAgent }])

let cms: TestCms
let payload: Payload
let mock: MockLLM
let worker: AgentsWorker | undefined
let manager: string
let client: string
let otherOwner: string

beforeAll(async () => {
  mock = await startMockLLM({
    script: [{ match: /Slow note/, reply: { json: { text: 'A note' }, delayMs: 4_000 } }],
  })
  process.env.OPENAI_API_KEY = 'test-key'
  process.env.OPENAI_BASE_URL = mock.openaiBaseURL
  cms = await startTestCms('agent_cancel', {
    plugins: [testAgents],
    agents: { queue: { policy: { retryLimit: 2 } } },
  })
  payload = cms.payload
  await seed(payload)
  manager = await cms.login('manager@bizoholic.dev', DEMO_PASSWORD)
  client = await cms.login('client@bizoholic.dev', DEMO_PASSWORD)
  otherOwner = await cms.login('owner@coreldove.dev', DEMO_PASSWORD)
})

afterAll(async () => {
  await worker?.stop({ graceMs: 2_000 })
  await agentQueueOf(payload, pluginConfigOf(payload))
    .stop({ graceMs: 1_000 })
    .catch(() => {})
  await cms?.close()
  await mock?.close()
})

type RunDoc = { id: Id; runId: string; status: string; error?: { code?: string; message?: string } | null }

const runOf = (id: Id) =>
  payload.findByID({ collection: 'agent-runs', id, depth: 0, overrideAccess: true }) as unknown as Promise<RunDoc>

async function tenantIdsBySlug(): Promise<Record<string, Id>> {
  const { docs } = await payload.find({ collection: 'tenants', depth: 0, pagination: false, overrideAccess: true })
  return Object.fromEntries(docs.map((t) => [t.slug, t.id]))
}

async function startSlowRun(note: string): Promise<Id> {
  const res = await cms.rest.post('/agents/slow-writer/runs', { input: { note } }, manager)
  expect(res.status).toBe(202)
  return res.body.id as Id
}

const modelCallsFor = (note: string) =>
  mock.requests.filter((r) => JSON.stringify(r.body).includes(`Slow note: ${note}`)).length

describe('cancelling a run', () => {
  it('a queued run: refused for clients and other tenants, then its job is cancelled and it never starts', async () => {
    // No worker yet: the run stays queued.
    const id = await startSlowRun('queued')
    expect((await runOf(id)).status).toBe('queued')

    const asClient = await cms.rest.post(`/agent-runs/${id}/cancel`, {}, client)
    expect(asClient.status).toBe(403)
    expect(asClient.body.error).toMatch(/cannot cancel/)
    const asOtherTenant = await cms.rest.post(`/agent-runs/${id}/cancel`, {}, otherOwner)
    expect(asOtherTenant.status).toBe(404)
    const anonymous = await cms.rest.post(`/agent-runs/${id}/cancel`, {})
    expect(anonymous.status).toBe(401)
    const badBody = await cms.rest.post(`/agent-runs/${id}/cancel`, { reason: 42 }, manager)
    expect(badBody.status).toBe(400)
    const badTenant = await cms.rest.post(`/agent-runs/${id}/cancel`, { tenant: 'bizoholic' }, manager)
    expect(badTenant.status).toBe(400)
    expect(badTenant.body.error).toMatch(/"tenant": 3/)
    // Naming a tenant: a run of any other tenant is "not found", even to a user who may see it.
    const tenantIds = await tenantIdsBySlug()
    const elsewhere = await cms.rest.post(`/agent-runs/${id}/cancel`, { tenant: tenantIds.coreldove }, manager)
    expect(elsewhere.status).toBe(404)
    expect(elsewhere.body.error).toBe(`No agent run ${id} in tenant ${tenantIds.coreldove}`)
    expect((await runOf(id)).status).toBe('queued')

    const res = await cms.rest.post(
      `/agent-runs/${id}/cancel`,
      { reason: 'wrong input', tenant: tenantIds.bizoholic },
      manager,
    )
    expect(res.status).toBe(200)
    expect(res.body).toMatchObject({ id, status: 'cancelled', was: 'queued', jobs: 1 })
    const run = await runOf(id)
    expect(run.status).toBe('cancelled')
    expect(run.error).toMatchObject({ code: 'cancelled', message: 'Cancelled by manager@bizoholic.dev: wrong input' })
    const jobs = await agentQueueOf(payload, pluginConfigOf(payload)).boss.findJobs<{ runId: string }>(
      queueName('slow-writer'),
      { data: { runId: run.runId } },
    )
    expect(jobs.map((j) => j.state)).toEqual(['cancelled'])

    const again = await cms.rest.post(`/agent-runs/${id}/cancel`, {}, manager)
    expect(again.status).toBe(409)
    expect(again.body.error).toBe('This run already ended (cancelled); there is nothing to cancel.')

    // A worker started now finds nothing to do for it.
    worker = await startAgentsWorker(payload, { concurrency: 2 })
    await new Promise((r) => setTimeout(r, 2_500))
    expect((await runOf(id)).status).toBe('cancelled')
    expect(modelCallsFor('queued')).toBe(0)
    expect(applied).not.toContain('queued')
  })

  it('a running run: stops at the next step boundary, applies nothing, stays cancelled; its stream ends', async () => {
    const id = await startSlowRun('running')
    await until('the run to start', async () => (await runOf(id)).status === 'running' && modelCallsFor('running') > 0)
    // Follow it as the run page does.
    const stream = cms.rest.get(`/agent-runs/${id}/events`, manager)

    const res = await cms.rest.post(`/agent-runs/${id}/cancel`, {}, manager)
    expect(res.status).toBe(200)
    expect(res.body).toMatchObject({ status: 'cancelled', was: 'running' })

    const events = String((await stream).body.raw)
    const end = /event: end\ndata: (.*)\n/.exec(events)?.[1]
    expect(end && JSON.parse(end)).toMatchObject({ id, status: 'cancelled' })

    // Past the slow model call and any retry the queue could make: still cancelled, nothing applied.
    await new Promise((r) => setTimeout(r, 6_000))
    const run = await runOf(id)
    expect(run.status).toBe('cancelled')
    expect(run.error).toMatchObject({ code: 'cancelled', message: 'Cancelled by manager@bizoholic.dev' })
    expect(applied).not.toContain('running')
    expect(modelCallsFor('running')).toBe(1)
    const jobs = await agentQueueOf(payload, pluginConfigOf(payload)).boss.findJobs<{ runId: string }>(
      queueName('slow-writer'),
      { data: { runId: run.runId } },
    )
    expect(jobs.every((j) => !['created', 'retry', 'active'].includes(j.state))).toBe(true)
  })

  it('a finished run cannot be cancelled, with a clear 409', async () => {
    mock.setScript([{ match: /Slow note/, reply: { json: { text: 'Quick' } } }])
    const id = await startSlowRun('finished')
    await until('the run to succeed', async () => (await runOf(id)).status === 'succeeded')
    expect(applied).toContain('finished')
    const res = await cms.rest.post(`/agent-runs/${id}/cancel`, {}, manager)
    expect(res.status).toBe(409)
    expect(res.body).toMatchObject({
      error: 'This run already ended (succeeded); there is nothing to cancel.',
      status: 'succeeded',
    })
    expect((await runOf(id)).status).toBe('succeeded')
  })
})
