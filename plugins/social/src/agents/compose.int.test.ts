/**
 * `social-compose` on the real CMS, with the real OpenAI SDK against the mock LLM: a blog post becomes a
 * post with a variant for X, LinkedIn and Bluesky, each within its platform's rules and linking back with
 * UTM parameters; the tenant's approval policy decides the post's status; an over-long answer is repaired
 * or fails naming the rule; a second apply changes nothing.
 */
import { applyRun, runAgent } from '@bizosaas/agents'
import type { MockRequest } from '@bizosaas/agents/testing'
import { validateVariant } from '@bizosaas/contracts/social'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { SOCIAL_POSTS } from '../constants.ts'
import { socialComposeAgent } from './compose.ts'
import { type SocialAgentsCms, startSocialAgentsCms, toolResult } from './test/social-agents-cms.ts'

let t: SocialAgentsCms
beforeAll(async () => {
  t = await startSocialAgentsCms('social_agents_compose')
})
afterAll(() => t?.close())

interface Listed {
  accounts: { id: number; platform: string; link: string | null }[]
}
interface Source {
  url: string | null
  campaign: string
}

const TEXTS: Record<string, (link: string) => string> = {
  x: (link) =>
    `Five SEO fixes for this afternoon: real meta descriptions, one topic per page, internal links. ${link} #SEO`,
  linkedin: (link) =>
    `Search engines notice small changes quickly.\n\nOur five fixes for this afternoon: write a real meta description, keep one topic per page, and link your best pages from your blog.\n\n${link}\n\n#SEO #Marketing`,
  bluesky: (link) => `Five SEO fixes you can make this afternoon. ${link}`,
}
const TAGS: Record<string, string[]> = { x: ['#SEO'], linkedin: ['#SEO', '#Marketing'], bluesky: [] }

/** The model's answer from what its tools returned (each account's exact link), `tooLong` for X overridden. */
function answer(request: MockRequest, xText?: string) {
  const { accounts } = toolResult<Listed>(request, 'accounts')
  return {
    json: {
      title: 'Five SEO fixes — social',
      variants: accounts.map((account) => ({
        account: account.id,
        platform: account.platform,
        text: account.platform === 'x' && xText ? xText : TEXTS[account.platform]!(account.link ?? ''),
        thread: [],
        hashtags: TAGS[account.platform],
        altText: 'A laptop showing a search results page',
      })),
    },
  }
}

/** A model that reads the source and the accounts, checks X, then answers (`finals` in order). */
function composeScript(accounts: number[], ...finals: ((request: MockRequest) => { json: unknown })[]) {
  sourceScript({ kind: 'post', id: t.post.id }, accounts, ...finals)
}

function sourceScript(
  source: Record<string, unknown>,
  accounts: number[],
  ...finals: ((request: MockRequest) => { json: unknown })[]
) {
  t.script(
    { reply: { toolCalls: [{ name: 'read-social-source', arguments: { source } }] } },
    {
      reply: (request) => {
        const source = toolResult<Source>(request, 'campaign')
        return {
          toolCalls: [
            { name: 'list-social-accounts', arguments: { accounts, url: source.url, campaign: source.campaign } },
          ],
        }
      },
    },
    {
      reply: (request) => {
        const x = toolResult<Listed>(request, 'accounts').accounts.find((a) => a.platform === 'x')
        return {
          toolCalls: [{ name: 'check-social-variant', arguments: { platform: 'x', text: TEXTS.x!(x?.link ?? '') } }],
        }
      },
    },
    ...finals.map((reply) => ({ reply })),
  )
}

const ids = () => [t.accounts.x.id, t.accounts.linkedin.id, t.accounts.bluesky.id]
const setPolicy = async (policy: 'default' | 'always' | 'never') => {
  const found = await t.payload.find({
    collection: 'agent-settings',
    where: { and: [{ tenant: { equals: t.tenants.bizoholic } }, { agent: { equals: 'social-compose' } }] },
    limit: 1,
    overrideAccess: true,
  })
  const data = { tenant: t.tenants.bizoholic, agent: 'social-compose', approvalPolicy: policy }
  if (found.docs[0])
    await t.payload.update({ collection: 'agent-settings', id: found.docs[0].id, data, overrideAccess: true })
  else await t.payload.create({ collection: 'agent-settings', data, overrideAccess: true })
}

describe('social-compose', () => {
  it('turns a blog post into one post awaiting approval, a variant per account within its rules, linked with UTM', async () => {
    composeScript(ids(), (request) => answer(request))
    const result = await runAgent(
      socialComposeAgent,
      { source: { kind: 'post', id: t.post.id }, accounts: ids() },
      t.runOptions(t.tenants.bizoholic),
    )
    expect(result.error).toBeUndefined()
    expect(result.status).toBe('succeeded')
    // the model read the post, the rules of each platform, and its own count
    const source = JSON.parse(t.mock.requests[1]!.toolResults[0]!.content)
    expect(source).toMatchObject({
      title: 'Five SEO fixes you can make this afternoon',
      url: 'https://bizoholic.localhost/blog/five-seo-fixes',
      campaign: 'five-seo-fixes',
    })
    expect(t.mock.requests[2]!.toolResults.at(-1)!.content).toContain('"maxChars":280')
    expect(JSON.parse(t.mock.requests[3]!.toolResults.at(-1)!.content)).toMatchObject({ ok: true, maxChars: 280 })

    const [post, ...others] = await t.postsOfRun(result.runId)
    expect(others).toEqual([])
    expect(post).toMatchObject({
      status: 'awaiting-approval',
      link: 'https://bizoholic.localhost/blog/five-seo-fixes',
      campaign: 'five-seo-fixes',
      source: { kind: 'post' },
      origin: { agent: 'social-compose', run: result.runId },
      tenant: t.tenants.bizoholic,
    })
    expect(result.applyResult).toMatchObject({ post: post!.id, status: 'awaiting-approval', created: true })
    expect(post!.variants.map((v) => v.platform)).toEqual(['x', 'linkedin', 'bluesky'])
    for (const variant of post!.variants) {
      const platform = variant.platform as 'x' | 'linkedin' | 'bluesky'
      expect(variant.status).toBe('awaiting-approval')
      expect(validateVariant({ text: String(variant.text) }, platform).filter((i) => i.severity === 'error')).toEqual(
        [],
      )
      const link = new URL(String(variant.link))
      expect(link.origin + link.pathname).toBe('https://bizoholic.localhost/blog/five-seo-fixes')
      expect(Object.fromEntries(link.searchParams)).toMatchObject({
        utm_source: platform,
        utm_medium: 'social',
        utm_campaign: 'five-seo-fixes',
      })
      // the text carries the very link the variant records
      expect(String(variant.text)).toContain(String(variant.link))
    }

    // a second apply (a crash after the write, before the run was marked applied) finds the post by its
    // run and changes nothing
    const crashed = { ...result.state, appliedAt: undefined, applyResult: undefined }
    const again = await applyRun(socialComposeAgent, crashed, { services: { payload: t.payload } })
    expect(again.applyResult).toMatchObject({ post: post!.id, created: false })
    expect(await t.postsOfRun(result.runId)).toHaveLength(1)
  })

  it('creates the post scheduled when the tenant’s policy is "never ask"', async () => {
    await setPolicy('never')
    try {
      const scheduledAt = new Date(Date.now() + 2 * 86_400_000).toISOString()
      composeScript(ids(), (request) => answer(request))
      const result = await runAgent(
        socialComposeAgent,
        { source: { kind: 'post', id: t.post.id }, accounts: ids(), scheduledAt, campaign: 'Spring SEO' },
        t.runOptions(t.tenants.bizoholic),
      )
      expect(result.status).toBe('succeeded')
      const [post] = await t.postsOfRun(result.runId)
      expect(post).toMatchObject({ status: 'scheduled', campaign: 'spring-seo' })
      expect(new Date(String(post!.scheduledAt)).toISOString()).toBe(scheduledAt)
      expect(post!.variants.map((v) => v.status)).toEqual(['scheduled', 'scheduled', 'scheduled'])
      expect(post!.variants.every((v) => String(v.link).includes('utm_campaign=spring-seo'))).toBe(true)
    } finally {
      await setPolicy('default')
    }
  })

  it('repairs an over-long X variant: the repair request names the platform and the rule', async () => {
    const tooLong = `${'Five SEO fixes you can make this afternoon, explained step by step. '.repeat(5)}#SEO`
    composeScript(
      ids(),
      (request) => answer(request, tooLong),
      (request) => answer(request),
    )
    const result = await runAgent(
      socialComposeAgent,
      { source: { kind: 'post', id: t.post.id }, accounts: ids() },
      t.runOptions(t.tenants.bizoholic),
    )
    expect(result.status).toBe('succeeded')
    const repair = t.mock.requests.at(-1)!.lastUserText
    expect(repair).toMatch(
      /variants\.0\.text: X allows 280 characters per post; this text has \d+\. \(rule max-chars\)/,
    )
    const [post] = await t.postsOfRun(result.runId)
    expect(String(post!.variants[0]!.text)).not.toBe(tooLong)
  })

  it('fails without a post when the answer still breaks a rule after the repair round', async () => {
    const before = (await t.payload.count({ collection: SOCIAL_POSTS as never, overrideAccess: true })).totalDocs
    const tooLong = `${'Five SEO fixes you can make this afternoon, explained step by step. '.repeat(5)}#SEO`
    composeScript(
      ids(),
      (request) => answer(request, tooLong),
      (request) => answer(request, tooLong),
    )
    const result = await runAgent(
      socialComposeAgent,
      { source: { kind: 'post', id: t.post.id }, accounts: ids() },
      t.runOptions(t.tenants.bizoholic),
    )
    expect(result.status).toBe('failed')
    expect(result.error?.code).toBe('invalid-output')
    expect(result.error?.issues?.map((i) => `${i.path}: ${i.message}`).join('\n')).toMatch(
      /variants\.0\.text: X allows 280 characters per post; this text has \d+\. \(rule max-chars\)/,
    )
    expect((await t.payload.count({ collection: SOCIAL_POSTS as never, overrideAccess: true })).totalDocs).toBe(before)
  })

  it('links a product post to the product page, and a brief without a link to nothing', async () => {
    const product = (await t.payload.create({
      collection: 'product-content' as never,
      data: {
        tenant: t.tenants.bizoholic,
        title: 'SEO audit kit',
        medusaProductId: 'prod_compose_kit',
        handle: 'seo-audit-kit',
        status: 'published',
        medusaDescription: 'A checklist and templates for a one-day SEO audit.',
      } as never,
      overrideAccess: true,
    })) as unknown as { id: number }
    sourceScript({ kind: 'product', id: product.id }, [t.accounts.linkedin.id], (request) => answer(request))
    const fromProduct = await runAgent(
      socialComposeAgent,
      { source: { kind: 'product', id: product.id }, accounts: [t.accounts.linkedin.id] },
      t.runOptions(t.tenants.bizoholic),
    )
    expect(fromProduct.status).toBe('succeeded')
    expect(JSON.parse(t.mock.requests[1]!.toolResults[0]!.content)).toMatchObject({
      kind: 'product',
      text: 'A checklist and templates for a one-day SEO audit.',
      url: 'https://bizoholic.localhost/products/seo-audit-kit',
      campaign: 'seo-audit-kit',
    })
    const [productPost] = await t.postsOfRun(fromProduct.runId)
    expect(productPost).toMatchObject({
      link: 'https://bizoholic.localhost/products/seo-audit-kit',
      source: { kind: 'product' },
    })
    expect(String(productPost!.variants[0]!.link)).toContain('utm_source=linkedin')

    const brief = { kind: 'brief', brief: 'We are hiring a content strategist in Berlin. Ask us about it.' }
    sourceScript(brief, [t.accounts.x.id], (request) => answer(request))
    const fromBrief = await runAgent(
      socialComposeAgent,
      { source: brief as { kind: 'brief'; brief: string }, accounts: [t.accounts.x.id] },
      t.runOptions(t.tenants.bizoholic),
    )
    expect(fromBrief.status).toBe('succeeded')
    const [briefPost] = await t.postsOfRun(fromBrief.runId)
    expect(briefPost).toMatchObject({
      link: null,
      campaign: 'social',
      source: { kind: 'brief', brief: brief.brief },
    })
    expect(briefPost!.variants[0]!.link).toBeNull()
  })
})
