/**
 * `social-compose`: one social post from a blog post, page, product or brief, with a variant per chosen
 * account within its platform's rules. Applied at once (no agent approval): the post is created
 * `awaiting-approval` for the calendar's approve step, or `scheduled` when a person already approved the
 * run or the tenant's policy says never ask (see approval.ts).
 */
import { defineAgent } from '@bizosaas/agents'
import { type Id, type PayloadAgent, payloadOf, tenantRef } from '@bizosaas/plugin-agents'
import { z } from 'zod'
import { CHECK_VARIANT_TOOL, checkSocialVariantTool } from '../tools/check-social-variant.ts'
import { LIST_ACCOUNTS_TOOL, listSocialAccountsTool } from '../tools/list-social-accounts.ts'
import { READ_SOURCE_TOOL, readSocialSourceTool } from '../tools/read-social-source.ts'
import { decidePostStatus } from './approval.ts'
import { autoDraftTriggers } from './auto-draft.ts'
import { fillEmptyAlt, matchVariants, mediaFor } from './compose-apply.ts'
import { accountId, socialComposeInput } from './compose-input.ts'
import type { SocialAgentOptions } from './options.ts'
import { DEFAULT_SOCIAL_MODELS } from './options.ts'
import { createRunPosts } from './run-posts.ts'
import { requireSource, sourceField } from './sources.ts'
import { checkedVariant } from './variants.ts'

export const COMPOSE = 'social-compose'

export { type SocialComposeInput, socialComposeInput } from './compose-input.ts'

export const socialComposeOutput = z.object({
  title: z.string().trim().min(3).max(120).describe('Name of the post in the calendar (not published)'),
  variants: z
    .array(checkedVariant({ account: accountId.describe('The account id, from list-social-accounts') }))
    .min(1)
    .max(20)
    .describe('Exactly one variant per account, in the order of list-social-accounts'),
})
export type SocialComposeOutput = z.output<typeof socialComposeOutput>

const INSTRUCTIONS = `You write social media posts for a business: one variant per account, each made for its platform.
1. Call ${READ_SOURCE_TOOL} with the source (and the campaign, if the task gives one).
2. Call ${LIST_ACCOUNTS_TOOL} with the account ids, the source's url and the campaign ${READ_SOURCE_TOOL} returned.
3. Draft one variant per account. Put the account's exact link in the text (never change it; leave it out where the link is null or on Instagram). Hashtags go in the text too, and are listed in "hashtags". Use a thread only where the platform has threads and the story needs it. If the source has an image, write altText describing it (within the platform's alt text limit).
4. Call ${CHECK_VARIANT_TOOL} for every variant. Fix every error it reports (shorten, drop hashtags) and check again until ok.
5. Answer with JSON: { "title": "...", "variants": [{ "account", "platform", "text", "thread", "hashtags", "altText" }] }.
Write in the source's language and the brand's voice: X and Bluesky short and punchy, LinkedIn professional with a short paragraph or two, Facebook conversational, Instagram visual with hashtags at the end, Mastodon plain and friendly with few hashtags.
State only facts from the source: no invented prices, figures, quotes, discounts or dates.`

/** The `social-compose` agent. */
export function createSocialComposeAgent(options: SocialAgentOptions = {}) {
  return defineAgent({
    slug: COMPOSE,
    description: 'Writes a social post for each chosen account from a blog post, page, product or brief',
    input: socialComposeInput,
    output: socialComposeOutput,
    instructions: INSTRUCTIONS,
    prompt: (input) =>
      [
        `Write a social post from this source: ${JSON.stringify(input.source)}.`,
        `Accounts: ${JSON.stringify(input.accounts)}.`,
        input.campaign
          ? `Campaign: ${JSON.stringify(input.campaign)}.`
          : 'No campaign given: use the one read-social-source returns.',
        input.scheduledAt ? `It will be published at ${input.scheduledAt}.` : '',
        input.feedback ? `A person asked for these changes to the last draft: ${input.feedback}` : '',
      ]
        .filter(Boolean)
        .join('\n'),
    tools: [readSocialSourceTool, listSocialAccountsTool, checkSocialVariantTool],
    model: options.models ?? DEFAULT_SOCIAL_MODELS,
    approval: false,
    maxSteps: 12,
    /** Creates the post once (found again by its run on a second apply), in the status the policy decides. */
    apply: async (output, ctx) => {
      const payload = payloadOf(ctx.services)
      const tenant: Id = tenantRef(ctx.tenant)
      const source = await requireSource(payload, tenant, ctx.input.source, ctx.input.campaign)
      const matched = await matchVariants(payload, tenant, ctx.input.accounts, output.variants)
      const decision = await decidePostStatus(payload, {
        tenant,
        agent: COMPOSE,
        runId: ctx.runId,
        scheduled: Boolean(ctx.input.scheduledAt),
      })
      await fillEmptyAlt(payload, source.image, output.variants)
      const [post] = await createRunPosts(payload, {
        tenant,
        agent: COMPOSE,
        runId: ctx.runId,
        posts: [
          {
            title: output.title,
            status: decision.status,
            ...(ctx.input.scheduledAt ? { scheduledAt: ctx.input.scheduledAt } : {}),
            campaign: source.campaign,
            ...(source.url ? { link: source.url } : {}),
            source: sourceField(ctx.input.source),
            ...(decision.approvedBy !== undefined ? { user: decision.approvedBy as never } : {}),
            variants: matched.map(({ account, variant }) => ({
              account: account.id,
              text: variant.text,
              thread: variant.thread,
              media: mediaFor(source.image, account.platform),
            })),
          },
        ],
      })
      return { post: post!.id, status: post!.status, created: post!.created, why: decision.reason }
    },
  })
}

export const socialComposeAgent = createSocialComposeAgent()

/** `social-compose` hosted in Payload: run by hand or drafted automatically when a post or product is published. */
export function socialComposePayloadAgent(
  options: SocialAgentOptions = {},
): PayloadAgent<ReturnType<typeof createSocialComposeAgent>> {
  return {
    agent: createSocialComposeAgent(options),
    label: 'Social compose',
    triggers: autoDraftTriggers(),
  }
}
