/**
 * Scheduled agents on the real CMS: agent settings → pg-boss schedules (same transaction), the REST
 * refusal for agents without schedule support, `syncSchedules`, and cron-fired runs that respect the
 * tenant's settings — real PostgreSQL, real pg-boss cron, real OpenAI SDK against the mock LLM.
 */
import { defineAgent } from '@bizosaas/agents'
import { type MockLLM, startMockLLM } from '@bizosaas/agents/testing'
import { DEMO_PASSWORD, seed } from '@bizosaas/cms/seed'
import { startTestCms, type TestCms } from '@bizosaas/cms/test'
import { until as pollUntil } from '@bizosaas/scripts/test/until'
import { type Config, createLocalReq, initTransaction, killTransaction, type Payload } from 'payload'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { z } from 'zod'
import { pluginConfigOf } from './config.ts'
import { SETTINGS_SCHEDULE_KEY } from './constants.ts'
import { registerAgents } from './runs/register.ts'
import { syncSchedules } from './runs/schedules.ts'
import { agentQueueOf } from './store/queue.ts'
import type { Id } from './types.ts'
import { type AgentsWorker, startAgentsWorker } from './worker/index.ts'

const until = <T>(what: string, check: () => Promise<T | undefined | null | false>, timeoutMs = 30_000) =>
  pollUntil(what, check, timeoutMs, 200)

const digestAgent = defineAgent({
  slug: 'tenant-digest',
  description: 'Summarises what happened in a tenant (test agent)',
  input: z.object({
    tenant: z.string().describe('Tenant id'),
    days: z.number().int().positive().describe('How many days back to look'),
  }),
  output: z.object({ summary: z.string().describe('The digest') }),
  instructions: 'Write a short digest.',
  prompt: (input) => `Digest for tenant ${input.tenant} over ${input.days} days`,
  model: 'openai:gpt-4.1-mini',
})

const postCountAgent = defineAgent({
  slug: 'post-count',
  description: 'Reports how many posts a tenant has (test agent)',
  input: z.object({ posts: z.number().int().min(0).describe('Posts of the tenant when scheduled') }),
  output: z.object({ report: z.string().describe('The report') }),
  instructions: 'Report the post count.',
  prompt: (input) => `Post count report: ${input.posts} posts`,
  model: 'openai:gpt-4.1-mini',
})

const oneOffAgent = defineAgent({
  slug: 'one-off',
  description: 'Runs only when asked (test agent)',
  input: z.object({ note: z.string().describe('Anything') }),
  output: z.object({ ok: z.boolean().describe('Always true') }),
  instructions: 'Say ok.',
  model: 'openai:gpt-4.1-mini',
})

const brokenAgent = defineAgent({
  ...oneOffAgent,
  slug: 'broken-schedule',
  description: 'Its scheduled input does not match its schema (test agent)',
})

const testAgents = (config: Config) =>
  registerAgents(config, [
    {
      agent: digestAgent,
      schedule: {
        input: ({ tenant }) => ({ tenant: String(tenant), days: 7 }),
        defaultCron: '0 6 * * 1',
        description: 'Weekly digest',
      },
    },
    {
      agent: postCountAgent,
      schedule: {
        // Reads the tenant's data when the schedule is written.
        input: async ({ tenant, payload }) => ({
          posts: (await payload.count({ collection: 'posts', where: { tenant: { equals: tenant } } })).totalDocs,
        }),
      },
    },
    { agent: oneOffAgent },
    { agent: brokenAgent, schedule: { input: () => ({ note: 42 }) as never } },
  ])

/** A cron that will not come due while these tests run. */
const LATER = '0 6 1 1 *'

let cms: TestCms
let payload: Payload
let mock: MockLLM
let worker: AgentsWorker | undefined
let tenantA: Id
let tenantB: Id
let owner: string

beforeAll(async () => {
  mock = await startMockLLM({
    script: [
      { match: /Digest for tenant/, reply: { json: { summary: 'A quiet week' } } },
      { match: /Post count report/, reply: { json: { report: 'Posts counted' } } },
    ],
  })
  process.env.OPENAI_API_KEY = 'test-key'
  process.env.OPENAI_BASE_URL = mock.openaiBaseURL
  cms = await startTestCms('agent_schedules', {
    plugins: [testAgents],
    agents: {
      queue: {
        // Cron evaluated every second, so a `* * * * *` schedule fires within a few seconds.
        pgBoss: {
          superviseIntervalSeconds: 1,
          monitorIntervalSeconds: 1,
          cronMonitorIntervalSeconds: 1,
          cronWorkerIntervalSeconds: 1,
        },
        policy: { retryLimit: 0 },
      },
    },
  })
  payload = cms.payload
  await seed(payload)
  const tenants = await payload.find({ collection: 'tenants', depth: 0 })
  tenantA = tenants.docs.find((t) => t.slug === 'bizoholic')!.id
  tenantB = tenants.docs.find((t) => t.slug === 'coreldove')!.id
  owner = await cms.login('owner@bizoholic.dev', DEMO_PASSWORD)
})

afterAll(async () => {
  await worker?.stop({ graceMs: 2_000 })
  await agentQueueOf(payload, pluginConfigOf(payload))
    .stop({ graceMs: 1_000 })
    .catch(() => {})
  await cms?.close()
  await mock?.close()
})

const boss = () => agentQueueOf(payload, pluginConfigOf(payload)).boss
const scheduleOf = (agent: string, tenant: Id) =>
  boss().getSchedule(`agent.${agent}`, `${tenant}/${SETTINGS_SCHEDULE_KEY}`)

type Row = Record<string, unknown> & { id: Id }

const createSettings = async (data: Record<string, unknown>) =>
  (await payload.create({ collection: 'agent-settings', data: data as never, overrideAccess: true })) as unknown as Row
const updateSettings = (id: Id, data: Record<string, unknown>) =>
  payload.update({ collection: 'agent-settings', id, data: data as never, overrideAccess: true })
const deleteSettings = (id: Id) => payload.delete({ collection: 'agent-settings', id, overrideAccess: true })
const settingsCount = async (agent: string) =>
  (await payload.count({ collection: 'agent-settings', where: { agent: { equals: agent } }, overrideAccess: true }))
    .totalDocs

describe('agent settings drive schedules', () => {
  it('saving a cron through REST schedules the agent for that tenant only, with its scheduled input', async () => {
    const res = await cms.rest.post(
      '/agent-settings',
      { agent: 'tenant-digest', tenant: tenantA, schedule: LATER },
      owner,
    )
    expect(res.status).toBe(201)
    const schedule = await scheduleOf('tenant-digest', tenantA)
    expect(schedule).toMatchObject({
      cron: LATER,
      data: { tenant: String(tenantA), input: { tenant: String(tenantA), days: 7 } },
    })
    expect(await scheduleOf('tenant-digest', tenantB)).toBeNull()
    await deleteSettings((res.body.doc as Row).id)
    expect(await scheduleOf('tenant-digest', tenantA)).toBeNull()
  })

  it('clearing the cron or disabling the agent removes the schedule; enabling brings it back', async () => {
    const row = await createSettings({ agent: 'post-count', tenant: tenantB, schedule: LATER })
    const posts = (await payload.count({ collection: 'posts', where: { tenant: { equals: tenantB } } })).totalDocs
    expect((await scheduleOf('post-count', tenantB))?.data).toMatchObject({ input: { posts } })

    await updateSettings(row.id, { schedule: '' })
    expect(await scheduleOf('post-count', tenantB)).toBeNull()

    await updateSettings(row.id, { schedule: '30 5 * * *' })
    expect((await scheduleOf('post-count', tenantB))?.cron).toBe('30 5 * * *')

    await updateSettings(row.id, { enabled: false })
    expect(await scheduleOf('post-count', tenantB)).toBeNull()

    await updateSettings(row.id, { enabled: true, monthlyBudgetUsd: 3 })
    expect((await scheduleOf('post-count', tenantB))?.cron).toBe('30 5 * * *')

    // Moving the row to another agent takes the schedule along.
    await updateSettings(row.id, { agent: 'tenant-digest' })
    expect(await scheduleOf('post-count', tenantB)).toBeNull()
    expect((await scheduleOf('tenant-digest', tenantB))?.cron).toBe('30 5 * * *')

    await deleteSettings(row.id)
    expect(await scheduleOf('tenant-digest', tenantB)).toBeNull()
  })

  it('refuses a cron for an agent without schedule support with a 400 naming the agent', async () => {
    const res = await cms.rest.post('/agent-settings', { agent: 'one-off', tenant: tenantA, schedule: LATER }, owner)
    expect(res.status).toBe(400)
    expect(JSON.stringify(res.body)).toContain('The agent \\"one-off\\" cannot run on a schedule')
    expect(await settingsCount('one-off')).toBe(0)

    // Without a cron the same settings are fine.
    const plain = await cms.rest.post('/agent-settings', { agent: 'one-off', tenant: tenantA }, owner)
    expect(plain.status).toBe(201)
    await deleteSettings((plain.body.doc as Row).id)

    // Moving a scheduled row onto such an agent is refused as well, and its schedule stays.
    const digest = await cms.rest.post(
      '/agent-settings',
      { agent: 'tenant-digest', tenant: tenantA, schedule: LATER },
      owner,
    )
    const id = (digest.body.doc as Row).id
    const moved = await cms.rest.patch(`/agent-settings/${id}`, { agent: 'one-off' }, owner)
    expect(moved.status).toBe(400)
    expect(JSON.stringify(moved.body)).toContain('The agent \\"one-off\\" cannot run on a schedule')
    expect((await scheduleOf('tenant-digest', tenantA))?.cron).toBe(LATER)
    await deleteSettings(id)
  })

  it('a schedule that cannot be written fails the save, and nothing is saved', async () => {
    const res = await cms.rest.post(
      '/agent-settings',
      { agent: 'broken-schedule', tenant: tenantA, schedule: LATER },
      owner,
    )
    expect(res.status).toBe(500)
    expect(JSON.stringify(res.body)).toContain('The schedule of \\"broken-schedule\\" could not be saved')
    expect(await settingsCount('broken-schedule')).toBe(0)
    expect(await scheduleOf('broken-schedule', tenantA)).toBeNull()
  })

  it('writes the schedule in the save’s transaction: invisible until commit, gone on rollback', async () => {
    const req = await createLocalReq({}, payload)
    await initTransaction(req)
    await payload.create({
      collection: 'agent-settings',
      data: { agent: 'tenant-digest', tenant: tenantA, schedule: LATER } as never,
      req,
      overrideAccess: true,
    })
    // pg-boss's own pool does not see the uncommitted schedule…
    expect(await scheduleOf('tenant-digest', tenantA)).toBeNull()
    await killTransaction(req)
    // …and after the rollback neither the row nor the schedule exists.
    expect(await settingsCount('tenant-digest')).toBe(0)
    expect(await scheduleOf('tenant-digest', tenantA)).toBeNull()
  })

  it('GET /api/agents says which agents can run on a schedule', async () => {
    const res = await cms.rest.get('/agents', owner)
    expect(res.status).toBe(200)
    const agents = res.body.agents as Row[]
    expect(agents.find((a) => a.slug === 'tenant-digest')).toMatchObject({
      schedulable: true,
      defaultCron: '0 6 * * 1',
      scheduleDescription: 'Weekly digest',
    })
    expect(agents.find((a) => a.slug === 'post-count')).toMatchObject({ schedulable: true, defaultCron: null })
    expect(agents.find((a) => a.slug === 'one-off')).toMatchObject({ schedulable: false, defaultCron: null })
  })
})

describe('syncSchedules', () => {
  it('restores a lost schedule, removes settings-owned ones nothing asks for, leaves code-made ones alone', async () => {
    const queue = agentQueueOf(payload, pluginConfigOf(payload))
    const row = await createSettings({ agent: 'tenant-digest', tenant: tenantA, schedule: LATER })
    const disabled = await createSettings({ agent: 'post-count', tenant: tenantA, schedule: LATER, enabled: false })
    // Drift: the schedule lost behind the settings' back, an orphan with the settings key, a code-made one.
    await boss().unschedule('agent.tenant-digest', `${tenantA}/${SETTINGS_SCHEDULE_KEY}`)
    await queue.schedule('post-count', LATER, { posts: 1 }, { tenant: String(tenantB), key: SETTINGS_SCHEDULE_KEY })
    await queue.schedule('post-count', LATER, { posts: 1 }, { tenant: String(tenantA), key: SETTINGS_SCHEDULE_KEY })
    await queue.schedule('post-count', LATER, { posts: 2 }, { tenant: String(tenantB), key: 'nightly' })
    expect(await scheduleOf('tenant-digest', tenantA)).toBeNull()

    const result = await syncSchedules(payload)
    expect(result.scheduled).toEqual([{ agent: 'tenant-digest', tenant: tenantA, cron: LATER }])
    expect(result.removed).toEqual(
      expect.arrayContaining([
        { agent: 'post-count', tenant: String(tenantB) },
        { agent: 'post-count', tenant: String(tenantA) },
      ]),
    )
    expect(result.removed).toHaveLength(2)
    expect(result.failed).toEqual([])
    expect(await scheduleOf('tenant-digest', tenantA)).toMatchObject({ cron: LATER })
    expect(await scheduleOf('post-count', tenantB)).toBeNull()
    expect(await scheduleOf('post-count', tenantA)).toBeNull()
    expect(await boss().getSchedule('agent.post-count', `${tenantB}/nightly`)).not.toBeNull()

    await queue.unschedule('post-count', { tenant: String(tenantB), key: 'nightly' })
    await deleteSettings(row.id)
    await deleteSettings(disabled.id)
  })
})

describe('scheduled runs', () => {
  const runsOf = async (agent: string, tenant: Id) =>
    (
      await payload.find({
        collection: 'agent-runs',
        where: { and: [{ agent: { equals: agent } }, { tenant: { equals: tenant } }] },
        depth: 0,
        overrideAccess: true,
      })
    ).docs as unknown as Array<
      Row & { runId: string; status: string; error?: { code: string; message: string }; trigger?: { kind: string } }
    >
  const modelCallsFor = (pattern: RegExp) => mock.requests.filter((r) => pattern.test(r.prompt))

  it('a run fired for an agent disabled since ends cancelled without a model call', async () => {
    const row = await createSettings({ agent: 'tenant-digest', tenant: tenantB, schedule: '* * * * *' })
    // No worker yet: pg-boss's cron puts the job in the queue, then the tenant turns the agent off.
    const job = await until('the cron to send a job', async () => {
      const jobs = await boss().findJobs('agent.tenant-digest', { data: { tenant: String(tenantB) } })
      return jobs[0]
    })
    await updateSettings(row.id, { enabled: false })
    expect(await scheduleOf('tenant-digest', tenantB)).toBeNull()

    worker = await startAgentsWorker(payload, { concurrency: 2, expiryIntervalMs: 60_000 })
    const run = await until('the scheduled run to end', async () =>
      (await runsOf('tenant-digest', tenantB)).find(
        // The worker writes the run's row (queued) before it reads the settings and ends it.
        (r) => r.runId === job.id && !['queued', 'running'].includes(r.status),
      ),
    )
    expect(run).toMatchObject({
      status: 'cancelled',
      trigger: { kind: 'schedule' },
      error: { code: 'cancelled', message: 'the agent was disabled for this tenant' },
    })
    expect(modelCallsFor(new RegExp(`Digest for tenant ${tenantB}`))).toHaveLength(0)
    await deleteSettings(row.id)
  })

  it('a run fired once the monthly budget is spent ends failed with the reason, without a model call', async () => {
    worker ??= await startAgentsWorker(payload, { concurrency: 2 })
    const row = await createSettings({
      agent: 'tenant-digest',
      tenant: tenantA,
      schedule: '* * * * *',
      monthlyBudgetUsd: 0,
    })
    const run = await until('the scheduled run to end', async () =>
      (await runsOf('tenant-digest', tenantA)).find((r) => ['failed', 'succeeded', 'cancelled'].includes(r.status)),
    )
    await deleteSettings(row.id)
    expect(run).toMatchObject({ status: 'failed', trigger: { kind: 'schedule' }, error: { code: 'budget-exceeded' } })
    expect(run.error?.message).toContain('monthly budget of $0 for "tenant-digest" is used up')
    expect(modelCallsFor(new RegExp(`Digest for tenant ${tenantA}`))).toHaveLength(0)
  })

  it('an enabled schedule runs the agent with its scheduled input', async () => {
    worker ??= await startAgentsWorker(payload, { concurrency: 2 })
    const row = await createSettings({ agent: 'post-count', tenant: tenantA, schedule: '* * * * *' })
    const posts = (await payload.count({ collection: 'posts', where: { tenant: { equals: tenantA } } })).totalDocs
    const run = await until('the scheduled run to succeed', async () =>
      (await runsOf('post-count', tenantA)).find((r) => r.status === 'succeeded'),
    )
    await deleteSettings(row.id)
    expect(run).toMatchObject({ trigger: { kind: 'schedule' }, input: { posts }, output: { report: 'Posts counted' } })
    expect(modelCallsFor(new RegExp(`Post count report: ${posts} posts`)).length).toBeGreaterThan(0)
  })
})
