/**
 * `social-insights`: once a week, what worked on the tenant's social accounts (from the stored metrics)
 * and 1 to 5 posts to try next. The proposals are created as `draft` posts a person edits and submits;
 * the run fails when its summary states a number its metrics tool did not return.
 */
import { defineAgent } from '@bizosaas/agents'
import { PLATFORM_RULES } from '@bizosaas/contracts/social'
import { type Id, type PayloadAgent, payloadOf, tenantRef } from '@bizosaas/plugin-agents'
import { z } from 'zod'
import { CHECK_VARIANT_TOOL, checkSocialVariantTool } from '../tools/check-social-variant.ts'
import { LIST_ACCOUNTS_TOOL, listSocialAccountsTool } from '../tools/list-social-accounts.ts'
import { forgetMetrics, metricsOfRun, READ_METRICS_TOOL, readSocialMetricsTool } from '../tools/read-social-metrics.ts'
import { activeAccountIds, connectedAccountIds } from './accounts.ts'
import { matchVariants } from './compose-apply.ts'
import { reportNumbers, unsupportedNumbers } from './metrics.ts'
import { DEFAULT_SOCIAL_MODELS, type SocialAgentOptions } from './options.ts'
import { createRunPosts } from './run-posts.ts'
import { checkedVariant } from './variants.ts'

export const INSIGHTS = 'social-insights'
/** Mondays 07:00 UTC. */
export const SOCIAL_INSIGHTS_CRON = '0 7 * * 1'

const accountId = z.union([z.number().int().positive(), z.string().trim().min(1)])

export const socialInsightsInput = z.object({
  days: z
    .union([z.literal(7), z.literal(28)])
    .default(7)
    .describe('The window the summary covers'),
  proposals: z.number().int().min(1).max(5).default(3).describe('How many posts to propose'),
})

export const socialInsightsOutput = z.object({
  summary: z
    .string()
    .trim()
    .min(20)
    .max(1500)
    .describe('What worked, in 2 to 6 plain sentences; every number copied from read-social-metrics'),
  proposals: z
    .array(
      z.object({
        title: z.string().trim().min(3).max(120).describe('Name of the proposed post in the calendar'),
        why: z.string().trim().max(300).describe('Which finding it builds on, in one sentence'),
        variants: z
          .array(checkedVariant({ account: accountId.describe('Account id, from list-social-accounts') }))
          .min(1)
          .max(20)
          .describe('One variant per account it should go to'),
      }),
    )
    .min(1)
    .max(5)
    .describe('Posts to try next'),
})
export type SocialInsightsOutput = z.output<typeof socialInsightsOutput>

const instructions = (
  input: z.output<typeof socialInsightsInput>,
) => `You review a business's social media results once a week and propose what to post next.
1. Call ${READ_METRICS_TOOL} with days ${input.days} (and with 28 as well if the week has few posts, to compare).
2. Call ${LIST_ACCOUNTS_TOOL} without account ids to see the accounts and their platforms' rules.
3. Write a summary of what worked: which platform and which posts drew the most engagements, the best hour and weekday. Copy every number exactly as ${READ_METRICS_TOOL} returned it; never compute, round or estimate a number yourself, and write no dates. If nothing was published, say so.
4. Propose exactly ${input.proposals} posts building on what worked, each with one variant per account it suits (not for platforms that require media: proposals have none). Check each variant with ${CHECK_VARIANT_TOOL} and fix every error.
5. Answer with JSON: { "summary": "...", "proposals": [{ "title", "why", "variants": [{ "account", "platform", "text", "thread", "hashtags" }] }] }.
Proposals are drafts a person edits: no invented figures, prices, quotes or dates in them.`

/** The `social-insights` agent. */
export function createSocialInsightsAgent(options: SocialAgentOptions = {}) {
  return defineAgent({
    slug: INSIGHTS,
    description: 'Weekly: what worked on social media, from the stored metrics, and posts to try next',
    input: socialInsightsInput,
    output: socialInsightsOutput,
    instructions,
    prompt: (input) =>
      `Review the last ${input.days} days of this tenant's social posts and propose ${input.proposals} posts.`,
    tools: [readSocialMetricsTool, listSocialAccountsTool, checkSocialVariantTool],
    model: options.models ?? DEFAULT_SOCIAL_MODELS,
    approval: false,
    maxSteps: 14,
    /** Checks the summary's numbers against the metrics read, then creates the proposals as drafts once. */
    apply: async (output, ctx) => {
      const payload = payloadOf(ctx.services)
      const tenant: Id = tenantRef(ctx.tenant)
      const reports = await metricsOfRun(payload, ctx.runId)
      if (!reports.length)
        throw new Error(`The insights did not read ${READ_METRICS_TOOL}, so their numbers have no source`)
      const unsupported = unsupportedNumbers(output.summary, reportNumbers([...reports, ctx.input.days]))
      if (unsupported.length)
        throw new Error(
          `The summary states numbers the metrics do not hold (${unsupported.join(', ')}); insights may only quote stored figures`,
        )
      // Accounts that need reconnecting are left out of the proposals (the service would refuse them).
      const accounts = await connectedAccountIds(payload, tenant, await activeAccountIds(payload, tenant))
      const posts = []
      for (const proposal of output.proposals) {
        const usable = proposal.variants.filter((v) => accounts.some((id) => String(id) === String(v.account)))
        const chosen = accounts.filter((id) => usable.some((v) => String(v.account) === String(id)))
        // A proposal has no media, so platforms that require an image (Instagram) are left to the person.
        const matched = (await matchVariants(payload, tenant, chosen, usable)).filter(
          ({ account }) => !PLATFORM_RULES[account.platform].media.required,
        )
        if (!matched.length) continue
        posts.push({
          title: proposal.title,
          status: 'draft' as const,
          campaign: 'social-insights',
          source: { kind: 'brief' as const, brief: `${proposal.why}\n\n${output.summary}`.slice(0, 5000) },
          variants: matched.map(({ account, variant }) => ({
            account: account.id,
            text: variant.text,
            thread: variant.thread,
          })),
        })
      }
      const created = await createRunPosts(payload, { tenant, agent: INSIGHTS, runId: ctx.runId, posts })
      forgetMetrics(ctx.runId)
      return { summary: output.summary, proposals: created.map((p) => ({ id: p.id, created: p.created })) }
    },
  })
}

export const socialInsightsAgent = createSocialInsightsAgent()

/** `social-insights` hosted in Payload: weekly per tenant (the tenant's schedule setting turns it on). */
export function socialInsightsPayloadAgent(
  options: SocialAgentOptions = {},
): PayloadAgent<ReturnType<typeof createSocialInsightsAgent>> {
  return {
    agent: createSocialInsightsAgent(options),
    label: 'Social insights',
    schedule: {
      input: () => ({ days: 7 as const, proposals: 3 }),
      defaultCron: SOCIAL_INSIGHTS_CRON,
      description: 'Weekly: what worked on social media, and posts to try next as drafts',
    },
  }
}
