import { AgentInputError, applyRun, parseAgentInput, runAgent } from '@bizosaas/agents'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { EXCERPT_MAX } from '../constants.ts'
import { type ContentCms, startContentCms } from '../test/content-cms.ts'
import { summarizeAgent } from './summarize.ts'

let t: ContentCms
beforeAll(async () => {
  t = await startContentCms('content_summarize')
})
afterAll(() => t?.close())

const excerpt =
  'Three quick fixes for better rankings: a meta description that says what the reader gets, one topic per page, and internal links from your blog to the pages that matter.'

describe('summarize', () => {
  it('proposes an excerpt of at most 300 characters and writes it to the post only once approved', async () => {
    const post = await t.bySlug('posts', 'five-seo-fixes')
    t.script(
      { reply: { toolCalls: [{ name: 'get-document', arguments: { collection: 'posts', id: post.id } }] } },
      { reply: { json: { excerpt: `${excerpt} ${excerpt}` } } }, // too long: repaired
      { reply: { json: { excerpt } } },
    )
    const hosted = t.hosted('summarize')
    const input = { target: { collection: 'posts' as const, id: post.id } }
    const result = await runAgent(hosted.agent, input, t.runOptions(t.tenants.bizoholic))

    expect(result.status).toBe('awaiting-approval')
    expect(result.output).toEqual({ excerpt })
    expect(result.output.excerpt.length).toBeLessThanOrEqual(EXCERPT_MAX)
    expect(t.mock.requests[1]?.toolResults[0]?.content).toContain('Write a real meta description')
    expect(t.mock.requests[2]?.lastUserText).toContain('excerpt')

    expect((await t.bySlug('posts', 'five-seo-fixes')).excerpt).toBe(post.excerpt)
    const current = await hosted.current?.({
      payload: t.payload,
      input,
      output: result.output,
      tenant: t.tenants.bizoholic,
    })
    expect(current).toEqual({ excerpt: post.excerpt })

    const applied = await applyRun(hosted.agent, result.state, { services: { payload: t.payload } })
    expect(applied.applyResult).toMatchObject({ changed: true })
    const after = await t.bySlug('posts', 'five-seo-fixes')
    expect(after.excerpt).toBe(excerpt)
    expect(after.content).toEqual(post.content)

    const again = await applyRun(hosted.agent, result.state, { services: { payload: t.payload } })
    expect(again.applyResult).toMatchObject({ changed: false })
    expect((await t.bySlug('posts', 'five-seo-fixes')).updatedAt).toBe(after.updatedAt)
  })

  it("refuses pages, and another tenant's post", async () => {
    const page = await t.bySlug('pages', 'about')
    expect(() => parseAgentInput(summarizeAgent, { target: { collection: 'pages', id: page.id } })).toThrow(
      AgentInputError,
    )

    const theirs = await t.bySlug('posts', 'ceramics-care') // CoreLDove's
    t.script(
      { reply: { toolCalls: [{ name: 'get-document', arguments: { collection: 'posts', id: theirs.id } }] } },
      { reply: { json: { excerpt } } },
    )
    const result = await runAgent(
      summarizeAgent,
      { target: { collection: 'posts', id: theirs.id } },
      t.runOptions(t.tenants.bizoholic),
    )
    expect(t.mock.requests[1]?.toolResults[0]).toMatchObject({ isError: true })
    const applied = await applyRun(summarizeAgent, result.state, { services: { payload: t.payload } })
    expect(applied.error?.message).toContain('another tenant')
    expect((await t.bySlug('posts', 'ceramics-care')).excerpt).toBe(theirs.excerpt)
  })

  it('adds the excerpt to pending unpublished edits without publishing them or touching the live post', async () => {
    const post = await t.bySlug('posts', 'content-calendar')
    await t.payload.update({ collection: 'posts', id: post.id, draft: true, data: { title: 'Pending new title' } })
    t.script(
      { reply: { toolCalls: [{ name: 'get-document', arguments: { collection: 'posts', id: post.id } }] } },
      { reply: { json: { excerpt } } },
    )
    const input = { target: { collection: 'posts' as const, id: post.id } }
    const result = await runAgent(summarizeAgent, input, t.runOptions(t.tenants.bizoholic))
    // the model reads what the editor sees: the pending edits
    expect(t.mock.requests[1]?.toolResults[0]?.content).toContain('Pending new title')
    const applied = await applyRun(summarizeAgent, result.state, { services: { payload: t.payload } })
    expect(applied.applyResult).toMatchObject({ changed: true })

    const live = await t.payload.findByID({ collection: 'posts', id: post.id, depth: 0 })
    expect(live).toMatchObject({ title: post.title, excerpt: post.excerpt, _status: 'published' })
    const latest = await t.bySlug('posts', 'content-calendar')
    expect(latest).toMatchObject({ title: 'Pending new title', excerpt, _status: 'draft' })
    const again = await applyRun(summarizeAgent, result.state, { services: { payload: t.payload } })
    expect(again.applyResult).toMatchObject({ changed: false })
  })
})
