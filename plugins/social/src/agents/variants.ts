/**
 * A variant as the social agents write it, and the platform rules it must meet before anything is saved:
 * the output schema runs `validateVariant` on each variant's text and thread, so a variant that breaks a
 * rule fails the run's repair round with a zod issue naming the platform and the rule. Media rules
 * (required, size, type) are the service's to check at save, where the attachments are known.
 */
import {
  countChars,
  PLATFORM_RULES,
  type RuleIssue,
  SOCIAL_PLATFORMS,
  type SocialPlatformId,
  validateVariant,
} from '@bizosaas/contracts/social'
import { z } from 'zod'

/** Rules about text, which the model controls; media rules are checked where the media are known. */
const TEXT_RULES: ReadonlySet<RuleIssue['rule']> = new Set(['empty', 'max-chars', 'thread', 'hashtags', 'alt-text'])

export interface DraftVariant {
  platform: SocialPlatformId
  text: string
  thread?: readonly string[]
  hashtags?: readonly string[]
  altText?: string
}

/** Every rule a drafted variant's text breaks (and warnings), as the platform counts it. */
export function draftIssues(draft: DraftVariant): RuleIssue[] {
  const alt = draft.altText?.trim()
  const media = alt ? [{ mimeType: 'image/jpeg', filesize: 0, alt }] : []
  return validateVariant({ text: draft.text, thread: draft.thread ?? [], media }, draft.platform).filter(
    (issue) => TEXT_RULES.has(issue.rule) && !(issue.rule === 'alt-text' && issue.severity === 'warning'),
  )
}

/** Characters used per part (first, then thread parts) and what the platform allows. */
export function draftCounts(draft: DraftVariant): { parts: number[]; maxChars: number } {
  return {
    parts: [draft.text, ...(draft.thread ?? [])].map((part) => countChars(part, draft.platform)),
    maxChars: PLATFORM_RULES[draft.platform].maxChars,
  }
}

const HASHTAG = /^#?[\p{L}\p{N}_]+$/u
/** `#tag` from `tag` or `#tag`. */
export const hashtagOf = (tag: string) => (tag.startsWith('#') ? tag : `#${tag}`)

export const hashtagsField = z
  .array(z.string().trim().regex(HASHTAG, 'a hashtag is one word: letters, digits, _').describe('A hashtag, e.g. #SEO'))
  .max(30)
  .default([])
  .describe('Hashtags used in the text (each must appear in text or thread); [] for none')

/** One variant's fields, without the account (the agents add how they name accounts). */
export const variantFields = {
  platform: z.enum(SOCIAL_PLATFORMS as [SocialPlatformId, ...SocialPlatformId[]]).describe("The account's platform"),
  text: z
    .string()
    .trim()
    .min(1)
    .describe('The post exactly as published: text, hashtags and the link, within the platform limit'),
  thread: z
    .array(z.string().trim().min(1).describe('One following part of the thread'))
    .max(24)
    .default([])
    .describe('Following parts of a thread (only where the platform has threads); [] for a single post'),
  hashtags: hashtagsField,
  altText: z
    .string()
    .trim()
    .max(4000)
    .optional()
    .describe("Alt text for the source's image, when it has one: what the image shows, for screen readers"),
}

/** Adds a zod issue per broken rule (and per hashtag listed but not used) to `ctx`, at `path`. */
export function refineDraft(draft: DraftVariant, ctx: z.RefinementCtx, path: (string | number)[]): void {
  for (const issue of draftIssues(draft)) {
    if (issue.severity !== 'error') continue
    const where = issue.part
      ? [...path, 'thread', issue.part - 1]
      : issue.rule === 'alt-text'
        ? [...path, 'altText']
        : [...path, 'text']
    ctx.addIssue({ code: 'custom', path: where, message: `${issue.message} (rule ${issue.rule})` })
  }
  const body = [draft.text, ...(draft.thread ?? [])].join('\n').toLowerCase()
  for (const [i, tag] of (draft.hashtags ?? []).entries())
    if (!body.includes(hashtagOf(tag).toLowerCase()))
      ctx.addIssue({
        code: 'custom',
        path: [...path, 'hashtags', i],
        message: `${hashtagOf(tag)} is listed but not in the text; put it in the text or leave it out of hashtags`,
      })
}

/** The variant schema with its platform rules checked. */
export function checkedVariant<S extends z.ZodRawShape>(shape: S) {
  return z
    .object({ ...shape, ...variantFields })
    .superRefine((variant, ctx) => refineDraft(variant as unknown as DraftVariant, ctx, []))
}
