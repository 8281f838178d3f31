import { defineAgent } from '@bizosaas/agents'
import {
  type DocumentData,
  type DocumentRef,
  type PayloadAgent,
  requireTenantDocument,
  sameContent,
  updateDocument,
} from '@bizosaas/plugin-agents'
import { z } from 'zod'
import { META_DESCRIPTION_MAX, META_TITLE_MAX } from '../constants.ts'
import { DEFAULT_MODELS } from '../defaults.ts'
import { feedbackField, feedbackLines, localeField, postOrPageTarget } from '../inputs.ts'
import { requireLocale, requireLocalizedTarget } from '../locales.ts'
import { getDocumentTool } from '../tools/get-document.ts'
import type { ContentAgentOptions } from '../types.ts'

export const seoMetaOutput = z.object({
  metaTitle: z
    .string()
    .trim()
    .min(10)
    .max(META_TITLE_MAX)
    .describe(`Meta title shown in search results: at most ${META_TITLE_MAX} characters, main topic first`),
  metaDescription: z
    .string()
    .trim()
    .min(50)
    .max(META_DESCRIPTION_MAX)
    .describe(`Meta description shown under the title: 50 to ${META_DESCRIPTION_MAX} characters`),
  keywords: z
    .array(z.string().trim().min(2).max(60).describe('A keyword or key phrase, lower case'))
    .min(1)
    .max(10)
    .describe('3 to 8 search phrases people would type to find this document, most important first'),
})

export type SeoMeta = z.output<typeof seoMetaOutput>

const INSTRUCTIONS = `You write search-engine metadata for one page or post of a business website.
1. Call get-document with the document's collection, id and locale. Base everything on what it says; never invent offers, prices or facts.
2. Answer with JSON:
   - metaTitle: at most ${META_TITLE_MAX} characters; the main topic first, then the brand if it fits; no quotes, no emoji, no clickbait.
   - metaDescription: 50 to ${META_DESCRIPTION_MAX} characters; one or two sentences that say what the reader gets and invite the click.
   - keywords: 3 to 8 lower-case search phrases, most important first.
Write in the language of the requested locale.`

/** The SEO fields of a document as the agent writes them. */
function seoOf(doc: DocumentData): SeoMeta {
  const seo = (doc.seo ?? {}) as {
    metaTitle?: string | null
    metaDescription?: string | null
    keywords?: string[] | null
  }
  return { metaTitle: seo.metaTitle ?? '', metaDescription: seo.metaDescription ?? '', keywords: seo.keywords ?? [] }
}

/** The `seo-meta` agent: meta title, description and keywords for a page or post, applied after approval. */
export function createSeoMetaAgent(options: ContentAgentOptions = {}) {
  return defineAgent({
    slug: 'seo-meta',
    description: 'Writes the meta title, meta description and keywords of a page or post',
    input: z.object({
      target: postOrPageTarget(),
      locale: localeField(options.locales)
        .optional()
        .describe('Locale of the metadata to write, e.g. "de". Default: the default locale'),
      feedback: feedbackField(),
    }),
    output: seoMetaOutput,
    instructions: INSTRUCTIONS,
    prompt: (input) =>
      [
        `Write the SEO metadata of ${input.target.collection} ${input.target.id} ${input.locale ? `in locale "${input.locale}"` : 'in the default locale'}.`,
        `Read it with get-document (collection "${input.target.collection}", id ${JSON.stringify(input.target.id)}${input.locale ? `, locale "${input.locale}"` : ''}).`,
        ...feedbackLines(input.feedback),
      ].join('\n'),
    tools: [getDocumentTool],
    model: options.models ?? DEFAULT_MODELS,
    approval: true,
    maxSteps: 6,
    /** Writes `seo.metaTitle/metaDescription/keywords` in the run's locale; a second call finds them written and does nothing. */
    apply: async (output, ctx) => {
      const { payload, ref, locale, doc } = await requireLocalizedTarget(ctx)
      const next: SeoMeta = {
        metaTitle: output.metaTitle,
        metaDescription: output.metaDescription,
        keywords: output.keywords,
      }
      if (sameContent(seoOf(doc), next)) return { ...ref, locale: locale ?? null, changed: false }
      await updateDocument(payload, ref, ctx.tenant, { seo: next }, { locale, latest: doc })
      return { ...ref, locale: locale ?? null, changed: true }
    },
  })
}

export const seoMetaAgent = createSeoMetaAgent()

const isBlank = (value: unknown) => typeof value !== 'string' || value.trim() === ''

/** `seo-meta` hosted in Payload: runs on pages and posts, shows the current SEO beside the proposal, triggers on publish. */
export function seoMetaPayloadAgent(
  options: ContentAgentOptions = {},
): PayloadAgent<ReturnType<typeof createSeoMetaAgent>> {
  return {
    agent: createSeoMetaAgent(options),
    label: 'SEO meta',
    targets: ['posts', 'pages'],
    current: async ({ payload, input, tenant }) => {
      const locale = requireLocale(payload, input.locale)
      const doc = await requireTenantDocument(payload, input.target as DocumentRef, tenant, { locale, fallback: false })
      return seoOf(doc)
    },
    triggers: [
      {
        collection: 'posts',
        // A post going live without a meta title or description gets a proposal for both.
        when: ({ doc, previousDoc }) => {
          const seo = (doc.seo ?? {}) as Record<string, unknown>
          return (
            previousDoc?._status !== 'published' &&
            doc._status === 'published' &&
            (isBlank(seo.metaTitle) || isBlank(seo.metaDescription))
          )
        },
        input: ({ doc }) => ({ target: { collection: 'posts' as const, id: doc.id } }),
        dedupeKey: ({ doc }) => `seo-meta:posts:${doc.id}`,
      },
    ],
  }
}
