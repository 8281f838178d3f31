import { defineAgent } from '@bizosaas/agents'
import {
  type DocumentRef,
  documentTarget,
  type PayloadAgent,
  requireTenantDocument,
  updateDocument,
} from '@bizosaas/plugin-agents'
import { z } from 'zod'
import { EXCERPT_MAX } from '../constants.ts'
import { DEFAULT_MODELS } from '../defaults.ts'
import { feedbackField, feedbackLines, localeField } from '../inputs.ts'
import { requireLocale, requireLocalizedTarget } from '../locales.ts'
import { getDocumentTool } from '../tools/get-document.ts'
import type { ContentAgentOptions } from '../types.ts'

export const summarizeOutput = z.object({
  excerpt: z
    .string()
    .trim()
    .min(40)
    .max(EXCERPT_MAX)
    .describe(`The excerpt: 1 to 3 plain sentences, at most ${EXCERPT_MAX} characters`),
})

const INSTRUCTIONS = `You write the excerpt of a blog post: the short summary shown in post lists, feeds and social previews.
1. Call get-document with the post's id and locale.
2. Answer with JSON { "excerpt": "…" }: 1 to 3 plain sentences, at most ${EXCERPT_MAX} characters, that tell a reader what they will learn and why it matters. No markdown, no quotes, no "In this post".
Write in the language of the requested locale and use only facts from the post.`

/** The `summarize` agent: an excerpt for a post, applied to `excerpt` after approval. */
export function createSummarizeAgent(options: ContentAgentOptions = {}) {
  return defineAgent({
    slug: 'summarize',
    description: 'Writes the excerpt (a short summary) of a post',
    input: z.object({
      target: documentTarget(['posts']),
      locale: localeField(options.locales)
        .optional()
        .describe('Locale of the excerpt to write, e.g. "de". Default: the default locale'),
      feedback: feedbackField(),
    }),
    output: summarizeOutput,
    instructions: INSTRUCTIONS,
    prompt: (input) =>
      [
        `Write the excerpt of post ${input.target.id} ${input.locale ? `in locale "${input.locale}"` : 'in the default locale'}.`,
        `Read it with get-document (collection "posts", id ${JSON.stringify(input.target.id)}${input.locale ? `, locale "${input.locale}"` : ''}).`,
        ...feedbackLines(input.feedback),
      ].join('\n'),
    tools: [getDocumentTool],
    model: options.models ?? DEFAULT_MODELS,
    approval: true,
    maxSteps: 6,
    /** Writes `excerpt` in the run's locale; does nothing when it already holds this text. */
    apply: async (output, ctx) => {
      const { payload, ref, locale, doc } = await requireLocalizedTarget(ctx)
      if (doc.excerpt === output.excerpt) return { ...ref, locale: locale ?? null, changed: false }
      await updateDocument(payload, ref, ctx.tenant, { excerpt: output.excerpt }, { locale, latest: doc })
      return { ...ref, locale: locale ?? null, changed: true }
    },
  })
}

export const summarizeAgent = createSummarizeAgent()

/** `summarize` hosted in Payload: runs on posts and shows the current excerpt beside the proposal. */
export function summarizePayloadAgent(
  options: ContentAgentOptions = {},
): PayloadAgent<ReturnType<typeof createSummarizeAgent>> {
  return {
    agent: createSummarizeAgent(options),
    label: 'Summarize',
    targets: ['posts'],
    current: async ({ payload, input, tenant }) => {
      const locale = requireLocale(payload, input.locale)
      const doc = await requireTenantDocument(payload, input.target as DocumentRef, tenant, { locale, fallback: false })
      return { excerpt: doc.excerpt ?? null }
    },
  }
}
