/**
 * `check-social-variant`: the model checks its own draft against the platform's rules before answering
 * (counted the platform's way: X weights emoji, Bluesky counts graphemes, links count 23 on X and
 * Mastodon). Issues come back as data; the answer is checked again with the same rules.
 */
import { defineTool } from '@bizosaas/agents'
import { z } from 'zod'
import { draftCounts, draftIssues, variantFields } from '../agents/variants.ts'

export const CHECK_VARIANT_TOOL = 'check-social-variant'

export const checkSocialVariantTool = defineTool({
  id: CHECK_VARIANT_TOOL,
  description:
    "Checks a drafted variant against its platform's rules and counts its characters the platform's way. Call it for each variant before answering; fix every error it reports and check again.",
  input: z.object({
    platform: variantFields.platform,
    text: z.string().describe('The text exactly as it will be published (hashtags and link included)'),
    thread: z.array(z.string()).default([]).describe('Following parts of a thread, if any'),
    altText: z.string().optional().describe('Alt text of the image, if any'),
  }),
  output: z.object({
    ok: z.boolean().describe('True when no rule is broken'),
    characters: z.array(z.number()).describe('Characters counted per part: the text, then each thread part'),
    maxChars: z.number().describe('Most characters per part on this platform'),
    issues: z
      .array(z.object({ rule: z.string(), severity: z.string(), message: z.string() }))
      .describe('Broken rules (errors must be fixed) and warnings'),
  }),
  execute: async (draft) => {
    const issues = draftIssues(draft)
    const { parts, maxChars } = draftCounts(draft)
    return {
      ok: !issues.some((issue) => issue.severity === 'error'),
      characters: parts,
      maxChars,
      issues: issues.map(({ rule, severity, message }) => ({ rule, severity, message })),
    }
  },
})
