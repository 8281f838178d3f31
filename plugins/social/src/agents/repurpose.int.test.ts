/**
 * `social-repurpose` on the real CMS with the real Anthropic SDK against the mock LLM: a blog post
 * becomes a thread on X and Bluesky (one post on LinkedIn, which has no threads), or a series of posts
 * spread over days at one hour — each a social post awaiting approval.
 */
import { runAgent } from '@bizosaas/agents'
import type { MockRequest } from '@bizosaas/agents/testing'
import { validateVariant } from '@bizosaas/contracts/social'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { socialRepurposeAgent } from './repurpose.ts'
import { type SocialAgentsCms, startSocialAgentsCms, toolResult } from './test/social-agents-cms.ts'

let t: SocialAgentsCms
beforeAll(async () => {
  t = await startSocialAgentsCms('social_agents_repurpose')
})
afterAll(() => t?.close())

interface Listed {
  accounts: { id: number; platform: string; link: string | null }[]
}

const ids = () => [t.accounts.x.id, t.accounts.linkedin.id, t.accounts.bluesky.id]

/** Reads the source and the accounts (on Anthropic, the chain's fallback provider), then `final`. */
function script(final: (request: MockRequest) => { json: unknown }) {
  t.script(
    { reply: { toolCalls: [{ name: 'read-social-source', arguments: { source: { kind: 'post', id: t.post.id } } }] } },
    {
      reply: (request) => {
        const source = toolResult<{ url: string; campaign: string }>(request, 'campaign')
        return {
          toolCalls: [
            {
              name: 'list-social-accounts',
              arguments: { accounts: ids(), url: source.url, campaign: source.campaign },
            },
          ],
        }
      },
    },
    { reply: final },
  )
}

const anthropicFirst = () => ({
  ...t.runOptions(t.tenants.bizoholic),
  model: ['anthropic:claude-haiku-4-5'],
})

describe('social-repurpose', () => {
  it('makes a thread where the platform has threads and a single post on LinkedIn', async () => {
    script((request) => {
      const { accounts } = toolResult<Listed>(request, 'accounts')
      return {
        json: {
          posts: [
            {
              title: 'Five SEO fixes — thread',
              variants: accounts.map((a) =>
                a.platform === 'linkedin'
                  ? {
                      account: a.id,
                      platform: a.platform,
                      text: `Five SEO fixes you can make this afternoon, from meta descriptions to internal links.\n\n${a.link}`,
                      thread: [],
                      hashtags: [],
                    }
                  : {
                      account: a.id,
                      platform: a.platform,
                      text: 'Five SEO fixes you can make this afternoon. A thread 🧵',
                      thread: [
                        '1. Write a real meta description: under 155 characters, saying what the page gives.',
                        '2. One page, one topic. Pages that try to rank for everything rank for nothing.',
                        `3. Link your best pages from your blog. The whole post: ${a.link}`,
                      ],
                      hashtags: [],
                    },
              ),
            },
          ],
        },
      }
    })
    const result = await runAgent(
      socialRepurposeAgent,
      { source: { kind: 'post', id: t.post.id }, accounts: ids(), mode: 'thread', posts: 5, hour: 9 },
      anthropicFirst(),
    )
    expect(result.error).toBeUndefined()
    expect(result.status).toBe('succeeded')
    expect(t.mock.requests.every((r) => r.api === 'anthropic')).toBe(true)
    const posts = await t.postsOfRun(result.runId)
    expect(posts).toHaveLength(1)
    expect(posts[0]).toMatchObject({ status: 'awaiting-approval', scheduledAt: null })
    const byPlatform = Object.fromEntries(posts[0]!.variants.map((v) => [v.platform, v]))
    for (const platform of ['x', 'bluesky'] as const) {
      const thread = (byPlatform[platform]!.thread as { text: string }[]).map((p) => p.text)
      expect(thread).toHaveLength(3)
      expect(thread[2]).toContain(String(byPlatform[platform]!.link))
      expect(
        validateVariant({ text: String(byPlatform[platform]!.text), thread }, platform).filter(
          (i) => i.severity === 'error',
        ),
      ).toEqual([])
    }
    expect(byPlatform.linkedin!.thread).toEqual([])
  })

  it('makes a series of N posts over D days at the chosen hour, each awaiting approval', async () => {
    script((request) => {
      const { accounts } = toolResult<Listed>(request, 'accounts')
      const ideas = ['Write a real meta description.', 'One page, one topic.', 'Link your best pages from your blog.']
      return {
        json: {
          posts: ideas.map((idea, i) => ({
            title: `SEO fix ${i + 1}`,
            variants: accounts.map((a) => ({
              account: a.id,
              platform: a.platform,
              text: `SEO fix ${i + 1}: ${idea} ${a.link}`,
              thread: [],
              hashtags: [],
            })),
          })),
        },
      }
    })
    const result = await runAgent(
      socialRepurposeAgent,
      { source: { kind: 'post', id: t.post.id }, accounts: ids(), mode: 'series', posts: 3, days: 6, hour: 14 },
      anthropicFirst(),
    )
    expect(result.error).toBeUndefined()
    expect(result.status).toBe('succeeded')
    const posts = await t.postsOfRun(result.runId)
    expect(posts.map((p) => p.title)).toEqual(['SEO fix 1', 'SEO fix 2', 'SEO fix 3'])
    const times = posts.map((p) => new Date(String(p.scheduledAt)))
    const tomorrow = new Date()
    tomorrow.setUTCDate(tomorrow.getUTCDate() + 1)
    expect(times[0]!.toISOString().slice(0, 10)).toBe(tomorrow.toISOString().slice(0, 10))
    expect(times.map((d) => d.getUTCHours())).toEqual([14, 14, 14])
    expect(times.map((d) => (d.getTime() - times[0]!.getTime()) / 86_400_000)).toEqual([0, 2, 4])
    for (const post of posts) {
      expect(post.status).toBe('awaiting-approval')
      expect(post.variants).toHaveLength(3)
      expect(post.variants.every((v) => v.status === 'awaiting-approval')).toBe(true)
    }
  })

  it('fails a series with the wrong number of posts, creating none', async () => {
    script((request) => {
      const { accounts } = toolResult<Listed>(request, 'accounts')
      return {
        json: {
          posts: [
            {
              title: 'Only one',
              variants: accounts.map((a) => ({ account: a.id, platform: a.platform, text: `One post ${a.link}` })),
            },
          ],
        },
      }
    })
    const result = await runAgent(
      socialRepurposeAgent,
      { source: { kind: 'post', id: t.post.id }, accounts: ids(), mode: 'series', posts: 3, hour: 9 },
      anthropicFirst(),
    )
    expect(result.status).toBe('failed')
    expect(result.error?.message).toContain('The answer has 1 posts; the series needs exactly 3')
    expect(await t.postsOfRun(result.runId)).toEqual([])
  })
})
