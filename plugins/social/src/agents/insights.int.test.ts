/**
 * `social-insights` and auto-drafting on the real CMS, with the real OpenAI SDK against the mock LLM:
 * the figures the insights read are the metrics stored on the tenant's published variants, a summary
 * quoting any other number fails the run, proposals become drafts; publishing a blog post queues
 * `social-compose` once for the tenant's default accounts, and never when the setting is off.
 */
import { runAgent } from '@bizosaas/agents'
import type { MockRequest } from '@bizosaas/agents/testing'
import { until } from '@bizosaas/scripts/test/until'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { SERVICE_WRITE } from '../collections/fields.ts'
import { SOCIAL_VARIANTS } from '../constants.ts'
import { createSocialPost } from '../posts.ts'
import { socialInsightsAgent } from './insights.ts'
import { type SocialMetricsReport, WEEKDAYS } from './metrics.ts'
import { type Doc, type SocialAgentsCms, startSocialAgentsCms, toolResult } from './test/social-agents-cms.ts'

let t: SocialAgentsCms
beforeAll(async () => {
  t = await startSocialAgentsCms('social_agents_insights')
})
afterAll(() => t?.close())

const at = (daysAgo: number, hour: number) => {
  const d = new Date()
  d.setUTCDate(d.getUTCDate() - daysAgo)
  d.setUTCHours(hour, 0, 0, 0)
  return d
}

/** A post published on the given accounts `daysAgo` at `hour` UTC, with these metrics per variant. */
async function published(
  title: string,
  when: Date,
  variants: { account: Doc; metrics: Record<string, number> }[],
): Promise<void> {
  const { variants: made } = await createSocialPost(t.payload, {
    tenant: t.tenants.bizoholic,
    title,
    variants: variants.map((v) => ({ account: v.account.id, text: `${title} on ${v.account.platform}` })),
  })
  for (const [i, variant] of made.entries())
    await t.payload.update({
      collection: SOCIAL_VARIANTS as never,
      id: variant.id,
      data: {
        status: 'published',
        publishedAt: when.toISOString(),
        metrics: { ...variants[i]!.metrics, collectedAt: new Date().toISOString() },
      } as never,
      overrideAccess: true,
      // As the publisher and the metrics collector write them.
      context: { [SERVICE_WRITE]: true },
    })
}

const m = (impressions: number, likes: number, reposts: number, replies: number, clicks: number) => ({
  impressions,
  likes,
  reposts,
  replies,
  clicks,
})

describe('social-insights', () => {
  beforeAll(async () => {
    await published('Meta descriptions', at(2, 9), [
      { account: t.accounts.x, metrics: m(1000, 40, 10, 5, 25) },
      { account: t.accounts.linkedin, metrics: m(500, 20, 2, 3, 15) },
    ])
    await published('Internal links', at(3, 17), [{ account: t.accounts.bluesky, metrics: m(300, 12, 3, 1, 4) }])
    await published('Last month', at(20, 9), [{ account: t.accounts.x, metrics: m(5000, 100, 20, 10, 70) }])
  })

  /** Reads the metrics, the accounts, then answers with `summary(report)` and two proposals. */
  const script = (summary: (report: SocialMetricsReport) => string) =>
    t.script(
      { reply: { toolCalls: [{ name: 'read-social-metrics', arguments: { days: 7 } }] } },
      { reply: { toolCalls: [{ name: 'list-social-accounts', arguments: {} }] } },
      {
        reply: (request: MockRequest) => {
          const report = toolResult<SocialMetricsReport>(request, 'byPlatform')
          const { accounts } = toolResult<{ accounts: { id: number; platform: string }[] }>(request, 'accounts')
          const x = accounts.find((a) => a.platform === 'x')!
          const linkedin = accounts.find((a) => a.platform === 'linkedin')!
          return {
            json: {
              summary: summary(report),
              proposals: [
                {
                  title: 'More on meta descriptions',
                  why: 'Meta descriptions drew the most engagements.',
                  variants: [
                    { account: x.id, platform: 'x', text: 'Three meta descriptions we rewrote this week, and why.' },
                    {
                      account: linkedin.id,
                      platform: 'linkedin',
                      text: 'What a good meta description does for a small business site.',
                    },
                  ],
                },
                {
                  title: 'Internal links checklist',
                  why: 'Posts at the best hour did best.',
                  variants: [{ account: x.id, platform: 'x', text: 'A five-minute internal links checklist.' }],
                },
              ],
            },
          }
        },
      },
    )

  it('reads exactly the stored metrics, and creates its proposals as drafts', async () => {
    script(
      (r) =>
        `In the last ${r.days} days ${r.published} posts went out, with ${r.totals.impressions} impressions and ${r.totals.engagements} engagements. ${r.byPlatform[0]!.platform} did best with ${r.byPlatform[0]!.engagements} engagements (${r.byPlatform[0]!.engagementRatePct}%). Posts at ${r.bestHourUtc!.hour}:00 UTC drew ${r.bestHourUtc!.avgEngagements} engagements on average.`,
    )
    const result = await runAgent(socialInsightsAgent, { days: 7, proposals: 2 }, t.runOptions(t.tenants.bizoholic))
    expect(result.error).toBeUndefined()
    expect(result.status).toBe('succeeded')

    const report = JSON.parse(t.mock.requests[1]!.toolResults[0]!.content) as SocialMetricsReport
    // sums of what was stored (the post of 20 days ago is outside the week)
    expect(report.published).toBe(3)
    expect(report.totals).toEqual({
      impressions: 1800,
      likes: 72,
      reposts: 15,
      replies: 9,
      clicks: 44,
      engagements: 140,
    })
    expect(report.byPlatform).toEqual([
      {
        platform: 'x',
        posts: 1,
        impressions: 1000,
        likes: 40,
        reposts: 10,
        replies: 5,
        clicks: 25,
        engagements: 80,
        engagementRatePct: 8,
      },
      {
        platform: 'linkedin',
        posts: 1,
        impressions: 500,
        likes: 20,
        reposts: 2,
        replies: 3,
        clicks: 15,
        engagements: 40,
        engagementRatePct: 8,
      },
      {
        platform: 'bluesky',
        posts: 1,
        impressions: 300,
        likes: 12,
        reposts: 3,
        replies: 1,
        clicks: 4,
        engagements: 20,
        engagementRatePct: 6.7,
      },
    ])
    expect(report.topPosts.map((p) => [p.title, p.engagements, p.platforms])).toEqual([
      ['Meta descriptions', 120, ['linkedin', 'x']],
      ['Internal links', 20, ['bluesky']],
    ])
    expect(report.bestHourUtc).toEqual({ hour: 9, posts: 2, avgEngagements: 60 })
    expect(report.bestWeekday).toEqual({ weekday: WEEKDAYS[at(2, 9).getUTCDay()], posts: 2, avgEngagements: 60 })

    const posts = await t.postsOfRun(result.runId)
    expect(posts.map((p) => [p.title, p.status, p.variants.length])).toEqual([
      ['More on meta descriptions', 'draft', 2],
      ['Internal links checklist', 'draft', 1],
    ])
    expect(posts[0]!.origin).toEqual({ agent: 'social-insights', run: result.runId })
  })

  it('leaves an account that needs reconnecting out of its proposals instead of failing', async () => {
    const connection = t.accounts.linkedin.connection as number | { id: number }
    const linkedin = typeof connection === 'object' ? connection.id : connection
    await t.cms.payload.update({
      collection: 'connections' as never,
      id: linkedin,
      data: { status: 'needs-reconnect' } as never,
      overrideAccess: true,
    })
    try {
      script((r) => `${r.published} posts went out in the last ${r.days} days.`)
      const result = await runAgent(socialInsightsAgent, { days: 7, proposals: 2 }, t.runOptions(t.tenants.bizoholic))
      expect(result.error?.message).toBeUndefined()
      expect(result.status).toBe('succeeded')
      const posts = await t.postsOfRun(result.runId)
      expect(posts.map((p) => [p.title, p.variants.length])).toEqual([
        ['More on meta descriptions', 1],
        ['Internal links checklist', 1],
      ])
    } finally {
      await t.cms.payload.update({
        collection: 'connections' as never,
        id: linkedin,
        data: { status: 'connected' } as never,
        overrideAccess: true,
      })
    }
  })

  it('fails, creating nothing, when the summary states a number the metrics do not hold', async () => {
    script((r) => `About 2,000 impressions this week, up 35% on ${r.byPlatform[0]!.platform}.`)
    const result = await runAgent(socialInsightsAgent, { days: 7, proposals: 2 }, t.runOptions(t.tenants.bizoholic))
    expect(result.status).toBe('failed')
    expect(result.error?.message).toContain('numbers the metrics do not hold (2,000, 35)')
    expect(await t.postsOfRun(result.runId)).toEqual([])
  })
})

describe('auto-drafts', () => {
  const composeRuns = async (tenant: number) =>
    (
      await t.payload.find({
        collection: 'agent-runs' as never,
        where: { and: [{ agent: { equals: 'social-compose' } }, { tenant: { equals: tenant } }] },
        overrideAccess: true,
        limit: 50,
        sort: 'createdAt',
      })
    ).docs as unknown as (Doc & { input: { source: { kind: string; id: number }; accounts: number[] } })[]

  const setAutoDraft = (tenant: number, from: string[], accounts: number[]) =>
    t.payload.update({
      collection: 'tenants',
      id: tenant,
      data: { social: { autoDraftFrom: from, defaultAccounts: accounts } } as never,
      overrideAccess: true,
    })

  const newPost = (tenant: number, slug: string, status: 'draft' | 'published') =>
    t.payload.create({
      collection: 'posts',
      data: {
        tenant,
        title: `Post ${slug}`,
        slug,
        content: t.post.content,
        _status: status,
      } as never,
      draft: status === 'draft',
      overrideAccess: true,
    }) as unknown as Promise<Doc>

  it('drafts once per published blog post for the default accounts, and not when the setting is off', async () => {
    await setAutoDraft(t.tenants.bizoholic, ['posts'], [t.accounts.x.id, t.accounts.bluesky.id])
    const draft = await newPost(t.tenants.bizoholic, 'auto-draft-one', 'draft')
    // CoreLDove has not turned auto-drafts on: publishing there drafts nothing
    await newPost(t.tenants.coreldove, 'auto-draft-elsewhere', 'published')
    expect(await composeRuns(t.tenants.bizoholic)).toEqual([])

    await t.payload.update({ collection: 'posts', id: draft.id, data: { _status: 'published' }, overrideAccess: true })
    const [run] = await until('the auto-draft run', async () => {
      const runs = await composeRuns(t.tenants.bizoholic)
      return runs.length ? runs : undefined
    })
    expect(run).toMatchObject({
      status: 'queued',
      trigger: { kind: 'hook' },
      input: { source: { kind: 'post', id: draft.id }, accounts: [t.accounts.x.id, t.accounts.bluesky.id] },
    })

    // saving the published post again, or unpublishing and publishing it, drafts nothing more
    await t.payload.update({ collection: 'posts', id: draft.id, data: { title: 'Retitled' }, overrideAccess: true })
    await t.payload.update({ collection: 'posts', id: draft.id, data: { _status: 'draft' }, overrideAccess: true })
    await t.payload.update({ collection: 'posts', id: draft.id, data: { _status: 'published' }, overrideAccess: true })
    // a post that already has a social post (made by hand before publishing) gets no auto-draft either
    const handMade = await newPost(t.tenants.bizoholic, 'auto-draft-by-hand', 'draft')
    await createSocialPost(t.payload, {
      tenant: t.tenants.bizoholic,
      title: 'By hand',
      link: 'https://bizoholic.localhost/blog/auto-draft-by-hand',
      source: { kind: 'post', id: String(handMade.id) },
      variants: [{ account: t.accounts.x.id, text: 'Made by a person' }],
    })
    await t.payload.update({
      collection: 'posts',
      id: handMade.id,
      data: { _status: 'published' },
      overrideAccess: true,
    })
    // with the setting off, a newly published post drafts nothing
    await setAutoDraft(t.tenants.bizoholic, [], [t.accounts.x.id])
    await newPost(t.tenants.bizoholic, 'auto-draft-off', 'published')
    await new Promise((r) => setTimeout(r, 1_500))
    expect((await composeRuns(t.tenants.bizoholic)).map((r) => r.input.source.id)).toEqual([draft.id])
    expect(await composeRuns(t.tenants.coreldove)).toEqual([])
  })

  it('drafts for a product when Medusa’s status, mirrored by the sync, becomes published', async () => {
    await setAutoDraft(t.tenants.bizoholic, ['products'], [t.accounts.linkedin.id])
    const product = (await t.payload.create({
      collection: 'product-content' as never,
      data: {
        tenant: t.tenants.bizoholic,
        title: 'SEO audit kit',
        medusaProductId: 'prod_seo_audit_kit',
        handle: 'seo-audit-kit',
        status: 'draft',
        medusaDescription: 'A checklist and templates for a one-day SEO audit.',
      } as never,
      overrideAccess: true,
    })) as unknown as Doc
    await new Promise((r) => setTimeout(r, 500))
    const before = (await composeRuns(t.tenants.bizoholic)).length
    // as the product sync writes Medusa's new status
    await t.payload.update({
      collection: 'product-content' as never,
      id: product.id,
      data: { status: 'published' } as never,
      overrideAccess: true,
    })
    const runs = await until('the product auto-draft', async () => {
      const found = await composeRuns(t.tenants.bizoholic)
      return found.length > before ? found : undefined
    })
    expect(runs.at(-1)!.input).toEqual({
      source: { kind: 'product', id: product.id },
      accounts: [t.accounts.linkedin.id],
    })
  })
})
