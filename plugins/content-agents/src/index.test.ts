import { hostedAgents } from '@bizosaas/plugin-agents'
import type { Config } from 'payload'
import { describe, expect, it } from 'vitest'
import { DEFAULT_MODELS } from './defaults.ts'
import { contentAgentsPlugin } from './index.ts'

const cms = (localized = true): Config =>
  ({
    collections: [
      { slug: 'posts', fields: [] },
      { slug: 'pages', fields: [] },
    ],
    ...(localized ? { localization: { locales: ['en', 'de'], defaultLocale: 'en' } } : {}),
  }) as unknown as Config

const slugs = (config: Config) => hostedAgents(config).map((hosted) => hosted.agent.slug)

describe('contentAgentsPlugin', () => {
  it('registers the four agents with the default model chain and a trigger on posts', () => {
    const config = contentAgentsPlugin()(cms())
    expect(slugs(config)).toEqual(['seo-meta', 'blog-draft', 'translate', 'summarize'])
    for (const hosted of hostedAgents(config)) expect(hosted.agent.models).toEqual(DEFAULT_MODELS)
    expect(config.collections?.find((c) => c.slug === 'posts')?.hooks?.afterChange).toHaveLength(1)
  })

  it('overrides model chains for all agents or per agent', () => {
    const all = contentAgentsPlugin({ models: ['openai:gpt-4.1'] })(cms())
    expect(hostedAgents(all).map((h) => h.agent.models)).toEqual(Array(4).fill(['openai:gpt-4.1']))
    const one = contentAgentsPlugin({ models: { translate: ['anthropic:claude-sonnet-4-5'] } })(cms())
    const models = Object.fromEntries(hostedAgents(one).map((h) => [h.agent.slug, h.agent.models]))
    expect(models).toMatchObject({ translate: ['anthropic:claude-sonnet-4-5'], 'seo-meta': DEFAULT_MODELS })
  })

  it('registers nothing when disabled, and no translate agent without localization', () => {
    expect(slugs(contentAgentsPlugin({ enabled: false })(cms()))).toEqual([])
    expect(slugs(contentAgentsPlugin()(cms(false)))).toEqual(['seo-meta', 'blog-draft', 'summarize'])
  })

  it('takes the feedback of a rejected proposal on every agent', () => {
    for (const hosted of hostedAgents(contentAgentsPlugin()(cms())))
      expect((hosted.agent.input as { shape: Record<string, unknown> }).shape.feedback).toBeDefined()
  })
})
