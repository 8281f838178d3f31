import { defineAgent } from '@bizosaas/agents'
import {
  type DocumentRef,
  documentTarget,
  type PayloadAgent,
  payloadOf,
  requireTenantDocument,
  updateDocument,
} from '@bizosaas/plugin-agents'
import { z } from 'zod'
import { PRODUCT_REVIEWS } from '../collections/product-reviews.ts'
import { DEFAULT_MODELS } from '../defaults.ts'
import { feedbackField, feedbackLines } from '../inputs.ts'
import { getReviewTool } from '../tools/get-review.ts'
import type { CommerceAgentOptions } from '../types.ts'

export const reviewReplyInput = z.object({
  target: documentTarget([PRODUCT_REVIEWS]),
  feedback: feedbackField(),
})

export const reviewReplyOutput = z.object({
  reply: z
    .string()
    .trim()
    .min(20)
    .max(1200)
    .describe('The public reply, 20 to 1200 characters of plain text, signed as the shop'),
})

const INSTRUCTIONS = `You draft the shop's public replies to customer reviews and questions. A person approves every reply before it is published.
1. Call get-review with the review id. It gives the review or question, the product and the shop's brand name.
2. Answer with JSON: { "reply": "..." }, 20 to 1200 characters of plain text.
Write as the brand, in a warm, concise and professional tone, in the customer's language. Thank the customer or acknowledge their message by name.
- Questions: answer only from the product data get-review returns. If the answer is not there, say you will check and suggest contacting support; never guess specifications, stock, delivery times or prices.
- Problems or low ratings: apologise sincerely and point them to customer support to sort it out. Never promise refunds, replacements, discounts, vouchers or compensation, and never admit legal liability.
- Never share personal data, internal details or other customers' information. No markdown, no emoji.`

/** The `review-reply` agent: a reply to a customer review or question, stored after approval. */
export function createReviewReplyAgent(options: CommerceAgentOptions = {}) {
  return defineAgent({
    slug: 'review-reply',
    description: 'Drafts the shop’s reply to a customer review or product question',
    input: reviewReplyInput,
    output: reviewReplyOutput,
    instructions: INSTRUCTIONS,
    prompt: (input) =>
      [
        `Draft the reply to product review ${input.target.id}.`,
        `Read it with get-review (id ${JSON.stringify(input.target.id)}).`,
        ...feedbackLines(input.feedback),
      ].join('\n'),
    tools: [getReviewTool],
    model: options.models ?? DEFAULT_MODELS,
    approval: true,
    maxSteps: 5,
    /** Stores the reply and marks the review answered; a second call finds it stored and changes nothing. */
    apply: async (output, ctx) => {
      const payload = payloadOf(ctx.services)
      const ref: DocumentRef = { collection: PRODUCT_REVIEWS, id: ctx.input.target.id }
      const review = await requireTenantDocument(payload, ref, ctx.tenant)
      if (review.reply === output.reply && review.replyStatus === 'answered')
        return { reviewId: review.id, changed: false }
      await updateDocument(
        payload,
        ref,
        ctx.tenant,
        { reply: output.reply, replyStatus: 'answered', repliedAt: new Date().toISOString() },
        { latest: review },
      )
      return { reviewId: review.id, changed: true }
    },
  })
}

export const reviewReplyAgent = createReviewReplyAgent()

/** `review-reply` hosted in Payload: runs on reviews, shows the stored reply, drafts one for each new open review. */
export function reviewReplyPayloadAgent(
  options: CommerceAgentOptions = {},
): PayloadAgent<ReturnType<typeof createReviewReplyAgent>> {
  return {
    agent: createReviewReplyAgent(options),
    label: 'Review reply',
    targets: [PRODUCT_REVIEWS],
    current: async ({ payload, input, tenant }) => {
      const review = await requireTenantDocument(payload, input.target as DocumentRef, tenant)
      return { reply: typeof review.reply === 'string' ? review.reply : '' }
    },
    triggers: [
      {
        collection: PRODUCT_REVIEWS,
        // Every new review or question that still waits for an answer gets a draft, once.
        when: ({ doc, operation }) => operation === 'create' && (doc.replyStatus ?? 'open') === 'open',
        input: ({ doc }) => ({ target: { collection: PRODUCT_REVIEWS, id: doc.id } }),
        dedupeKey: ({ doc }) => `review-reply:${doc.id}`,
      },
    ],
  }
}
