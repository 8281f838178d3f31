import { until as pollUntil } from '@bizosaas/scripts/test/until'
/**
 * The example agent plugin built into the BizOSaaS Payload config and run end to end: REST → pg-boss
 * → worker → real OpenAI SDK against the mock LLM → rows → human approval → apply.
 */

import { defineAgent } from '@bizosaas/agents'
import { type MockLLM, startMockLLM } from '@bizosaas/agents/testing'
import { DEMO_PASSWORD, seed } from '@bizosaas/cms/seed'
import { startTestCms, type TestCms } from '@bizosaas/cms/test'
import { type AgentsWorker, applyApproval, registerAgents, startAgentsWorker } from '@bizosaas/plugin-agents'
import type { Config } from 'payload'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { titleScript } from './fixtures/mock-title-model.ts'
import { exampleAgentPlugin, postTitleAgent } from './index.ts'

const until = <T>(what: string, check: () => Promise<T | undefined | null | false>, timeoutMs = 20_000) =>
  pollUntil(what, check, timeoutMs, 100)

/** The same agent, run by a trigger whenever a published post's title is marked "[auto]". */
const autoTitlePlugin = (config: Config) =>
  registerAgents(config, [
    {
      agent: defineAgent({
        ...postTitleAgent,
        slug: 'auto-title',
        prompt: (input) => `Auto-retitle post ${input.target.id}`,
      }),
      targets: ['posts'],
      triggers: [
        {
          collection: 'posts',
          when: ({ doc }) => doc._status === 'published' && String(doc.title).includes('[auto]'),
          input: ({ doc }) => ({ target: { collection: 'posts' as const, id: doc.id } }),
        },
      ],
    },
  ])

type Id = number
type Row = Record<string, unknown> & { id: Id }

let cms: TestCms
let mock: MockLLM
let worker: AgentsWorker
let tenantA: Id
let tenantB: Id
const token: Record<string, string> = {}

beforeAll(async () => {
  // Trigger runs answer slowly, so an edit storm lands while the first run is still going.
  mock = await startMockLLM({
    script: [
      ...titleScript(),
      { match: /Auto-retitle post/, reply: { json: { title: 'An automatic better title' }, delayMs: 2_500 } },
    ],
  })
  process.env.OPENAI_API_KEY = 'test-key'
  process.env.OPENAI_BASE_URL = mock.openaiBaseURL
  cms = await startTestCms('example_agent', {
    plugins: [exampleAgentPlugin(), autoTitlePlugin],
    agents: { approvalTtlHours: 1, queue: { policy: { retryDelaySeconds: 1, retryBackoff: false } } },
  })
  await seed(cms.payload)
  const tenants = await cms.payload.find({ collection: 'tenants', depth: 0 })
  tenantA = tenants.docs.find((t) => t.slug === 'bizoholic')!.id
  tenantB = tenants.docs.find((t) => t.slug === 'coreldove')!.id
  for (const who of [
    'owner@bizoholic.dev',
    'manager@bizoholic.dev',
    'client@bizoholic.dev',
    'manager@coreldove.dev',
    'owner@coreldove.dev',
  ])
    token[who] = await cms.login(who, DEMO_PASSWORD)
  worker = await startAgentsWorker(cms.payload, { concurrency: 4, expiryIntervalMs: 300 })
})

afterAll(async () => {
  await worker?.stop({ graceMs: 2_000 })
  await cms?.close()
  await mock?.close()
})

const postOf = async (tenant: Id, skip = 0) =>
  (
    await cms.payload.find({
      collection: 'posts',
      where: { tenant: { equals: tenant } },
      sort: 'id',
      depth: 0,
      limit: 1,
      page: skip + 1,
    })
  ).docs[0] as unknown as Row & { title: string }

const runRow = (runId: string) =>
  cms.payload
    .find({ collection: 'agent-runs', where: { runId: { equals: runId } }, depth: 0, limit: 1 })
    .then((r) => r.docs[0] as unknown as (Row & { status: string; runId: string }) | undefined)

const approvalOf = (runId: string) =>
  cms.payload
    .find({ collection: 'approvals', where: { runId: { equals: runId } }, depth: 0, limit: 1 })
    .then((r) => r.docs[0] as unknown as (Row & { status: string }) | undefined)

async function startTitleRun(postId: Id, who = 'manager@bizoholic.dev', extra: Record<string, unknown> = {}) {
  return cms.rest.post(
    '/agents/post-title/runs',
    { input: { target: { collection: 'posts', id: postId }, ...extra } },
    token[who],
  )
}

async function runToApproval(postId: Id) {
  const res = await startTitleRun(postId)
  expect(res.status).toBe(202)
  const runId = res.body.runId as string
  await until('awaiting approval', async () => (await runRow(runId))?.status === 'awaiting-approval')
  return { runId, id: res.body.id as Id, approval: (await approvalOf(runId))! }
}

describe('run → approval → apply', () => {
  it('lists the agent with its JSON Schemas for the caller’s tenant', async () => {
    const res = await cms.rest.get('/agents', token['manager@bizoholic.dev'])
    expect(res.status).toBe(200)
    const agent = (res.body.agents as Row[]).find((a) => a.slug === 'post-title')!
    expect(agent).toMatchObject({ approval: 'always', targets: ['posts'], label: 'Post title' })
    expect(JSON.stringify(agent.inputSchema)).toContain('"target"')
    expect(JSON.stringify(agent.outputSchema)).toContain('"title"')
    // What the caller may do there, so the admin and portal offer only what will be allowed.
    expect(res.body.can).toEqual({ run: true, review: true, configure: false })
    expect((await cms.rest.get('/agents', token['owner@bizoholic.dev'])).body.can).toEqual({
      run: true,
      review: true,
      configure: true,
    })
    expect((await cms.rest.get('/agents', token['client@bizoholic.dev'])).body.can).toEqual({
      run: false,
      review: false,
      configure: false,
    })
  })

  it('proposes, waits for a person, applies once approved, and records every call', async () => {
    const post = await postOf(tenantA)
    const { runId, approval } = await runToApproval(post.id)
    expect(approval).toMatchObject({ status: 'pending', current: { title: post.title } })
    const proposed = (approval.proposed as { title: string }).title
    expect(proposed).toBe(`A clearer guide: ${post.title}`.slice(0, 70))
    // Nothing changes before approval.
    expect((await cms.payload.findByID({ collection: 'posts', id: post.id })).title).toBe(post.title)

    const steps = await cms.payload.find({
      collection: 'agent-steps',
      where: { runId: { equals: runId } },
      sort: 'seq',
      depth: 0,
    })
    const kinds = steps.docs.map((s) => (s as unknown as { kind: string }).kind)
    expect(kinds.filter((k) => k === 'model-call')).toHaveLength(2)
    expect(kinds).toContain('tool-call')
    const run = (await runRow(runId))!
    expect(run).toMatchObject({
      agent: 'post-title',
      trigger: { kind: 'manual' },
      target: { collection: 'posts', docId: String(post.id) },
    })
    expect((run.usage as { inputTokens: number }).inputTokens).toBeGreaterThanOrEqual(1200)
    expect(run.costUsd as number).toBeGreaterThan(0)

    const approved = await cms.rest.post(`/approvals/${approval.id}/approve`, {}, token['manager@bizoholic.dev'])
    expect(approved.status).toBe(202)
    await until('applied', async () => (await approvalOf(runId))?.status === 'applied')
    expect((await cms.payload.findByID({ collection: 'posts', id: post.id })).title).toBe(proposed)
    expect(await runRow(runId)).toMatchObject({ status: 'succeeded', appliedAt: expect.any(String) })

    const again = await cms.rest.post(`/approvals/${approval.id}/approve`, {}, token['manager@bizoholic.dev'])
    expect(again.status).toBe(409)
    expect(again.body.error).toMatch(/already applied/)
  })

  it('applies once even when the apply job runs again after a crash', async () => {
    const post = await postOf(tenantA, 1)
    const { runId, approval } = await runToApproval(post.id)
    await cms.rest.post(`/approvals/${approval.id}/approve`, {}, token['owner@bizoholic.dev'])
    await until('applied', async () => (await approvalOf(runId))?.status === 'applied')
    const versions = async () =>
      (await cms.payload.findVersions({ collection: 'posts', where: { parent: { equals: post.id } }, limit: 0 }))
        .totalDocs
    const before = await versions()
    // As if the worker died after applying but before recording it: the job runs again.
    await cms.payload.update({ collection: 'approvals', id: approval.id, data: { status: 'approved' } })
    expect(await applyApproval(cms.payload, approval.id)).toBe('applied')
    expect(await applyApproval(cms.payload, approval.id)).toBe('already-applied')
    expect(await versions()).toBe(before)
  })

  it('rejects with feedback and re-runs with the feedback in the prompt', async () => {
    const post = await postOf(tenantA, 2)
    const { runId, approval } = await runToApproval(post.id)
    const res = await cms.rest.post(
      `/approvals/${approval.id}/reject`,
      { feedback: 'mention ceramics', rerun: true },
      token['manager@bizoholic.dev'],
    )
    expect(res.status).toBe(202)
    expect((await runRow(runId))?.status).toBe('rejected')
    const rerun = res.body.rerun as { runId: string }
    await until('re-run awaiting approval', async () => (await runRow(rerun.runId))?.status === 'awaiting-approval')
    expect(((await approvalOf(rerun.runId))!.proposed as { title: string }).title).toContain('(mention ceramics)')
    expect(mock.requests.some((r) => r.prompt.includes('Reviewer feedback: mention ceramics'))).toBe(true)
    expect(await runRow(rerun.runId)).toMatchObject({ feedback: 'mention ceramics', trigger: { kind: 'rerun' } })
    expect((await cms.payload.findByID({ collection: 'posts', id: post.id })).title).toBe(post.title)
  })

  it('streams a run’s progress over server-sent events, then its final state', async () => {
    const post = await postOf(tenantA)
    const res = await startTitleRun(post.id)
    const stream = await cms.rest.request('GET', `/agent-runs/${res.body.id}/events`, {
      token: token['client@bizoholic.dev'],
    })
    expect(stream.status).toBe(200)
    const text = String(stream.body.raw)
    expect(text).toMatch(/event: step\n/)
    expect(text).toMatch(/event: end\ndata: \{[^\n]*"status":"awaiting-approval"/)
  })
})

describe('triggers', () => {
  it('an edit storm on a published post runs the triggered agent once', async () => {
    const post = await postOf(tenantA, 1)
    for (let i = 0; i < 5; i++)
      await cms.payload.update({
        collection: 'posts',
        id: post.id,
        data: { title: `[auto] draft ${i}`, _status: 'published' },
      })
    const runsOf = () =>
      cms.payload.find({
        collection: 'agent-runs',
        where: { and: [{ agent: { equals: 'auto-title' } }, { 'target.docId': { equals: String(post.id) } }] },
        depth: 0,
      })
    await until('the triggered run', async () => (await runsOf()).docs.some((r) => r.status === 'awaiting-approval'))
    const runs = await runsOf()
    expect(runs.totalDocs).toBe(1)
    expect(runs.docs[0]).toMatchObject({ trigger: { kind: 'hook', detail: 'posts update' } })
  })
})

describe('bad input gets a 4xx with the reason and leaves no run behind', () => {
  const runCount = () => cms.payload.count({ collection: 'agent-runs' }).then((r) => r.totalDocs)

  it('invalid input, unknown agent, another tenant’s document, a client', async () => {
    const before = await runCount()
    const invalid = await cms.rest.post(
      '/agents/post-title/runs',
      { input: { target: { collection: 'posts' } } },
      token['manager@bizoholic.dev'],
    )
    expect(invalid.status).toBe(400)
    expect(JSON.stringify(invalid.body.issues)).toMatch(/target\.id/)

    const unknown = await cms.rest.post('/agents/nope/runs', { input: {} }, token['manager@bizoholic.dev'])
    expect(unknown.status).toBe(404)
    expect(unknown.body.error).toMatch(/Unknown agent "nope".*post-title/)

    const foreign = await startTitleRun((await postOf(tenantB)).id)
    expect(foreign.status).toBe(404)

    const client = await startTitleRun((await postOf(tenantA)).id, 'client@bizoholic.dev')
    expect(client.status).toBe(403)

    const otherTenant = await cms.rest.post(
      '/agents/post-title/runs',
      { tenant: tenantB, input: { target: { collection: 'posts', id: (await postOf(tenantB)).id } } },
      token['manager@bizoholic.dev'],
    )
    expect(otherTenant.status).toBe(404)
    expect(await runCount()).toBe(before)
  })

  it('a disabled agent and a spent budget are refused with the reason', async () => {
    const owner = token['owner@bizoholic.dev']
    const created = await cms.rest.post(
      '/agent-settings',
      { agent: 'post-title', tenant: tenantA, enabled: false },
      owner,
    )
    expect(created.status).toBe(201)
    const settingsId = (created.body.doc as Row).id
    const before = await runCount()
    const disabled = await startTitleRun((await postOf(tenantA)).id)
    expect(disabled.status).toBe(409)
    expect(disabled.body.error).toMatch(/disabled/)
    const listed = await cms.rest.get('/agents', token['manager@bizoholic.dev'])
    expect((listed.body.agents as Row[]).map((a) => a.slug)).not.toContain('post-title')

    expect(
      (await cms.rest.patch(`/agent-settings/${settingsId}`, { enabled: true, monthlyBudgetUsd: 0 }, owner)).status,
    ).toBe(200)
    const broke = await startTitleRun((await postOf(tenantA)).id)
    expect(broke.status).toBe(402)
    expect(broke.body.error).toMatch(/monthly budget of \$0/)
    expect(await runCount()).toBe(before)

    const bad = await cms.rest.patch(
      `/agent-settings/${settingsId}`,
      { monthlyBudgetUsd: -5, schedule: 'every day', models: ['gpt4'] },
      owner,
    )
    expect(bad.status).toBe(400)
    const text = JSON.stringify(bad.body)
    expect(text).toMatch(/monthlyBudgetUsd/)
    expect(text).toMatch(/cron/)
    expect(text).toMatch(/provider:model/)
    expect(
      (
        await cms.rest.patch(
          `/agent-settings/${settingsId}`,
          { monthlyBudgetUsd: null },
          token['manager@bizoholic.dev'],
        )
      ).status,
    ).toBe(403)
    await cms.payload.delete({ collection: 'agent-settings', id: settingsId })
  })

  it('approvals: clients cannot decide, another tenant’s is not found, expired and decided ones conflict', async () => {
    const { approval } = await runToApproval((await postOf(tenantA)).id)
    expect((await cms.rest.post(`/approvals/${approval.id}/approve`, {}, token['client@bizoholic.dev'])).status).toBe(
      403,
    )
    expect((await cms.rest.post(`/approvals/${approval.id}/approve`, {}, token['manager@coreldove.dev'])).status).toBe(
      404,
    )
    // Naming a tenant the approval is not in: not found, even for a reviewer of its own tenant; nothing decided.
    const elsewhere = await cms.rest.post(
      `/approvals/${approval.id}/approve`,
      { tenant: tenantB },
      token['manager@bizoholic.dev'],
    )
    expect(elsewhere.status).toBe(404)
    expect(elsewhere.body.error).toBe(`No approval ${approval.id} in tenant ${tenantB}`)
    const badTenant = await cms.rest.post(
      `/approvals/${approval.id}/reject`,
      { tenant: 'coreldove' },
      token['manager@bizoholic.dev'],
    )
    expect(badTenant.status).toBe(400)
    expect((await approvalOf(approval.runId as string))?.status).toBe('pending')
    expect(
      (await cms.rest.post(`/approvals/${approval.id}/reject`, { rerun: true }, token['manager@bizoholic.dev'])).status,
    ).toBe(400)
    await cms.payload.update({
      collection: 'approvals',
      id: approval.id,
      data: { expiresAt: new Date(Date.now() - 1000).toISOString() },
    })
    // (No body at all is fine: it reads as {}.)
    const expired = await cms.rest.request('POST', `/approvals/${approval.id}/approve`, {
      token: token['manager@bizoholic.dev'],
    })
    expect(expired.status).toBe(409)
    expect(expired.body.error).toMatch(/expired/)
    // The worker's sweep marks it expired and cancels the run.
    await until('expired', async () => (await approvalOf(approval.runId as string))?.status === 'expired')
    await until('cancelled', async () => (await runRow(approval.runId as string))?.status === 'cancelled')
  })
})

describe('tenant isolation of runs, steps, approvals and settings', () => {
  it('tenant B users see none of tenant A’s agent rows over REST, GraphQL or SSE', async () => {
    const { id: runDocId, runId } = await runToApproval((await postOf(tenantA)).id)
    await cms.payload.create({
      collection: 'agent-settings',
      data: { agent: 'post-title', tenant: tenantA, monthlyBudgetUsd: 50 },
    })
    for (const who of ['manager@coreldove.dev', 'owner@coreldove.dev']) {
      for (const collection of ['agent-runs', 'agent-steps', 'approvals', 'agent-settings']) {
        const list = await cms.rest.get(`/${collection}?limit=100&depth=0`, token[who])
        expect(list.status).toBe(200)
        for (const doc of list.body.docs ?? []) expect(doc.tenant).toBe(tenantB)
      }
      expect((await cms.rest.get(`/agent-runs/${runDocId}`, token[who])).status).toBe(404)
      expect((await cms.rest.request('GET', `/agent-runs/${runDocId}/events`, { token: token[who] })).status).toBe(404)
      const approval = (await approvalOf(runId))!
      expect((await cms.rest.get(`/approvals/${approval.id}`, token[who])).status).toBe(404)
      expect((await cms.rest.post(`/approvals/${approval.id}/reject`, { feedback: 'x' }, token[who])).status).toBe(404)
      const gql = await cms.graphql(
        '{ AgentRuns(limit: 100) { docs { id tenant { id } } } Approvals(limit: 100) { docs { id tenant { id } } } }',
        token[who],
      )
      expect(gql.errors).toBeUndefined()
      const docs = [
        ...((gql.data?.AgentRuns as { docs: Row[] } | undefined)?.docs ?? []),
        ...((gql.data?.Approvals as { docs: Row[] } | undefined)?.docs ?? []),
      ]
      for (const doc of docs) expect((doc.tenant as Row).id).toBe(tenantB)
      // Server-written rows cannot be forged or edited by tenant users.
      expect(
        (await cms.rest.patch(`/agent-runs/${runDocId}`, { status: 'succeeded' }, token['owner@bizoholic.dev'])).status,
      ).toBe(403)
    }
    expect((await approvalOf(runId))?.status).toBe('pending')
  })

  it('queue health: platform admins see the pg-boss queues, members only their tenant’s runs', async () => {
    const { runId } = await runToApproval((await postOf(tenantA)).id)
    expect((await cms.rest.get('/agents/queues')).status).toBe(401)

    const a = await cms.rest.get('/agents/queues', token['manager@bizoholic.dev'])
    expect(a.status).toBe(200)
    expect(a.body).toMatchObject({ scope: 'tenant', tenants: [tenantA] })
    const rowsA = a.body.agents as Array<Row & { agent: string; awaitingApproval: number }>
    const pendingA = await cms.payload.count({
      collection: 'agent-runs',
      where: {
        and: [
          { tenant: { equals: tenantA } },
          { agent: { equals: 'post-title' } },
          { status: { equals: 'awaiting-approval' } },
        ],
      },
    })
    expect(rowsA.find((r) => r.agent === 'post-title')?.awaitingApproval).toBe(pendingA.totalDocs)
    expect(pendingA.totalDocs).toBeGreaterThan(0)

    // Tenant B's members do not see tenant A's waiting runs in their counts.
    const b = await cms.rest.get('/agents/queues', token['manager@coreldove.dev'])
    expect(b.body).toMatchObject({ scope: 'tenant', tenants: [tenantB] })
    const pendingB = await cms.payload.count({
      collection: 'agent-runs',
      where: {
        and: [
          { tenant: { equals: tenantB } },
          { agent: { equals: 'post-title' } },
          { status: { equals: 'awaiting-approval' } },
        ],
      },
    })
    const rowsB = b.body.agents as Array<Row & { agent: string; awaitingApproval: number }>
    expect(rowsB.find((r) => r.agent === 'post-title')?.awaitingApproval).toBe(pendingB.totalDocs)

    const admin = await cms.rest.get('/agents/queues', await cms.login('admin@bizosaas.dev', DEMO_PASSWORD))
    expect(admin.status).toBe(200)
    expect(admin.body.scope).toBe('platform')
    const queues = admin.body.queues as Array<Row & { queue: string }>
    expect(queues.map((q) => q.queue)).toEqual(expect.arrayContaining(['agent.post-title', 'agents.apply-approval']))
    for (const q of queues)
      for (const key of ['queued', 'deferred', 'active', 'retrying', 'failed', 'deadLettered'])
        expect(typeof q[key]).toBe('number')
    expect((await approvalOf(runId))?.status).toBe('pending')
  })
})
