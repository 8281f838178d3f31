/**
 * `social-repurpose`: a long piece (a blog post or free text) turned into a thread — where the platform
 * has threads; a single post elsewhere — or into a series of N posts spread over D days at one time of
 * day. Posts go through the same service and approval rule as `social-compose` (see approval.ts).
 */
import { defineAgent } from '@bizosaas/agents'
import { type Id, type PayloadAgent, payloadOf, tenantRef } from '@bizosaas/plugin-agents'
import { z } from 'zod'
import { CHECK_VARIANT_TOOL, checkSocialVariantTool } from '../tools/check-social-variant.ts'
import { LIST_ACCOUNTS_TOOL, listSocialAccountsTool } from '../tools/list-social-accounts.ts'
import { READ_SOURCE_TOOL, readSocialSourceTool } from '../tools/read-social-source.ts'
import { decidePostStatus } from './approval.ts'
import { fillEmptyAlt, matchVariants, mediaFor } from './compose-apply.ts'
import { DEFAULT_SOCIAL_MODELS, type SocialAgentOptions } from './options.ts'
import { createRunPosts, type PlannedPost } from './run-posts.ts'
import { requireSource, sourceField, sourceInput } from './sources.ts'
import { checkedVariant } from './variants.ts'

export const REPURPOSE = 'social-repurpose'
const DAY_MS = 86_400_000

const accountId = z.union([z.number().int().positive(), z.string().trim().min(1)])

export const socialRepurposeInput = z.object({
  source: sourceInput,
  accounts: z.array(accountId.describe('A social-accounts id')).min(1).max(20).describe('Accounts to post to'),
  mode: z
    .enum(['thread', 'series'])
    .describe('thread: one post, a thread where the platform has threads; series: several posts over days'),
  posts: z.number().int().min(2).max(10).default(5).describe('series: how many posts (N)'),
  days: z.number().int().min(1).max(60).optional().describe('series: over how many days (D); default N'),
  hour: z.number().int().min(0).max(23).default(9).describe('series: hour of day (UTC) each post goes out'),
  startAt: z.iso
    .datetime({ offset: true })
    .optional()
    .describe('thread: when to publish; series: the first post (default: tomorrow at `hour`)'),
  campaign: z.string().trim().min(1).max(80).optional().describe('UTM campaign; default: the source’s slug'),
})
export type SocialRepurposeInput = z.output<typeof socialRepurposeInput>

export const socialRepurposeOutput = z.object({
  posts: z
    .array(
      z.object({
        title: z.string().trim().min(3).max(120).describe('Name of this post in the calendar (not published)'),
        variants: z
          .array(checkedVariant({ account: accountId.describe('The account id, from list-social-accounts') }))
          .min(1)
          .max(20)
          .describe('Exactly one variant per account'),
      }),
    )
    .min(1)
    .max(10)
    .describe('thread: exactly one post; series: exactly the number of posts asked for, in publishing order'),
})
export type SocialRepurposeOutput = z.output<typeof socialRepurposeOutput>

/** When each post of a series goes out: day offsets floor(i·D/N) from the first, same time of day. */
export function seriesTimes(
  input: Pick<SocialRepurposeInput, 'posts' | 'days' | 'hour' | 'startAt'>,
  now = new Date(),
) {
  const days = input.days ?? input.posts
  let first: Date
  if (input.startAt) first = new Date(input.startAt)
  else {
    first = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() + 1, input.hour))
  }
  return Array.from({ length: input.posts }, (_, i) =>
    new Date(first.getTime() + Math.floor((i * days) / input.posts) * DAY_MS).toISOString(),
  )
}

const instructions = (input: SocialRepurposeInput) => {
  const task =
    input.mode === 'thread'
      ? `Turn the source into ONE post. On platforms with threads (see list-social-accounts: "threads"), write a thread: "text" is the hook, "thread" holds the following parts (3 to 8 in all), each standing on its own, the link in the last part. On platforms without threads write one self-contained post with the link ("thread": []).`
      : `Turn the source into a series of exactly ${input.posts} posts, published over ${input.days ?? input.posts} days: each post takes one idea of the source, stands on its own and links to it. No threads ("thread": []). Give each post its own title.`
  return `You repurpose long content for social media.
1. Call ${READ_SOURCE_TOOL} with the source (and the campaign, if the task gives one).
2. Call ${LIST_ACCOUNTS_TOOL} with the account ids, the source's url and the campaign ${READ_SOURCE_TOOL} returned.
3. ${task}
Put each account's exact link in the text where it goes (never change it; none on Instagram or when it is null); hashtags go in the text and are listed in "hashtags".
4. Call ${CHECK_VARIANT_TOOL} for every variant (with its thread). Fix every error and check again until ok.
5. Answer with JSON: { "posts": [{ "title", "variants": [{ "account", "platform", "text", "thread", "hashtags" }] }] }.
State only facts from the source: no invented figures, quotes, prices or dates.`
}

/** The `social-repurpose` agent. */
export function createSocialRepurposeAgent(options: SocialAgentOptions = {}) {
  return defineAgent({
    slug: REPURPOSE,
    description: 'Turns a long post or text into a thread, or a series of posts over several days',
    input: socialRepurposeInput,
    output: socialRepurposeOutput,
    instructions,
    prompt: (input) =>
      [
        `Repurpose this source as a ${input.mode === 'thread' ? 'thread' : `series of ${input.posts} posts`}: ${JSON.stringify(input.source)}.`,
        `Accounts: ${JSON.stringify(input.accounts)}.`,
        input.campaign ? `Campaign: ${JSON.stringify(input.campaign)}.` : '',
      ]
        .filter(Boolean)
        .join('\n'),
    tools: [readSocialSourceTool, listSocialAccountsTool, checkSocialVariantTool],
    model: options.models ?? DEFAULT_SOCIAL_MODELS,
    approval: false,
    maxSteps: 16,
    /** Creates the thread's post or the series' posts once each, in the status the policy decides. */
    apply: async (output, ctx) => {
      const payload = payloadOf(ctx.services)
      const tenant: Id = tenantRef(ctx.tenant)
      const { input } = ctx
      const want = input.mode === 'thread' ? 1 : input.posts
      if (output.posts.length !== want)
        throw new Error(`The answer has ${output.posts.length} posts; the ${input.mode} needs exactly ${want}`)
      const source = await requireSource(payload, tenant, input.source, input.campaign)
      const times = input.mode === 'series' ? seriesTimes(input) : input.startAt ? [input.startAt] : [undefined]
      const decision = await decidePostStatus(payload, {
        tenant,
        agent: REPURPOSE,
        runId: ctx.runId,
        scheduled: Boolean(times[0]),
      })
      const planned: PlannedPost[] = []
      for (const [i, post] of output.posts.entries()) {
        const matched = await matchVariants(payload, tenant, input.accounts, post.variants)
        await fillEmptyAlt(payload, source.image, post.variants)
        planned.push({
          title: post.title,
          status: decision.status,
          ...(times[i] ? { scheduledAt: times[i] } : {}),
          campaign: source.campaign,
          ...(source.url ? { link: source.url } : {}),
          source: sourceField(input.source),
          ...(decision.approvedBy !== undefined ? { user: decision.approvedBy as never } : {}),
          variants: matched.map(({ account, variant }) => ({
            account: account.id,
            text: variant.text,
            thread: variant.thread,
            media: mediaFor(source.image, account.platform),
          })),
        })
      }
      const posts = await createRunPosts(payload, { tenant, agent: REPURPOSE, runId: ctx.runId, posts: planned })
      return { posts: posts.map((p) => ({ id: p.id, status: p.status, created: p.created })), why: decision.reason }
    },
  })
}

export const socialRepurposeAgent = createSocialRepurposeAgent()

export function socialRepurposePayloadAgent(
  options: SocialAgentOptions = {},
): PayloadAgent<ReturnType<typeof createSocialRepurposeAgent>> {
  return { agent: createSocialRepurposeAgent(options), label: 'Social repurpose' }
}
