/**
 * The pack against a real Medusa and the real CMS, with the real OpenAI/Anthropic SDKs talking to the
 * mock LLM. One Medusa and one CMS for the file (each costs seconds and hundreds of MB); a describe
 * block per agent, in order: the audit sees what the description agent wrote.
 */
import { randomUUID } from 'node:crypto'
import { applyRun, runAgent } from '@bizosaas/agents'
import type { MockRequest } from '@bizosaas/agents/testing'
import { createMedusaClient, PRODUCT_CONTENT } from '@bizosaas/plugin-medusa'
import { freePort } from '@bizosaas/scripts/ports'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createProductDescriptionAgent } from './agents/product-description.ts'
import { gapsOf, listChannelProducts } from './catalog.ts'
import { PRODUCT_REVIEWS } from './collections/product-reviews.ts'
import { descriptionPlainText, lexicalPlainText } from './description.ts'
import { type CommerceCms, type Doc, startCommerceCms } from './test/commerce-cms.ts'

let t: CommerceCms
beforeAll(async () => {
  t = await startCommerceCms('commerce_agents')
})
afterAll(() => t?.close())

const contentByHandle = (handle: string) => {
  const doc = [...t.content.values()].find((d) => d.handle === handle)
  if (!doc) throw new Error(`no product-content for ${handle}`)
  return doc
}
const readContent = async (id: number) =>
  (await t.payload.findByID({
    collection: PRODUCT_CONTENT as never,
    id,
    depth: 0,
    overrideAccess: true,
  })) as unknown as Doc
const toolResult = (request: MockRequest | undefined, index = 0) =>
  JSON.parse(request?.toolResults[index]?.content ?? 'null') as Record<string, unknown>

const fjordProposal = {
  description: {
    paragraphs: [
      'The Fjord Opal Pendant is a soft globe of hand-blown opal glass that spreads a calm, glare-free light over a dining table or along a hallway.',
      'It hangs from a textile cord and takes a standard E27 bulb. Pick the size that suits the room: 25, 35 or 45 centimetres across.',
    ],
    highlights: ['Hand-blown opal glass', 'Textile cord, E27 bulb', 'Ø25, Ø35 or Ø45 cm'],
  },
  metaTitle: 'Fjord Opal Pendant – hand-blown opal glass | CoreLDove',
  metaDescription:
    'A glare-free globe pendant of hand-blown opal glass on a textile cord, in three sizes. Takes an E27 bulb.',
  keywords: ['opal glass pendant', 'globe pendant light', 'nordic pendant lamp'],
}

describe('product-description', () => {
  it('proposes copy from the Medusa product and, once approved, writes Medusa and the CMS exactly once', async () => {
    const doc = contentByHandle('fjord-opal-pendant')
    const original = await t.storeProduct('fjord-opal-pendant')
    t.script(
      { reply: { toolCalls: [{ name: 'get-product', arguments: { id: doc.id } }] } },
      { reply: { json: fjordProposal } },
    )
    const hosted = t.hosted('product-description')
    const input = { target: { collection: PRODUCT_CONTENT, id: doc.id }, feedback: 'Mention the sizes.' }
    const result = await runAgent(hosted.agent, input, t.runOptions(t.tenants.coreldove))

    expect(result.status).toBe('awaiting-approval')
    expect(result.output).toEqual(fjordProposal)
    // the model read the product's real data through the tool, and saw the reviewer's feedback
    const [first, second] = t.mock.requests
    expect(first?.prompt).toContain('Mention the sizes.')
    expect(first?.system).toMatch(/Never invent specifications/)
    const product = toolResult(second)
    expect(product).toMatchObject({
      title: 'Fjord Opal Pendant',
      subtitle: 'Hand-blown opal glass',
      material: 'Opal glass',
      collection: 'Nordic Light',
      categories: ['Pendant Lights'],
      options: [{ title: 'Size', values: expect.arrayContaining(['Ø25 cm', 'Ø35 cm', 'Ø45 cm']) }],
      description: original?.description,
    })
    expect(product.variants).toHaveLength(3)
    expect(product.variants).toContainEqual(expect.objectContaining({ options: { Size: 'Ø35 cm' } }))
    expect(product.imageCount).toBeGreaterThan(0)

    // nothing written before approval; the review shows the current copy
    expect((await t.storeProduct('fjord-opal-pendant'))?.description).toBe(original?.description)
    const current = await hosted.current?.({
      payload: t.payload,
      input,
      output: result.output,
      tenant: t.tenants.coreldove,
    })
    expect(current).toEqual({ description: '', metaTitle: '', metaDescription: '', keywords: [] })

    const applied = await applyRun(hosted.agent, result.state, { services: { payload: t.payload } })
    expect(applied.status).toBe('succeeded')
    expect(applied.applyResult).toMatchObject({ productContentId: doc.id, changed: true })
    const text = descriptionPlainText(fjordProposal.description)
    expect(text).toContain('\n\n• Hand-blown opal glass\n• Textile cord, E27 bulb')
    // the storefront's store API serves the new description
    expect((await t.storeProduct('fjord-opal-pendant'))?.description).toBe(text)
    const after = await readContent(doc.id)
    expect(lexicalPlainText(after.description)).toBe(text)
    const blocks = (after.description as { root: { children: { type: string; listType?: string }[] } }).root.children
    expect(blocks.map((b) => b.type)).toEqual(['paragraph', 'paragraph', 'list'])
    expect(blocks[2]?.listType).toBe('bullet')
    expect(after.seo).toMatchObject({
      metaTitle: fjordProposal.metaTitle,
      metaDescription: fjordProposal.metaDescription,
      keywords: fjordProposal.keywords,
    })
    expect(after.medusaDescription).toBe(text)

    // a retried apply job changes nothing more, in Medusa or the CMS
    const { product: before } = await t.medusa.admin.product.retrieve(String(doc.medusaProductId))
    const retried = await applyRun(hosted.agent, result.state, { services: { payload: t.payload } })
    expect(retried.applyResult).toMatchObject({ changed: false })
    expect((await readContent(doc.id)).updatedAt).toBe(after.updatedAt)
    const { product: again } = await t.medusa.admin.product.retrieve(String(doc.medusaProductId))
    expect(again.updated_at).toBe(before.updated_at)
  })

  it('fails apply without touching the CMS while Medusa is unreachable, and succeeds on the retry', async () => {
    const doc = contentByHandle('halden-rattan-pendant')
    const proposal = {
      ...fjordProposal,
      description: {
        paragraphs: [
          'The Halden Rattan Pendant is hand-woven from natural rattan and throws a warm pattern of light across the room.',
          'Choose 40 or 60 centimetres across, to hang over a table or light a whole living room.',
        ],
        highlights: ['Hand-woven natural rattan'],
      },
      metaTitle: 'Halden Rattan Pendant | CoreLDove',
    }
    t.script(
      { reply: { toolCalls: [{ name: 'get-product', arguments: { id: doc.id } }] } },
      { reply: { json: proposal } },
    )
    const hosted = t.hosted('product-description')
    const input = { target: { collection: PRODUCT_CONTENT, id: doc.id } } as const
    const result = await runAgent(hosted.agent, input, t.runOptions(t.tenants.coreldove))
    expect(result.status).toBe('awaiting-approval')
    const before = await readContent(doc.id)
    const storeBefore = (await t.storeProduct('halden-rattan-pendant'))?.description

    // the same agent with a Medusa client on a port nobody listens on
    const closed = await freePort()
    const offline = createProductDescriptionAgent({
      medusa: () => createMedusaClient({ url: `http://127.0.0.1:${closed}`, apiKey: 'sk_unreachable' }),
    })
    await expect(
      offline.apply!(result.output!, {
        runId: result.state.runId,
        tenant: String(t.tenants.coreldove),
        input,
        signal: new AbortController().signal,
        services: { payload: t.payload },
      }),
    ).rejects.toThrow()
    const failed = await applyRun(offline, result.state, { services: { payload: t.payload } })
    expect(failed.status).toBe('failed')
    expect(failed.error?.code).toBe('apply-failed')
    const untouched = await readContent(doc.id)
    expect(untouched.updatedAt).toBe(before.updatedAt)
    expect(untouched.description ?? null).toEqual(before.description ?? null)
    expect(untouched.seo).toEqual(before.seo)
    expect((await t.storeProduct('halden-rattan-pendant'))?.description).toBe(storeBefore)

    // the apply job's retry, with Medusa back
    const retried = await applyRun(hosted.agent, failed, { services: { payload: t.payload } })
    expect(retried.status).toBe('succeeded')
    expect((await t.storeProduct('halden-rattan-pendant'))?.description).toBe(
      descriptionPlainText(proposal.description),
    )
    expect((await readContent(doc.id)).seo).toMatchObject({ metaTitle: proposal.metaTitle })
  })

  it("refuses another tenant's product, in the tool and in apply", async () => {
    const doc = contentByHandle('oslo-oak-table-lamp')
    t.script(
      { reply: { toolCalls: [{ name: 'get-product', arguments: { id: doc.id } }] } },
      { reply: { json: fjordProposal } },
    )
    const agent = t.hosted('product-description').agent
    const input = { target: { collection: PRODUCT_CONTENT, id: doc.id } } as const
    const result = await runAgent(agent, input, t.runOptions(t.tenants.bizoholic))
    expect(t.mock.requests[1]?.toolResults[0]).toMatchObject({ isError: true })
    expect(t.mock.requests[1]?.toolResults[0]?.content).toContain('belongs to another tenant')
    const applied = await applyRun(agent, result.state, { services: { payload: t.payload } })
    expect(applied.error).toMatchObject({ code: 'apply-failed', message: expect.stringContaining('another tenant') })
    expect((await readContent(doc.id)).seo).toEqual(doc.seo)
  })
})

describe('review-reply', () => {
  it('is queued for a new question, drafts a reply from the product data, and stores it once approved', async () => {
    const product = contentByHandle('fjord-opal-pendant')
    const review = (await t.payload.create({
      collection: PRODUCT_REVIEWS as never,
      overrideAccess: true,
      data: {
        tenant: t.tenants.coreldove,
        product: product.id,
        kind: 'question',
        authorName: 'Mara',
        body: 'Does the Fjord Opal Pendant come in a size big enough for a long dining table?',
      } as never,
    })) as unknown as Doc
    expect(review.replyStatus).toBe('open')

    // the trigger queued one run for it (after the create's transaction committed)
    const queuedRuns = async () =>
      (
        await t.payload.find({
          collection: 'agent-runs' as never,
          where: { and: [{ agent: { equals: 'review-reply' } }, { 'target.docId': { equals: String(review.id) } }] },
          overrideAccess: true,
        })
      ).docs as unknown as Doc[]
    await expect.poll(queuedRuns, { timeout: 10_000 }).toHaveLength(1)
    expect((await queuedRuns())[0]).toMatchObject({ status: 'queued', trigger: { kind: 'hook' } })

    const reply =
      'Thank you for your question, Mara! The Fjord Opal Pendant comes in three sizes: 25, 35 and 45 cm across. For a long dining table the 45 cm globe gives the most light; for very long tables, two pendants side by side work well. — The CoreLDove team'
    t.script(
      { reply: { toolCalls: [{ name: 'get-review', arguments: { id: review.id } }] } },
      { reply: { json: { reply } } },
    )
    const hosted = t.hosted('review-reply')
    const result = await runAgent(
      hosted.agent,
      { target: { collection: PRODUCT_REVIEWS, id: review.id } },
      t.runOptions(t.tenants.coreldove),
    )
    expect(result.status).toBe('awaiting-approval')
    expect(t.mock.requests[0]?.system).toMatch(/Never promise refunds/)
    expect(toolResult(t.mock.requests[1])).toMatchObject({
      kind: 'question',
      authorName: 'Mara',
      brand: 'CoreLDove',
      product: { title: 'Fjord Opal Pendant', description: expect.stringContaining('Ø25, Ø35 or Ø45 cm') },
    })
    const read = async () =>
      (await t.payload.findByID({
        collection: PRODUCT_REVIEWS as never,
        id: review.id,
        overrideAccess: true,
      })) as unknown as Doc
    expect((await read()).reply ?? null).toBeNull()

    const applied = await applyRun(hosted.agent, result.state, { services: { payload: t.payload } })
    expect(applied.applyResult).toMatchObject({ changed: true })
    const answered = await read()
    expect(answered).toMatchObject({ reply, replyStatus: 'answered' })
    expect(Date.parse(String(answered.repliedAt))).toBeGreaterThan(Date.now() - 60_000)
    // applying again changes nothing, and the agent's own write queued no second run
    expect(
      (await applyRun(hosted.agent, result.state, { services: { payload: t.payload } })).applyResult,
    ).toMatchObject({ changed: false })
    expect((await read()).updatedAt).toBe(answered.updatedAt)
    expect(await queuedRuns()).toHaveLength(1)
  })
})

describe('catalog-audit', () => {
  const descriptionRuns = async () =>
    (
      await t.payload.find({
        collection: 'agent-runs' as never,
        where: { and: [{ agent: { equals: 'product-description' } }, { tenant: { equals: t.tenants.coreldove } }] },
        overrideAccess: true,
        limit: 100,
      })
    ).docs as unknown as (Doc & { status: string; input: { target: { id: number } }; trigger: { kind: string } })[]

  /** A model that calls both tools and reports exactly what they returned (`tamper` edits the report). */
  const auditScript = (tamper: (report: Record<string, unknown>) => Record<string, unknown> = (r) => r) => {
    t.script(
      { reply: { toolCalls: [{ name: 'find-catalog-gaps', arguments: {} }] } },
      {
        reply: (request) => {
          const { gaps } = toolResult(request) as {
            gaps: { productId: string; missing: string[]; productContentId: unknown }[]
          }
          const ids = gaps
            .filter((g) => g.missing.includes('description') && g.productContentId)
            .map((g) => g.productId)
          return { toolCalls: [{ name: 'queue-product-descriptions', arguments: { productIds: ids, limit: 10 } }] }
        },
      },
      {
        reply: (request) => {
          const { gaps } = toolResult(request, 0) as { gaps: { productId: string; title: string; missing: string[] }[] }
          const { queued, skipped } = toolResult(request, 1) as {
            queued: { productId: string }[]
            skipped: { productId: string; reason: string }[]
          }
          const report = {
            summary: `${gaps.length} products need work; ${queued.length} descriptions were queued for review.`,
            gaps: gaps.map(({ productId, title, missing }) => ({ productId, title, missing })),
            queued: queued.map((q) => q.productId),
            skipped,
          }
          return { json: tamper(report) }
        },
      },
    )
  }

  it('finds the gaps of the real catalog, queues descriptions within budget, and dedupes on the next audit', async () => {
    const channel = t.commerce.tenants.coreldove!.salesChannelId
    const products = await listChannelProducts(t.medusa, channel)
    expect(products).toHaveLength(20)
    // five products lose their description, one of them its images too
    const stripped = products
      .filter((p) => !['fjord-opal-pendant', 'halden-rattan-pendant'].includes(String(p.handle)))
      .slice(0, 5)
    for (const [index, product] of stripped.entries())
      await t.medusa.admin.product.update(product.id, {
        description: 'A lamp.',
        ...(index === 0 ? { images: [], thumbnail: null } : {}),
      })

    // budget $0.05, $0.02 spent this month, past runs cost $0.01 each: room for 3 runs
    await t.payload.create({
      collection: 'agent-settings' as never,
      overrideAccess: true,
      data: { tenant: t.tenants.coreldove, agent: 'product-description', monthlyBudgetUsd: 0.05 } as never,
    })
    const pastRun = (await t.payload.create({
      collection: 'agent-runs' as never,
      overrideAccess: true,
      data: {
        runId: randomUUID(),
        agent: 'product-description',
        tenant: t.tenants.coreldove,
        status: 'succeeded',
        costUsd: 0.01,
      } as never,
    })) as unknown as Doc & { runId: string }
    await t.payload.create({
      collection: 'agent-steps' as never,
      overrideAccess: true,
      data: {
        agentRun: pastRun.id,
        runId: pastRun.runId,
        agent: 'product-description',
        tenant: t.tenants.coreldove,
        seq: 1,
        kind: 'model-call',
        costUsd: 0.02,
      } as never,
    })

    // what the audit should find, worked out here from Medusa and the CMS
    const after = await listChannelProducts(t.medusa, channel)
    const expected = []
    for (const product of after) {
      const missing = gapsOf(product, (await readContent(t.content.get(product.id)!.id)).seo as never)
      if (missing.length) expected.push({ productId: product.id, title: product.title, missing })
    }
    expect(expected.find((g) => g.productId === stripped[0]!.id)?.missing).toEqual(['description', 'images', 'seo'])
    expect(expected.some((g) => g.productId === contentByHandle('fjord-opal-pendant').medusaProductId)).toBe(false)
    const lacking = expected.filter((g) => g.missing.includes('description')).map((g) => g.productId)
    expect(lacking.length).toBeGreaterThanOrEqual(5)

    auditScript()
    const hosted = t.hosted('catalog-audit')
    const result = await runAgent(hosted.agent, { limit: 10 }, t.runOptions(t.tenants.coreldove))
    expect(result.error).toBeUndefined()
    expect(result.status).toBe('succeeded')
    const report = result.output!
    expect(report.gaps).toEqual(expected)
    expect(report.queued).toEqual(lacking.slice(0, 3))
    expect(report.skipped.map((s: { productId: string }) => s.productId)).toEqual(lacking.slice(3))
    for (const skipped of report.skipped) expect(skipped.reason).toMatch(/monthly budget/)
    expect(result.applyResult).toEqual({ gaps: expected.length, queued: 3, skipped: lacking.length - 3 })

    // three product-description runs wait in the queue, started by the audit for those products
    const runs = (await descriptionRuns()).filter((r) => r.status === 'queued')
    expect(runs).toHaveLength(3)
    const targets = runs.map((r) => r.input.target.id).sort()
    expect(targets).toEqual(report.queued.map((id: string) => t.content.get(id)!.id).sort())
    for (const run of runs) expect(run.trigger.kind).toBe('schedule')

    // the next audit queues nothing twice, and nothing over budget
    auditScript()
    const second = await runAgent(hosted.agent, { limit: 10 }, t.runOptions(t.tenants.coreldove))
    expect(second.status).toBe('succeeded')
    expect(second.output?.queued).toEqual([])
    const reasons = Object.fromEntries(
      second.output!.skipped.map((s: { productId: string; reason: string }) => [s.productId, s.reason]),
    )
    for (const id of lacking.slice(0, 3)) expect(reasons[id]).toMatch(/already queued/)
    for (const id of lacking.slice(3)) expect(reasons[id]).toMatch(/monthly budget/)
    expect((await descriptionRuns()).filter((r) => r.status === 'queued')).toHaveLength(3)
  })

  it('fails a run whose report does not match what its tools returned', async () => {
    auditScript((report) => ({ ...report, gaps: (report.gaps as unknown[]).slice(1) }))
    const result = await runAgent(t.hosted('catalog-audit').agent, { limit: 10 }, t.runOptions(t.tenants.coreldove))
    expect(result.status).toBe('failed')
    expect(result.error).toMatchObject({ code: 'apply-failed', message: expect.stringMatching(/gaps list differs/) })

    auditScript((report) => ({ ...report, queued: ['prod_invented'] }))
    const invented = await runAgent(t.hosted('catalog-audit').agent, { limit: 10 }, t.runOptions(t.tenants.coreldove))
    expect(invented.error?.message).toMatch(/queued list differs/)
  })
})
