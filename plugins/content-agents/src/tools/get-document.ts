import { defineTool } from '@bizosaas/agents'
import { payloadOf, readTenantDocument } from '@bizosaas/plugin-agents'
import { z } from 'zod'
import { CONTENT_COLLECTIONS } from '../constants.ts'
import { missingLocaleVersion, resolveLocale } from '../locales.ts'
import { blockLookup, bodyText, fieldsOf, locateSegments } from '../segments.ts'

/** Body text beyond this is cut: enough to summarise or describe a page, bounded in tokens. */
const TEXT_LIMIT = 12_000

const nullableText = (description: string) => z.string().nullable().describe(description)

export const getDocumentTool = defineTool({
  id: 'get-document',
  description:
    'Reads a page or post of this tenant in one locale: title, status, excerpt, current SEO fields and its text content as plain text (one line per paragraph or heading). Read the document before writing anything about it.',
  input: z.object({
    collection: z.enum(CONTENT_COLLECTIONS).describe('Collection of the document: "posts" or "pages"'),
    id: z.union([z.number().int().positive(), z.string().min(1)]).describe('Id of the document'),
    locale: z
      .string()
      .optional()
      .describe(
        'Locale code to read, e.g. "de"; texts missing in it fall back to the default locale. Default: the default locale',
      ),
  }),
  output: z.object({
    collection: z.enum(CONTENT_COLLECTIONS).describe('Collection of the document'),
    id: z.union([z.number(), z.string()]).describe('Id of the document'),
    locale: z.string().nullable().describe('Locale the texts were read in'),
    status: z.string().nullable().describe('"draft" or "published"'),
    title: nullableText('Title'),
    excerpt: nullableText('Short summary shown in lists (posts only)'),
    seo: z
      .object({
        metaTitle: nullableText('Current meta title'),
        metaDescription: nullableText('Current meta description'),
        keywords: z.array(z.string()).describe('Current keywords'),
      })
      .describe('Current search metadata'),
    text: z.string().describe('The content as plain text, one line per paragraph, heading or block text'),
    truncated: z.boolean().describe(`True when the text was cut at ${TEXT_LIMIT} characters`),
  }),
  execute: async ({ collection, id, locale: requested }, ctx) => {
    const payload = payloadOf(ctx.services)
    const locale = resolveLocale(payload, requested)
    if (locale.error !== undefined) return { isError: true, message: locale.error }
    const found = await readTenantDocument(payload, { collection, id }, ctx.tenant, {
      locale: locale.locale,
      fallback: false,
    })
    if (found.error !== undefined) return { isError: true, message: found.error }
    const { doc } = found
    const missing = missingLocaleVersion({ collection, id }, doc, locale.locale)
    if (missing) return { isError: true, message: missing }
    const seo = (doc.seo ?? {}) as {
      metaTitle?: string | null
      metaDescription?: string | null
      keywords?: string[] | null
    }
    const text = bodyText(locateSegments(fieldsOf(payload, collection), doc, blockLookup(payload)))
    return {
      collection,
      id: doc.id,
      locale: locale.locale ?? null,
      status: typeof doc._status === 'string' ? doc._status : null,
      title: typeof doc.title === 'string' ? doc.title : null,
      excerpt: typeof doc.excerpt === 'string' ? doc.excerpt : null,
      seo: {
        metaTitle: seo.metaTitle ?? null,
        metaDescription: seo.metaDescription ?? null,
        keywords: seo.keywords ?? [],
      },
      text: text.slice(0, TEXT_LIMIT),
      truncated: text.length > TEXT_LIMIT,
    }
  },
})
