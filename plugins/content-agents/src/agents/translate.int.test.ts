import { AgentInputError, applyRun, parseAgentInput, runAgent } from '@bizosaas/agents'
import type { MockRequest } from '@bizosaas/agents/testing'
import { startRun } from '@bizosaas/plugin-agents'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type ContentCms, startContentCms } from '../test/content-cms.ts'

let t: ContentCms
beforeAll(async () => {
  t = await startContentCms('content_translate')
})
afterAll(() => t?.close())

interface Segment {
  id: string
  text: string
}
const segmentsIn = (request: MockRequest): Segment[] => JSON.parse(request.toolResults[0]?.content ?? '{}').segments

/** A "translation" a test can predict: every segment prefixed. */
const german = (text: string) => `[de] ${text}`
const translated = (request: MockRequest, change: (segments: Segment[]) => Segment[] = (s) => s) => ({
  json: { segments: change(segmentsIn(request).map((s) => ({ id: s.id, text: german(s.text) }))) },
})

const PROSE = new Set(['title', 'excerpt', 'heading', 'subheading', 'caption', 'text', 'label', 'metaTitle'])
/** What the translation must look like: the same structure, every prose string prefixed, row ids dropped. */
function expectedTranslation(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(expectedTranslation)
  if (value && typeof value === 'object')
    return Object.fromEntries(
      Object.entries(value)
        .filter(([key]) => key !== 'id')
        .map(([key, child]) => [
          key,
          typeof child === 'string' && PROSE.has(key) ? german(child) : expectedTranslation(child),
        ]),
    )
  return value
}
const withoutIds = (value: unknown) => JSON.parse(JSON.stringify(value, (key, v) => (key === 'id' ? undefined : v)))

const readSegments = (collection: string, id: number) => ({
  reply: { toolCalls: [{ name: 'get-text-segments', arguments: { collection, id, to: 'de' } }] },
})

describe('translate', () => {
  it('translates a post into another locale keeping its rich-text structure; the source locale is untouched', async () => {
    const post = await t.bySlug('posts', 'five-seo-fixes')
    t.script(readSegments('posts', post.id), { reply: (request) => translated(request) })
    const hosted = t.hosted('translate')
    const input = { target: { collection: 'posts' as const, id: post.id }, to: 'de' }
    const result = await runAgent(hosted.agent, input, t.runOptions(t.tenants.bizoholic))
    expect(result.status).toBe('awaiting-approval')

    const segments = segmentsIn(t.mock.requests[1]!)
    expect(segments.map((s) => s.id).slice(0, 4)).toEqual(['title', 'excerpt', 'content.0.0', 'content.1.0'])
    expect(segments.find((s) => s.id === 'content.0.0')).toMatchObject({ text: '1. Write a real meta description' })
    // nothing in German before approval
    expect((await t.bySlug('posts', 'five-seo-fixes', { locale: 'de' })).title).toBeUndefined()

    const applied = await applyRun(hosted.agent, result.state, { services: { payload: t.payload } })
    expect(applied.applyResult).toMatchObject({ from: 'en', to: 'de', segments: segments.length, changed: true })
    const de = await t.bySlug('posts', 'five-seo-fixes', { locale: 'de' })
    expect(de.title).toBe(german(post.title as string))
    expect(de.excerpt).toBe(german(post.excerpt as string))
    expect(de.content).toEqual(expectedTranslation(post.content))
    expect(await t.bySlug('posts', 'five-seo-fixes', { locale: 'en' })).toMatchObject({
      title: post.title,
      excerpt: post.excerpt,
      content: post.content,
    })

    // applying again changes nothing more
    const count = (await t.payload.countVersions({ collection: 'posts', where: { parent: { equals: post.id } } }))
      .totalDocs
    const again = await applyRun(hosted.agent, result.state, { services: { payload: t.payload } })
    expect(again.applyResult).toMatchObject({ changed: false })
    expect(
      (await t.payload.countVersions({ collection: 'posts', where: { parent: { equals: post.id } } })).totalDocs,
    ).toBe(count)
    // review shows the German texts next to the proposal
    const current = (await hosted.current?.({
      payload: t.payload,
      input,
      output: result.output,
      tenant: t.tenants.bizoholic,
    })) as { locale: string; segments: Record<string, string> }
    expect(current.locale).toBe('de')
    expect(current.segments.title).toBe(german(post.title as string))
  })

  it('translates page blocks and SEO texts, repairing a meta title over the limit', async () => {
    const page = await t.bySlug('pages', 'home', { tenant: t.tenants.bizoholic })
    t.script(
      readSegments('pages', page.id),
      {
        reply: (request) =>
          translated(request, (segments) =>
            segments.map((s) => (s.id === 'seo.metaTitle' ? { ...s, text: 'x'.repeat(70) } : s)),
          ),
      },
      // the repair round: the runtime sent the zod issue back
      { reply: () => translated(t.mock.requests[1]!) },
    )
    const result = await runAgent(
      t.hosted('translate').agent,
      { target: { collection: 'pages', id: page.id }, from: 'en', to: 'de' },
      t.runOptions(t.tenants.bizoholic),
    )
    expect(result.status).toBe('awaiting-approval')
    expect(t.mock.requests[2]?.lastUserText).toContain('"seo.metaTitle" must be at most 60 characters')
    const ids = segmentsIn(t.mock.requests[1]!).map((s) => s.id)
    expect(ids).toEqual(expect.arrayContaining(['layout.0.heading', 'layout.0.cta.label', 'layout.1.content.0.0']))
    expect(ids).not.toContain('layout.0.cta.url')

    const applied = await applyRun(t.hosted('translate').agent, result.state, { services: { payload: t.payload } })
    expect(applied.error).toBeUndefined()
    const de = await t.bySlug('pages', 'home', { tenant: t.tenants.bizoholic, locale: 'de' })
    expect(withoutIds(de.layout)).toEqual(expectedTranslation(page.layout))
    expect(de.seo).toMatchObject({
      metaTitle: german((page.seo as { metaTitle: string }).metaTitle),
      ogImage: (page.seo as { ogImage: number }).ogImage,
    })
    expect((await t.bySlug('pages', 'home', { tenant: t.tenants.bizoholic, locale: 'en' })).layout).toEqual(page.layout)
  })

  it('applies nothing when a segment is missing', async () => {
    const post = await t.bySlug('posts', 'content-calendar')
    t.script(readSegments('posts', post.id), { reply: (request) => translated(request, (s) => s.slice(0, -1)) })
    const result = await runAgent(
      t.hosted('translate').agent,
      { target: { collection: 'posts', id: post.id }, to: 'de' },
      t.runOptions(t.tenants.bizoholic),
    )
    const last = segmentsIn(t.mock.requests[1]!).at(-1)!
    const applied = await applyRun(t.hosted('translate').agent, result.state, { services: { payload: t.payload } })
    expect(applied.error?.message).toContain(`missing segments: ${last.id}`)
    expect((await t.bySlug('posts', 'content-calendar', { locale: 'de' })).title).toBeUndefined()
  })

  it('refuses a locale the CMS does not have before any run exists', async () => {
    const post = await t.bySlug('posts', 'five-seo-fixes')
    const input = { target: { collection: 'posts', id: post.id }, to: 'xx' }
    expect(() => parseAgentInput(t.hosted('translate').agent, input)).toThrow(AgentInputError)
    expect(() => parseAgentInput(t.hosted('translate').agent, { ...input, to: 'en' })).toThrow(/must differ/)
    const runs = () => t.payload.count({ collection: 'agent-runs' as never }).then((r) => r.totalDocs)
    const before = await runs()
    await expect(
      startRun(t.payload, { agent: 'translate', input, tenant: t.tenants.bizoholic, trigger: { kind: 'manual' } }),
    ).rejects.toMatchObject({ status: 400, message: expect.stringContaining('to') })
    expect(await runs()).toBe(before)
  })
})
