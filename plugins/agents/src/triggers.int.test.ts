/**
 * Triggers and an agent's own writes, on the real CMS: applying an approved proposal never starts the
 * agent again (even when the agent's apply does not mark its write), and applying a proposal closes the
 * other pending proposals of the same agent for the same document — the portal e2e's "new pending
 * seo-meta approval after applying" (a run the seed's publish had triggered). Real PostgreSQL, pg-boss,
 * worker, and the real OpenAI SDK against the mock LLM.
 */
import { defineAgent } from '@bizosaas/agents'
import { type MockLLM, startMockLLM } from '@bizosaas/agents/testing'
import { DEMO_PASSWORD, seed } from '@bizosaas/cms/seed'
import { startTestCms, type TestCms } from '@bizosaas/cms/test'
import { until as pollUntil } from '@bizosaas/scripts/test/until'
import type { Config, Payload } from 'payload'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { z } from 'zod'
import { pluginConfigOf } from './config.ts'
import { registerAgents } from './runs/register.ts'
import { agentQueueOf } from './store/queue.ts'
import type { Id } from './types.ts'
import { type AgentsWorker, startAgentsWorker } from './worker/index.ts'

const until = <T>(what: string, check: () => Promise<T | undefined | null | false>, timeoutMs = 45_000) =>
  pollUntil(what, check, timeoutMs, 200)

/** Retitles a post whenever its title changes; its apply writes without `context.agentsApplying`. */
const titleAgent = defineAgent({
  slug: 'title-tagger',
  description: 'Proposes a better title when a post is retitled (test agent)',
  input: z.object({
    target: z.object({ collection: z.literal('posts'), id: z.number().describe('Post id') }),
  }),
  output: z.object({ title: z.string().describe('The new title') }),
  instructions: 'Tag the title.',
  prompt: (input) => `Tag the title of post ${input.target.id}`,
  model: 'openai:gpt-4.1-mini',
  approval: true,
  apply: async (output, context) => {
    const payload = context.services.payload as Payload
    const id = (context.input as { target: { id: number } }).target.id
    await payload.update({ collection: 'posts', id, data: { title: output.title }, overrideAccess: true })
    return { id }
  },
})

const testAgents = (config: Config) =>
  registerAgents(config, [
    {
      agent: titleAgent,
      targets: ['posts'],
      triggers: [
        {
          collection: 'posts',
          when: ({ doc, previousDoc, operation }) => operation === 'update' && doc.title !== previousDoc?.title,
          input: ({ doc }) => ({ target: { collection: 'posts' as const, id: doc.id as number } }),
        },
      ],
    },
  ])

const seoProposal = {
  metaTitle: 'Growth marketing that compounds | Bizoholic',
  metaDescription:
    'How Bizoholic plans campaigns that keep paying off: research, content and measurement, month after month.',
  keywords: ['growth marketing', 'content strategy'],
}

let cms: TestCms
let payload: Payload
let mock: MockLLM
let worker: AgentsWorker
let owner: string
let tenant: Id
let post: Id

beforeAll(async () => {
  mock = await startMockLLM({
    script: [
      { match: /Tag the title/, reply: { json: { title: 'A title the agent chose' } } },
      { match: /./, reply: { json: seoProposal } },
    ],
  })
  Object.assign(process.env, {
    OPENAI_API_KEY: 'test-key',
    OPENAI_BASE_URL: mock.openaiBaseURL,
    ANTHROPIC_API_KEY: 'test-key',
    ANTHROPIC_BASE_URL: mock.anthropicBaseURL,
  })
  cms = await startTestCms('agent_triggers', {
    plugins: [testAgents],
    agents: { queue: { policy: { retryLimit: 0 } } },
  })
  payload = cms.payload
  // Seeding publishes posts without SEO: seo-meta's publish trigger queues a run for each (as in the e2e).
  await seed(payload)
  tenant = (await payload.find({ collection: 'tenants', where: { slug: { equals: 'bizoholic' } } })).docs[0]!.id
  post = (await payload.find({ collection: 'posts', where: { tenant: { equals: tenant } }, sort: 'id', limit: 1 }))
    .docs[0]!.id
  owner = await cms.login('owner@bizoholic.dev', DEMO_PASSWORD)
  worker = await startAgentsWorker(payload, { concurrency: 2 })
})

afterAll(async () => {
  await worker?.stop({ graceMs: 2_000 })
  await agentQueueOf(payload, pluginConfigOf(payload))
    .stop({ graceMs: 1_000 })
    .catch(() => {})
  await cms?.close()
  await mock?.close()
})

type Row = { id: Id; status: string; runId: string; agentRun?: Id; error?: unknown; trigger?: { kind?: string } }

const runsOf = async (agent: string) =>
  (
    await payload.find({
      collection: 'agent-runs',
      where: { and: [{ agent: { equals: agent } }, { 'target.docId': { equals: String(post) } }] },
      sort: 'id',
      depth: 0,
      limit: 100,
    })
  ).docs as unknown as Row[]
const approvalsOf = async (agent: string) =>
  (
    await payload.find({
      collection: 'approvals',
      where: { and: [{ agent: { equals: agent } }, { 'target.docId': { equals: String(post) } }] },
      sort: 'id',
      depth: 0,
      limit: 100,
    })
  ).docs as unknown as Row[]

async function approveAndWaitApplied(approval: Row) {
  const res = await cms.rest.post(`/approvals/${approval.id}/approve`, {}, owner)
  expect(res.status).toBe(202)
  await until('the approval to be applied', async () => {
    const a = (await payload.findByID({ collection: 'approvals', id: approval.id, depth: 0 })) as unknown as Row
    return a.status === 'applied'
  })
}

describe("an agent's own writes", () => {
  it('applying a proposal does not trigger the agent again, though a person’s change does', async () => {
    // A person retitles the post: the trigger starts one run, which proposes a title.
    await payload.update({ collection: 'posts', id: post, data: { title: 'Retitled by a person' } })
    const [approval] = await until('a title proposal', async () => {
      const found = await approvalsOf('title-tagger')
      return found.length ? found : undefined
    })
    expect(approval!.status).toBe('pending')
    expect((await runsOf('title-tagger')).map((r) => r.trigger?.kind)).toEqual(['hook'])

    await approveAndWaitApplied(approval!)
    const updated = (await payload.findByID({ collection: 'posts', id: post, depth: 0 })) as { title: string }
    expect(updated.title).toBe('A title the agent chose')
    // The apply changed the title, which the trigger watches: still no second run.
    await new Promise((r) => setTimeout(r, 3_000))
    const runs = await runsOf('title-tagger')
    expect(runs.map((r) => r.status)).toEqual(['succeeded'])
    expect((await approvalsOf('title-tagger')).map((a) => a.status)).toEqual(['applied'])
  })

  it('applying a seo-meta proposal leaves no other pending seo-meta proposal for the post', async () => {
    // The run the seed's publish triggered reaches approval first.
    const fromSeed = await until('the seed-triggered seo-meta approval', async () => (await approvalsOf('seo-meta'))[0])
    expect(fromSeed.status).toBe('pending')
    // As in the portal e2e: someone runs seo-meta on the post and approves that proposal.
    const res = await cms.rest.post(
      '/agents/seo-meta/runs',
      { tenant, input: { target: { collection: 'posts', id: post } } },
      owner,
    )
    expect(res.status).toBe(202)
    const manual = await until('the manual seo-meta approval', async () =>
      (await approvalsOf('seo-meta')).find((a) => String(a.agentRun) === String(res.body.id)),
    )
    await approveAndWaitApplied(manual)
    const post1 = (await payload.findByID({ collection: 'posts', id: post, depth: 0 })) as {
      seo?: Record<string, unknown>
    }
    expect(post1.seo).toMatchObject(seoProposal)

    await new Promise((r) => setTimeout(r, 3_000))
    const approvals = await approvalsOf('seo-meta')
    expect(approvals.filter((a) => a.status === 'pending')).toEqual([])
    expect(approvals.find((a) => a.id === fromSeed.id)).toMatchObject({
      status: 'expired',
      error: `Superseded by approval ${manual.id}, applied to the same document.`,
    })
    // No run was started by the apply; the seed's run is closed with its approval.
    const runs = await runsOf('seo-meta')
    expect(runs).toHaveLength(2)
    expect(runs.find((r) => r.runId === fromSeed.runId)).toMatchObject({ status: 'cancelled' })
    expect(runs.find((r) => String(r.id) === String(res.body.id))).toMatchObject({ status: 'succeeded' })
  })
})
