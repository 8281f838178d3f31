import { hostedAgents } from '@bizosaas/plugin-agents'
import type { Config, PayloadRequest } from 'payload'
import { describe, expect, it } from 'vitest'
import { CATALOG_AUDIT_CRON } from './constants.ts'
import { DEFAULT_MODELS } from './defaults.ts'
import { commerceAgentsPlugin } from './index.ts'

const allow = () => true
const access = { read: allow, create: allow, update: allow, delete: allow }
const cms = (): Config => ({ collections: [{ slug: 'product-content', fields: [] }] }) as unknown as Config
const slugs = (config: Config) => hostedAgents(config).map((hosted) => hosted.agent.slug)

describe('commerceAgentsPlugin', () => {
  it('adds product-reviews and registers the three agents with the default chain, targets, trigger and schedule', () => {
    const config = commerceAgentsPlugin({ access })(cms())
    expect(slugs(config)).toEqual(['product-description', 'review-reply', 'catalog-audit'])
    for (const hosted of hostedAgents(config)) expect(hosted.agent.models).toEqual(DEFAULT_MODELS)
    const [description, reply, audit] = hostedAgents(config)
    expect(description?.targets).toEqual(['product-content'])
    expect(reply?.targets).toEqual(['product-reviews'])
    const reviews = config.collections?.find((c) => c.slug === 'product-reviews')
    expect(reviews?.hooks?.afterChange).toHaveLength(1)
    expect(reviews?.admin?.components?.edit?.beforeDocumentControls).toHaveLength(1)
    expect(audit?.schedule?.defaultCron).toBe(CATALOG_AUDIT_CRON)
    expect(audit?.agent.approval).toBe(false)
    expect(description?.agent.approval).toBe(true)
    expect(reply?.agent.approval).toBe(true)
  })

  it('overrides model chains for all agents or per agent', () => {
    const all = commerceAgentsPlugin({ access, models: ['openai:gpt-4.1'] })(cms())
    expect(hostedAgents(all).map((h) => h.agent.models)).toEqual(Array(3).fill(['openai:gpt-4.1']))
    const one = commerceAgentsPlugin({ access, models: { 'catalog-audit': ['anthropic:claude-sonnet-4-5'] } })(cms())
    const models = Object.fromEntries(hostedAgents(one).map((h) => [h.agent.slug, h.agent.models]))
    expect(models).toMatchObject({ 'catalog-audit': ['anthropic:claude-sonnet-4-5'], 'review-reply': DEFAULT_MODELS })
  })

  it('keeps the collection but registers nothing when disabled', () => {
    const config = commerceAgentsPlugin({ access, enabled: false })(cms())
    expect(slugs(config)).toEqual([])
    const reviews = config.collections?.find((c) => c.slug === 'product-reviews')
    expect(reviews).toBeDefined()
    expect(reviews?.hooks?.afterChange ?? []).toHaveLength(0)
  })

  it('takes the feedback of a rejected proposal on the agents that wait for approval', () => {
    for (const hosted of hostedAgents(commerceAgentsPlugin({ access })(cms())).filter((h) => h.agent.approval))
      expect((hosted.agent.input as { shape: Record<string, unknown> }).shape.feedback).toBeDefined()
  })

  it('drafts a reply for each new open review, once per review', () => {
    const [trigger] = hostedAgents(commerceAgentsPlugin({ access })(cms()))[1]?.triggers ?? []
    const doc = { id: 12, replyStatus: 'open' }
    // These triggers read only the document; `req` is for triggers that read settings.
    const req = {} as PayloadRequest
    expect(trigger?.when({ doc, operation: 'create', req })).toBe(true)
    expect(trigger?.when({ doc, previousDoc: doc, operation: 'update', req })).toBe(false)
    expect(trigger?.when({ doc: { ...doc, replyStatus: 'answered' }, operation: 'create', req })).toBe(false)
    expect(trigger?.input({ doc, req })).toEqual({ target: { collection: 'product-reviews', id: 12 } })
    expect(trigger?.dedupeKey?.({ doc })).toBe('review-reply:12')
  })
})
