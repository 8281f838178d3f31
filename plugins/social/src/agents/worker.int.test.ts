/**
 * The social agents as the worker runs them (real pg-boss, the real OpenAI SDK against the mock LLM):
 * publishing a blog post drafts a social post awaiting approval in the calendar; with the tenant's
 * policy "always ask", a person approves the run once and the post is created scheduled, approved by them.
 */
import type { MockRequest } from '@bizosaas/agents/testing'
import { DEMO_PASSWORD } from '@bizosaas/cms/seed'
import { startRun } from '@bizosaas/plugin-agents'
import { until } from '@bizosaas/scripts/test/until'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { SOCIAL_POSTS } from '../constants.ts'
import { type Doc, type SocialAgentsCms, startSocialAgentsCms, toolResult } from './test/social-agents-cms.ts'

let t: SocialAgentsCms
beforeAll(async () => {
  t = await startSocialAgentsCms('social_agents_worker', { worker: true })
  t.script({ match: /Write a social post from this source/, reply: composeModel })
})
afterAll(() => t?.close())

/** A model that reads what the prompt names, lists the accounts, and writes a short post for each. */
function composeModel(request: MockRequest) {
  const source = JSON.parse(/from this source: (\{.*\})\.\n/.exec(request.prompt)![1]!)
  const accounts = JSON.parse(/Accounts: (\[.*\])\./.exec(request.prompt)![1]!)
  const texts = request.toolResults.map((r) => r.content)
  if (!texts.some((c) => c.includes('"campaign"')))
    return { toolCalls: [{ name: 'read-social-source', arguments: { source } }] }
  if (!texts.some((c) => c.includes('"accounts"'))) {
    const read = toolResult<{ url: string; campaign: string }>(request, 'campaign')
    return {
      toolCalls: [{ name: 'list-social-accounts', arguments: { accounts, url: read.url, campaign: read.campaign } }],
    }
  }
  const listed = toolResult<{ accounts: { id: number; platform: string; link: string | null }[] }>(request, 'accounts')
  return {
    json: {
      title: 'From the blog',
      variants: listed.accounts.map((a) => ({
        account: a.id,
        platform: a.platform,
        text: `New on the blog. ${a.link ?? ''}`.trim(),
      })),
    },
  }
}

const postsFrom = async (link: string) =>
  (
    await t.payload.find({
      collection: SOCIAL_POSTS as never,
      where: { link: { equals: link } },
      depth: 0,
      overrideAccess: true,
    })
  ).docs as unknown as Doc[]

describe('social agents in the worker', () => {
  it('publishing a blog post drafts one social post awaiting approval for the default accounts', async () => {
    await t.payload.update({
      collection: 'tenants',
      id: t.tenants.bizoholic,
      data: {
        social: { autoDraftFrom: ['posts'], defaultAccounts: [t.accounts.x.id, t.accounts.linkedin.id] },
      } as never,
      overrideAccess: true,
    })
    const draft = (await t.payload.create({
      collection: 'posts',
      data: {
        tenant: t.tenants.bizoholic,
        title: 'Worker drafted',
        slug: 'worker-drafted',
        content: t.post.content,
        _status: 'draft',
      } as never,
      draft: true,
      overrideAccess: true,
    })) as unknown as Doc
    await t.payload.update({ collection: 'posts', id: draft.id, data: { _status: 'published' }, overrideAccess: true })

    const link = 'https://bizoholic.localhost/blog/worker-drafted'
    const [post] = await until(
      'the drafted social post',
      async () => {
        const found = await postsFrom(link)
        return found.length ? found : undefined
      },
      45_000,
    )
    expect(post).toMatchObject({
      status: 'awaiting-approval',
      source: { kind: 'post' },
      origin: { agent: 'social-compose' },
    })
    const variants = await t.postsOfRun(String((post!.origin as { run: string }).run))
    expect(variants[0]!.variants.map((v) => v.platform)).toEqual(['x', 'linkedin'])
  })

  it('with the policy "always ask", the person who approved the run is the post’s approver and it is scheduled', async () => {
    await t.payload.create({
      collection: 'agent-settings',
      data: { tenant: t.tenants.bizoholic, agent: 'social-compose', approvalPolicy: 'always' },
      overrideAccess: true,
    })
    const scheduledAt = new Date(Date.now() + 86_400_000).toISOString()
    const { run } = await startRun(t.payload, {
      agent: 'social-compose',
      tenant: t.tenants.bizoholic,
      input: { source: { kind: 'post', id: t.post.id }, accounts: [t.accounts.bluesky.id], scheduledAt },
      trigger: { kind: 'manual' },
    })
    const approval = await until(
      'the run to wait for a person',
      async () => {
        const found = await t.payload.find({
          collection: 'approvals',
          where: { runId: { equals: run.runId } },
          depth: 0,
          overrideAccess: true,
        })
        return found.docs[0] as unknown as Doc | undefined
      },
      45_000,
    )
    // nothing is created before the person decides
    expect(await t.postsOfRun(String(run.runId))).toEqual([])

    const owner = await t.cms.login('owner@bizoholic.dev', DEMO_PASSWORD)
    const res = await t.cms.rest.post(`/approvals/${approval.id}/approve`, {}, owner)
    expect(res.status).toBe(202)
    const [post] = await until(
      'the approved post',
      async () => {
        const found = await t.postsOfRun(String(run.runId))
        if (found.length) return found
        const decided = (await t.payload.findByID({
          collection: 'approvals',
          id: approval.id,
          depth: 0,
        })) as unknown as Doc
        // A failed apply ends the wait with its reason rather than a timeout.
        if (decided.error) throw new Error(`the approved run was not applied: ${String(decided.error)}`)
        return undefined
      },
      45_000,
    )
    const ownerId = (
      await t.payload.find({ collection: 'users', where: { email: { equals: 'owner@bizoholic.dev' } }, limit: 1 })
    ).docs[0]!.id
    expect(post).toMatchObject({ status: 'scheduled', approvedBy: ownerId })
    expect(post!.variants.map((v) => v.status)).toEqual(['scheduled'])
  })
})
