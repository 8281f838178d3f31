import { AgentInputError, applyRun, parseAgentInput, runAgent } from '@bizosaas/agents'
import type { PayloadRequest } from 'payload'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { META_DESCRIPTION_MAX, META_TITLE_MAX } from '../constants.ts'
import { type ContentCms, startContentCms } from '../test/content-cms.ts'
import { seoMetaAgent } from './seo-meta.ts'

let t: ContentCms
beforeAll(async () => {
  t = await startContentCms('content_seo_meta')
})
afterAll(() => t?.close())

const proposal = {
  metaTitle: 'How to care for handmade ceramics | CoreLDove',
  metaDescription:
    'Simple washing and heat habits that keep handmade mugs and bowls looking new for years, from the CoreLDove studio.',
  keywords: ['handmade ceramics care', 'wash ceramic mugs', 'ceramic glaze'],
}

/** Layout rows as new rows for another locale. */
const withoutIds = (value: unknown): unknown =>
  Array.isArray(value)
    ? value.map(withoutIds)
    : value && typeof value === 'object' && !('root' in value)
      ? Object.fromEntries(
          Object.entries(value)
            .filter(([key]) => key !== 'id')
            .map(([k, v]) => [k, withoutIds(v)]),
        )
      : value

const versions = (id: number) =>
  t.payload.countVersions({ collection: 'posts', where: { parent: { equals: id } } }).then((r) => r.totalDocs)

describe('seo-meta', () => {
  it('proposes metadata within the limits, repairing an over-long title, and writes it only once approved', async () => {
    const post = await t.bySlug('posts', 'ceramics-care')
    t.script(
      { reply: { toolCalls: [{ name: 'get-document', arguments: { collection: 'posts', id: post.id } }] } },
      {
        reply: {
          json: { ...proposal, metaTitle: `${proposal.metaTitle} — washing, heat and glaze tips for every day` },
        },
      },
      { reply: { json: proposal } },
    )
    const hosted = t.hosted('seo-meta')
    const input = { target: { collection: 'posts' as const, id: post.id }, feedback: 'Mention the glaze.' }
    const result = await runAgent(hosted.agent, input, t.runOptions(t.tenants.coreldove))

    expect(result.status).toBe('awaiting-approval')
    expect(result.output).toEqual(proposal)
    expect(result.output.metaTitle.length).toBeLessThanOrEqual(META_TITLE_MAX)
    expect(result.output.metaDescription.length).toBeLessThanOrEqual(META_DESCRIPTION_MAX)
    // the model read the post through the tool, saw the reviewer's feedback, and was asked to repair the title
    const [first, second, repair] = t.mock.requests
    expect(first?.prompt).toContain('Mention the glaze.')
    expect(second?.toolResults[0]?.isError).toBe(false)
    expect(second?.toolResults[0]?.content).toContain('hand washing keeps the glaze bright')
    expect(repair?.lastUserText).toMatch(/metaTitle.*60/s)

    // nothing written before approval; review shows the empty current values
    expect((await t.bySlug('posts', 'ceramics-care')).seo).toMatchObject({ metaTitle: null, metaDescription: null })
    const current = await hosted.current?.({
      payload: t.payload,
      input,
      output: result.output,
      tenant: t.tenants.coreldove,
    })
    expect(current).toEqual({ metaTitle: '', metaDescription: '', keywords: [] })

    const applied = await applyRun(hosted.agent, result.state, { services: { payload: t.payload } })
    expect(applied.status).toBe('succeeded')
    expect(applied.applyResult).toMatchObject({ collection: 'posts', id: post.id, locale: 'en', changed: true })
    const after = await t.bySlug('posts', 'ceramics-care')
    expect(after.seo).toMatchObject(proposal)
    expect(after._status).toBe('published')
    expect(after.title).toBe(post.title)

    // approving twice, or a retried apply job, changes nothing more
    const count = await versions(post.id)
    expect(await applyRun(hosted.agent, applied, { services: { payload: t.payload } })).toBe(applied)
    const retried = await applyRun(hosted.agent, result.state, { services: { payload: t.payload } })
    expect(retried.applyResult).toMatchObject({ changed: false })
    expect(await versions(post.id)).toBe(count)
    expect((await t.bySlug('posts', 'ceramics-care')).updatedAt).toBe(after.updatedAt)
  })

  it('writes the requested locale only, keeping the other locales and shared SEO fields', async () => {
    const page = await t.bySlug('pages', 'shipping-returns')
    const input = (locale: string) => ({ target: { collection: 'pages' as const, id: page.id }, locale })
    const german = {
      metaTitle: 'Versand und Rückgabe | CoreLDove',
      metaDescription:
        'Lieferzeiten, Versandkosten und unsere 30-tägige Rückgabe: so kommt Ihre Keramik sicher bei Ihnen an.',
      keywords: ['versand keramik', 'rückgabe'],
    }
    const readPage = (locale: string) => ({
      reply: { toolCalls: [{ name: 'get-document', arguments: { collection: 'pages', id: page.id, locale } }] },
    })

    // no French version yet: the model is told to translate first, and nothing can be applied
    t.script(readPage('fr'), { reply: { json: german } })
    const french = await runAgent(seoMetaAgent, input('fr'), t.runOptions(t.tenants.coreldove))
    expect(t.mock.requests[1]?.toolResults[0]?.content).toContain('no \\"fr\\" version yet')
    const refused = await applyRun(seoMetaAgent, french.state, { services: { payload: t.payload } })
    expect(refused.error?.message).toMatch(/no "fr" version yet: translate it/)

    // with a German version, German metadata lands in German only
    await t.payload.update({
      collection: 'pages',
      id: page.id,
      locale: 'de',
      data: { title: 'Versand & Rückgabe', layout: withoutIds(page.layout) as never },
    })
    t.script(readPage('de'), { reply: { json: german } })
    const result = await runAgent(seoMetaAgent, input('de'), t.runOptions(t.tenants.coreldove))
    expect(result.status).toBe('awaiting-approval')
    const applied = await applyRun(seoMetaAgent, result.state, { services: { payload: t.payload } })
    expect(applied.error).toBeUndefined()
    const de = await t.bySlug('pages', 'shipping-returns', { locale: 'de' })
    const en = await t.bySlug('pages', 'shipping-returns', { locale: 'en' })
    expect(de.seo).toMatchObject({ ...german, ogImage: (page.seo as { ogImage: number }).ogImage })
    const { keywords, ...english } = page.seo as Record<string, unknown>
    expect(en.seo).toMatchObject(english)
    expect((en.seo as { keywords?: string[] }).keywords ?? []).toEqual(keywords)
  })

  it("refuses another tenant's document, in the tool and in apply", async () => {
    const theirs = await t.bySlug('posts', 'day-in-the-studio') // CoreLDove's
    t.script(
      { reply: { toolCalls: [{ name: 'get-document', arguments: { collection: 'posts', id: theirs.id } }] } },
      { reply: { json: proposal } },
    )
    const input = { target: { collection: 'posts' as const, id: theirs.id } }
    const result = await runAgent(seoMetaAgent, input, t.runOptions(t.tenants.bizoholic))
    const toolResult = t.mock.requests[1]?.toolResults[0]
    expect(toolResult?.isError).toBe(true)
    expect(toolResult?.content).toContain('belongs to another tenant')
    expect(toolResult?.content).not.toContain('wedging clay')

    const applied = await applyRun(seoMetaAgent, result.state, { services: { payload: t.payload } })
    expect(applied.status).toBe('failed')
    expect(applied.error).toMatchObject({ code: 'apply-failed', message: expect.stringContaining('another tenant') })
    expect((await t.bySlug('posts', 'day-in-the-studio')).seo).toEqual(theirs.seo)
  })

  it('refuses a locale the CMS does not have before a run starts', () => {
    const input = { target: { collection: 'posts', id: 1 }, locale: 'xx' }
    expect(() => parseAgentInput(t.hosted('seo-meta').agent, input)).toThrow(AgentInputError)
  })

  it('is queued when a post goes live without a meta title or description, once per post', () => {
    const [trigger] = t.hosted('seo-meta').triggers ?? []
    expect(trigger?.collection).toBe('posts')
    const doc = { id: 7, _status: 'published', seo: { metaTitle: 'Set', metaDescription: null } }
    // These triggers read only the document; `req` is for triggers that read settings.
    const req = {} as PayloadRequest
    expect(trigger?.when({ doc, previousDoc: { _status: 'draft' }, operation: 'update', req })).toBe(true)
    expect(trigger?.when({ doc, previousDoc: undefined, operation: 'create', req })).toBe(true)
    // already live, or complete metadata: no run
    expect(trigger?.when({ doc, previousDoc: { _status: 'published' }, operation: 'update', req })).toBe(false)
    const complete = { ...doc, seo: { metaTitle: 'Set', metaDescription: 'Also set' } }
    expect(trigger?.when({ doc: complete, previousDoc: { _status: 'draft' }, operation: 'update', req })).toBe(false)
    expect(trigger?.input({ doc, req })).toEqual({ target: { collection: 'posts', id: 7 } })
    expect(trigger?.dedupeKey?.({ doc })).toBe('seo-meta:posts:7')
  })
})
