/** Zod fields the agents' inputs share, and the prompt lines built from them. */
import { z } from 'zod'

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

/** The last lines of a prompt: the reviewer's feedback, when this is a re-run. */
export function feedbackLines(feedback: string | undefined): string[] {
  return feedback
    ? ['', 'A reviewer rejected your previous proposal with this feedback. Address it:', `"""${feedback}"""`]
    : []
}
