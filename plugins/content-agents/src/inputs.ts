/** Zod fields the agents' inputs share, and the prompt lines built from them. */
import { documentTarget } from '@bizosaas/plugin-agents'
import { z } from 'zod'
import type { LocaleSettings } from './types.ts'

/**
 * The optional `feedback` field: the agents plugin fills it in when a reviewer rejects a proposal
 * and asks for a re-run.
 */
export const feedbackField = () =>
  z
    .string()
    .trim()
    .max(5000)
    .optional()
    .describe('Reviewer feedback on an earlier proposal: what to do differently this time')

/**
 * A locale code. Given the CMS's locales (the hosted agents), anything else is refused before a run
 * starts; without them (the bare runtime agent) tools and `apply` check it against the running CMS.
 */
export function localeField(locales: LocaleSettings | undefined): z.ZodType<string> {
  return locales ? z.enum(locales.codes) : z.string().trim().min(2).max(16)
}

/** The document an agent works on (`input.target`), checked by the agents plugin before a run. */
export const postOrPageTarget = () => documentTarget(['posts', 'pages'])

/** The last lines of a prompt: the reviewer's feedback, when this is a re-run. */
export function feedbackLines(feedback: string | undefined): string[] {
  return feedback
    ? ['', 'A reviewer rejected your previous proposal with this feedback. Address it:', `"""${feedback}"""`]
    : []
}
