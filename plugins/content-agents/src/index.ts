/**
 * `@bizosaas/plugin-content-agents`: the content agent pack. Registers `seo-meta`, `blog-draft`,
 * `translate` and `summarize` with `@bizosaas/plugin-agents` (install that plugin first). The pack
 * adds no collections or fields: it reads and writes the CMS's `posts` and `pages`.
 */
import { type PayloadAgent, registerAgents } from '@bizosaas/plugin-agents'
import type { Config } from 'payload'
import { blogDraftPayloadAgent } from './agents/blog-draft.ts'
import { seoMetaPayloadAgent } from './agents/seo-meta.ts'
import { summarizePayloadAgent } from './agents/summarize.ts'
import { translatePayloadAgent } from './agents/translate.ts'
import { type ResolvedContentAgentsConfig, resolveConfig } from './defaults.ts'
import { localeSettings } from './locales.ts'
import type { ContentAgentsPluginConfig } from './types.ts'

/**
 * The pack's agents for a Payload config: model chains from the options, locale inputs limited to the
 * config's locales, and only what the config can host (`translate` needs localization; triggers and
 * targets need their collections).
 */
export function contentAgents(resolved: ResolvedContentAgentsConfig, config: Config): PayloadAgent[] {
  const locales = localeSettings(config.localization)
  const collections = new Set((config.collections ?? []).map((collection) => collection.slug))
  const fit = (hosted: PayloadAgent): PayloadAgent => ({
    ...hosted,
    targets: hosted.targets?.filter((slug) => collections.has(slug)),
    triggers: hosted.triggers?.filter((trigger) => collections.has(trigger.collection)),
  })
  const agents: PayloadAgent[] = [
    seoMetaPayloadAgent({ models: resolved.modelsFor('seo-meta'), locales }),
    blogDraftPayloadAgent({ models: resolved.modelsFor('blog-draft'), locales }),
    summarizePayloadAgent({ models: resolved.modelsFor('summarize'), locales }),
  ]
  if (locales) agents.splice(2, 0, translatePayloadAgent({ models: resolved.modelsFor('translate'), locales }))
  return agents.map(fit)
}

export function contentAgentsPlugin(options: ContentAgentsPluginConfig = {}) {
  const resolved = resolveConfig(options)
  return (config: Config): Config => {
    if (!resolved.enabled) return config
    return registerAgents(config, contentAgents(resolved, config))
  }
}

export { blogDraftAgent, createBlogDraftAgent } from './agents/blog-draft.ts'
export { createSeoMetaAgent, seoMetaAgent } from './agents/seo-meta.ts'
export { createSummarizeAgent, summarizeAgent } from './agents/summarize.ts'
export { createTranslateAgent, translateAgent } from './agents/translate.ts'
export {
  CONTENT_AGENT_SLUGS,
  type ContentAgentSlug,
  EXCERPT_MAX,
  META_DESCRIPTION_MAX,
  META_TITLE_MAX,
} from './constants.ts'
export { DEFAULT_MODELS } from './defaults.ts'
export { getDocumentTool } from './tools/get-document.ts'
export { getTextSegmentsTool } from './tools/get-text-segments.ts'
export { searchPostsTool } from './tools/search-posts.ts'
export type { ContentAgentOptions, ContentAgentsPluginConfig } from './types.ts'
