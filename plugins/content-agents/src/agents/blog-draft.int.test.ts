import { applyRun, runAgent } from '@bizosaas/agents'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { LexicalNode, LexicalState } from '../lexical.ts'
import { slugify } from '../slug.ts'
import { type ContentCms, startContentCms } from '../test/content-cms.ts'
import { type BlogDraft, blogDraftAgent } from './blog-draft.ts'

let t: ContentCms
beforeAll(async () => {
  t = await startContentCms('content_blog_draft')
})
afterAll(() => t?.close())

const brief = {
  topic: 'Starting an email newsletter for a small agency',
  audience: 'owners of small marketing agencies',
  tone: 'friendly and practical',
  length: 'short' as const,
  keywords: ['email newsletter', 'agency marketing'],
}

const draft: BlogDraft = {
  title: 'Your first agency newsletter: a one-hour plan',
  excerpt: 'A simple plan to launch a monthly email newsletter that brings clients back, written in one hour.',
  sections: [
    {
      heading: 'Why a newsletter still works',
      paragraphs: ['Email reaches people who already trust you.', 'It costs little and compounds.'],
    },
    { heading: 'Your one-hour plan', paragraphs: ['Pick one theme per month and write three short stories.'] },
  ],
  keywords: ['email newsletter', 'agency marketing'],
}

const postsOf = async (tenant: number) =>
  (await t.payload.count({ collection: 'posts', where: { tenant: { equals: tenant } } })).totalDocs

const keys = (node: LexicalNode | undefined) => Object.keys(node ?? {}).sort()

describe('blog-draft', () => {
  it('creates exactly one draft post with h2 sections as Lexical rich text, after approval', async () => {
    t.script(
      { reply: { toolCalls: [{ name: 'search-posts', arguments: { query: 'SEO' } }] } },
      { reply: { json: draft } },
    )
    const before = await postsOf(t.tenants.bizoholic)
    const result = await runAgent(blogDraftAgent, brief, t.runOptions(t.tenants.bizoholic))
    expect(result.status).toBe('awaiting-approval')
    expect(t.mock.requests[0]?.prompt).toContain('Starting an email newsletter')
    // the model saw the tenant's existing posts
    expect(t.mock.requests[1]?.toolResults[0]?.content).toContain('Five SEO fixes you can make this afternoon')
    expect(await postsOf(t.tenants.bizoholic)).toBe(before)

    const applied = await applyRun(blogDraftAgent, result.state, { services: { payload: t.payload } })
    expect(applied.status).toBe('succeeded')
    expect(applied.applyResult).toMatchObject({ collection: 'posts', slug: slugify(draft.title), created: true })
    expect(await postsOf(t.tenants.bizoholic)).toBe(before + 1)

    const post = await t.bySlug('posts', slugify(draft.title))
    expect(post).toMatchObject({
      title: draft.title,
      excerpt: draft.excerpt,
      _status: 'draft',
      tenant: t.tenants.bizoholic,
      seo: { keywords: draft.keywords },
    })
    const root = (post.content as LexicalState).root
    expect(root.children?.map((node) => [node.type, node.tag ?? null, node.children?.[0]?.text])).toEqual([
      ['heading', 'h2', 'Why a newsletter still works'],
      ['paragraph', null, 'Email reaches people who already trust you.'],
      ['paragraph', null, 'It costs little and compounds.'],
      ['heading', 'h2', 'Your one-hour plan'],
      ['paragraph', null, 'Pick one theme per month and write three short stories.'],
    ])
    // the same node shape as content Payload's own editor tooling stored for the seed
    const seeded = (await t.bySlug('posts', 'five-seo-fixes')).content as LexicalState
    const seededHeading = seeded.root.children?.find((node) => node.type === 'heading')
    const seededParagraph = seeded.root.children?.find((node) => node.type === 'paragraph')
    expect(keys(root)).toEqual(keys(seeded.root))
    expect(keys(root.children?.[0])).toEqual(keys(seededHeading))
    expect(keys(root.children?.[1])).toEqual(keys(seededParagraph))
    expect(keys(root.children?.[1]?.children?.[0])).toEqual(keys(seededParagraph?.children?.[0]))

    // a retried apply (crash before the run was marked applied) finds the post instead of making another
    const retried = await applyRun(blogDraftAgent, result.state, { services: { payload: t.payload } })
    expect(retried.applyResult).toEqual({ ...(applied.applyResult as object), created: false })
    expect(await postsOf(t.tenants.bizoholic)).toBe(before + 1)
  })

  it('gives a second post with the same title its own slug, in its own tenant only', async () => {
    const other = { ...draft, sections: [{ heading: 'Another angle', paragraphs: ['A different body.'] }] }
    t.script(
      { reply: { toolCalls: [{ name: 'search-posts', arguments: { query: 'ceramics' } }] } },
      { reply: { json: other } },
    )
    const result = await runAgent(blogDraftAgent, brief, t.runOptions(t.tenants.bizoholic))
    // CoreLDove's ceramics posts are not Bizoholic's to see
    expect(JSON.parse(t.mock.requests[1]?.toolResults[0]?.content ?? '')).toEqual({ posts: [] })
    const applied = await applyRun(blogDraftAgent, result.state, { services: { payload: t.payload } })
    expect(applied.applyResult).toMatchObject({ slug: `${slugify(draft.title)}-2`, created: true })

    // the same title in another tenant keeps the plain slug
    t.script({ reply: { json: draft } })
    const elsewhere = await runAgent(blogDraftAgent, brief, t.runOptions(t.tenants.coreldove))
    const created = await applyRun(blogDraftAgent, elsewhere.state, { services: { payload: t.payload } })
    expect(created.applyResult).toMatchObject({ slug: slugify(draft.title), created: true })
    const post = await t.bySlug('posts', slugify(draft.title), { tenant: t.tenants.coreldove })
    expect(post.tenant).toBe(t.tenants.coreldove)
  })
})
