import { defineTool } from '@bizosaas/agents'
import { payloadOf, readTenantDocument } from '@bizosaas/plugin-agents'
import { z } from 'zod'
import { CONTENT_COLLECTIONS } from '../constants.ts'
import { resolveLocale } from '../locales.ts'
import { blockLookup, fieldsOf, locateSegments, segmentsForModel } from '../segments.ts'

export const getTextSegmentsTool = defineTool({
  id: 'get-text-segments',
  description:
    'Lists every translatable text of a page or post of this tenant in the source locale as segments with stable ids: title, excerpt, SEO texts, block texts and each text node of rich text. Translate every segment and answer with the same ids.',
  input: z.object({
    collection: z.enum(CONTENT_COLLECTIONS).describe('Collection of the document: "posts" or "pages"'),
    id: z.union([z.number().int().positive(), z.string().min(1)]).describe('Id of the document'),
    from: z.string().optional().describe('Locale code of the source texts. Default: the default locale'),
    to: z.string().describe('Locale code the texts will be translated into'),
  }),
  output: z.object({
    from: z.string().describe('Locale of the source texts'),
    to: z.string().describe('Locale to translate into'),
    segments: z
      .array(
        z.object({
          id: z.string().describe('Stable id of the segment: answer with exactly this id'),
          text: z.string().describe('Source text'),
          field: z.string().describe('What the text is, e.g. "title", "content > heading", "layout[hero].subheading"'),
          group: z
            .string()
            .optional()
            .describe('Segments sharing a group form one paragraph (split by formatting): translate them together'),
          maxLength: z.number().optional().describe('Length limit of the translated text, in characters'),
        }),
      )
      .describe('Every text to translate, in document order'),
  }),
  execute: async ({ collection, id, from: requestedFrom, to: requestedTo }, ctx) => {
    const payload = payloadOf(ctx.services)
    const from = resolveLocale(payload, requestedFrom)
    if (from.error !== undefined) return { isError: true, message: from.error }
    const to = resolveLocale(payload, requestedTo)
    if (to.error !== undefined) return { isError: true, message: to.error }
    if (!from.locale || !to.locale) return { isError: true, message: 'This CMS has no localization to translate into' }
    if (from.locale === to.locale)
      return { isError: true, message: `Source and target locale are both "${to.locale}": nothing to translate` }
    const found = await readTenantDocument(payload, { collection, id }, ctx.tenant, {
      locale: from.locale,
      fallback: false,
    })
    if (found.error !== undefined) return { isError: true, message: found.error }
    const segments = segmentsForModel(locateSegments(fieldsOf(payload, collection), found.doc, blockLookup(payload)))
    if (!segments.length)
      return { isError: true, message: `${collection} ${id} has no text in locale "${from.locale}" to translate` }
    return { from: from.locale, to: to.locale, segments }
  },
})
