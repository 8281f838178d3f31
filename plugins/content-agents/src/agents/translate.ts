import { defineAgent } from '@bizosaas/agents'
import {
  type DocumentRef,
  type PayloadAgent,
  payloadOf,
  readTenantDocument,
  requireTenantDocument,
  sameContent,
  updateDocument,
} from '@bizosaas/plugin-agents'
import { z } from 'zod'
import { DEFAULT_MODELS } from '../defaults.ts'
import { feedbackField, feedbackLines, localeField, postOrPageTarget } from '../inputs.ts'
import { requireLocale } from '../locales.ts'
import { blockLookup, fieldsOf, KNOWN_LIMITS, localizedData, locateSegments } from '../segments.ts'
import { getTextSegmentsTool } from '../tools/get-text-segments.ts'
import type { ContentAgentOptions } from '../types.ts'

export const translateOutput = z
  .object({
    segments: z
      .array(
        z.object({
          id: z.string().min(1).describe('Id of the source segment, exactly as get-text-segments gave it'),
          text: z.string().min(1).describe("The translated text, with the source text's leading and trailing spaces"),
        }),
      )
      .min(1)
      .describe('Every segment of the document, translated, each id exactly once'),
  })
  .superRefine((value, ctx) => {
    // Limits the model can fix in the repair round; ids missing or unknown are checked against the document in `apply`.
    const seen = new Set<string>()
    value.segments.forEach((segment, index) => {
      if (seen.has(segment.id))
        ctx.addIssue({
          code: 'custom',
          path: ['segments', index, 'id'],
          message: `Segment "${segment.id}" appears twice`,
        })
      seen.add(segment.id)
      const limit = KNOWN_LIMITS[segment.id]
      if (limit !== undefined && segment.text.length > limit)
        ctx.addIssue({
          code: 'custom',
          path: ['segments', index, 'text'],
          message: `"${segment.id}" must be at most ${limit} characters (it has ${segment.text.length})`,
        })
    })
  })

const INSTRUCTIONS = `You translate the texts of one page or post of a business website.
1. Call get-text-segments with the document's collection, id, from and to locales.
2. Translate every segment into the language of the target locale and answer with JSON { "segments": [{ "id": "…", "text": "…" }] } listing every segment id exactly once, unchanged.
Rules:
- Segments sharing a group are one paragraph split by formatting (bold, links). Translate the paragraph as a whole, then split it into the same number of segments in the same order, keeping leading and trailing spaces.
- Respect each segment's maxLength.
- Keep brand and product names, URLs, e-mail addresses, numbers and units. Adapt punctuation and quotes to the target language.
- Never add, merge, drop or reorder segments, and do not translate the ids.`

/** The `translate` agent: a page's or post's texts into another locale, rich-text structure kept, applied after approval. */
export function createTranslateAgent(options: ContentAgentOptions = {}) {
  const defaultLocale = options.locales?.defaultLocale
  return defineAgent({
    slug: 'translate',
    description: "Translates a page's or post's texts into another locale, keeping its rich-text structure",
    input: z
      .object({
        target: postOrPageTarget(),
        from: localeField(options.locales)
          .optional()
          .describe(
            `Locale to translate from. Default: the default locale${defaultLocale ? ` ("${defaultLocale}")` : ''}`,
          ),
        to: localeField(options.locales).describe('Locale to translate into, e.g. "de"'),
        feedback: feedbackField(),
      })
      .refine((input) => input.to !== (input.from ?? defaultLocale), {
        path: ['to'],
        message: 'The target locale must differ from the source locale',
      }),
    output: translateOutput,
    instructions: INSTRUCTIONS,
    prompt: (input) =>
      [
        `Translate ${input.target.collection} ${input.target.id} from ${input.from ? `"${input.from}"` : 'the default locale'} into "${input.to}".`,
        `Get its texts with get-text-segments (collection "${input.target.collection}", id ${JSON.stringify(input.target.id)}${input.from ? `, from "${input.from}"` : ''}, to "${input.to}").`,
        ...feedbackLines(input.feedback),
      ].join('\n'),
    tools: [getTextSegmentsTool],
    model: options.models ?? DEFAULT_MODELS,
    approval: true,
    maxSteps: 6,
    timeoutMs: 300_000,
    /**
     * Writes the translation into a fresh copy of the source's localized fields, in the target locale.
     * Every segment id must match the source as it is now; a target already holding this translation is left alone.
     */
    apply: async (output, ctx) => {
      const payload = payloadOf(ctx.services)
      const from = requireLocale(payload, ctx.input.from)
      const to = requireLocale(payload, ctx.input.to)
      if (!from || !to) throw new Error('This CMS has no localization to translate into')
      if (from === to) throw new Error(`Source and target locale are both "${to}"`)
      const ref = ctx.input.target as DocumentRef
      const fields = fieldsOf(payload, ref.collection)
      const source = await requireTenantDocument(payload, ref, ctx.tenant, { locale: from, fallback: false })
      const located = locateSegments(fields, source, blockLookup(payload))
      const translations = new Map(output.segments.map((segment) => [segment.id, segment.text]))
      const known = new Set(located.map((segment) => segment.id))
      const missing = located.filter((segment) => !translations.has(segment.id)).map((segment) => segment.id)
      const unknown = output.segments.filter((segment) => !known.has(segment.id)).map((segment) => segment.id)
      if (missing.length || unknown.length)
        throw new Error(
          [
            `The translation does not match ${ref.collection} ${ref.id} in "${from}"`,
            missing.length ? `missing segments: ${missing.join(', ')}` : '',
            unknown.length ? `unknown segments: ${unknown.join(', ')}` : '',
            'The source may have changed since the run; run the agent again.',
          ]
            .filter(Boolean)
            .join('; '),
        )
      for (const segment of located) segment.write(translations.get(segment.id) as string)
      const data = localizedData(fields, source)
      const result = { ...ref, from, to, segments: located.length }
      const current = await readTenantDocument(payload, ref, ctx.tenant, { locale: to, fallback: false })
      if (current.error === undefined && sameContent(localizedData(fields, current.doc), data))
        return { ...result, changed: false }
      await updateDocument(payload, ref, ctx.tenant, data, { locale: to, latest: source })
      return { ...result, changed: true }
    },
  })
}

export const translateAgent = createTranslateAgent()

/** `translate` hosted in Payload: locales refused unless configured; the target locale's current texts shown in review. */
export function translatePayloadAgent(
  options: ContentAgentOptions = {},
): PayloadAgent<ReturnType<typeof createTranslateAgent>> {
  return {
    agent: createTranslateAgent(options),
    label: 'Translate',
    targets: ['posts', 'pages'],
    current: async ({ payload, input, tenant }) => {
      const to = requireLocale(payload, input.to)
      const ref = input.target as DocumentRef
      const doc = await requireTenantDocument(payload, ref, tenant, { locale: to, fallback: false })
      const segments = locateSegments(fieldsOf(payload, ref.collection), doc, blockLookup(payload))
      return { locale: to, segments: Object.fromEntries(segments.map((segment) => [segment.id, segment.text])) }
    },
  }
}
