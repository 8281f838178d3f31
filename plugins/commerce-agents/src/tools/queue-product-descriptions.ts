import { defineTool } from '@bizosaas/agents'
import { type Id, payloadOf, RUN_STATUS, startRuns, TRIGGER_KIND, tenantRef } from '@bizosaas/plugin-agents'
import { PRODUCT_CONTENT } from '@bizosaas/plugin-medusa'
import type { Payload } from 'payload'
import { z } from 'zod'
import { QUEUE_TOOL, type QueueOutcome, recordQueueOutcome } from '../audit-ledger.ts'
import { contentByProduct, type DescriptionBudget, runsWithinBudget } from '../catalog.ts'
import { agentCosts } from '../sql.ts'

const DESCRIPTION_AGENT = 'product-description'
/** Runs of these statuses already work on a product's description. */
const LIVE_STATUSES = [RUN_STATUS.queued, RUN_STATUS.running, RUN_STATUS.awaitingApproval]

/** The tenant's monthly budget for product-description (agent-settings), and whether the agent is enabled. */
async function descriptionSettings(payload: Payload, tenant: Id) {
  const found = await payload.find({
    collection: 'agent-settings' as never,
    where: { and: [{ tenant: { equals: tenant } }, { agent: { equals: DESCRIPTION_AGENT } }] },
    depth: 0,
    limit: 1,
    overrideAccess: true,
  })
  const row = found.docs[0] as unknown as { enabled?: boolean | null; monthlyBudgetUsd?: number | null } | undefined
  return { enabled: row?.enabled !== false, monthlyBudgetUsd: row?.monthlyBudgetUsd ?? null }
}

/** product-content ids that have a description run queued, running or waiting for review. */
async function liveDescriptionRuns(payload: Payload, tenant: Id, contentIds: Id[]): Promise<Set<string>> {
  if (!contentIds.length) return new Set()
  const found = await payload.find({
    collection: 'agent-runs' as never,
    where: {
      and: [
        { tenant: { equals: tenant } },
        { agent: { equals: DESCRIPTION_AGENT } },
        { status: { in: LIVE_STATUSES } },
        { 'target.docId': { in: contentIds.map(String) } },
      ],
    },
    depth: 0,
    limit: 0,
    pagination: false,
    overrideAccess: true,
    select: { target: true } as never,
  })
  return new Set(found.docs.map((run) => String((run as unknown as { target?: { docId?: string } }).target?.docId)))
}

export const queueProductDescriptionsTool = defineTool({
  id: QUEUE_TOOL,
  description:
    "Starts product-description runs (each a proposal an editor reviews) for products of this shop that lack a description, as far as the shop's monthly budget for product-description allows. Skips products without a product-content document and products that already have a run queued or in review. Returns which were queued and which were skipped, with reasons.",
  input: z.object({
    productIds: z
      .array(z.string().min(1).describe('A Medusa product id from find-catalog-gaps'))
      .min(1)
      .max(50)
      .describe('Products lacking a description, most important first'),
    limit: z.number().int().min(1).max(50).describe('Queue at most this many runs (the audit’s limit)'),
  }),
  output: z.object({
    queued: z
      .array(z.object({ productId: z.string(), runId: z.string().describe('Id of the started run') }))
      .describe('Products a description run was started for'),
    skipped: z.array(z.object({ productId: z.string(), reason: z.string() })).describe('Products not queued, and why'),
    budget: z
      .object({
        monthlyBudgetUsd: z.number().nullable(),
        spentUsd: z.number(),
        averageRunUsd: z.number().nullable(),
        inFlight: z.number(),
      })
      .describe('The budget the decision was based on'),
  }),
  execute: async ({ productIds, limit }, ctx) => {
    const payload = payloadOf(ctx.services)
    const tenant = tenantRef(ctx.tenant)
    const ids = [...new Set(productIds)]
    const outcome: QueueOutcome = { queued: [], skipped: [] }
    const skip = (productId: string, reason: string) => outcome.skipped.push({ productId, reason })

    const settings = await descriptionSettings(payload, tenant)
    const budget: DescriptionBudget = {
      monthlyBudgetUsd: settings.monthlyBudgetUsd,
      ...(await agentCosts(payload, tenant, DESCRIPTION_AGENT)),
    }
    const content = await contentByProduct(payload, tenant, ids)
    const live = await liveDescriptionRuns(
      payload,
      tenant,
      [...content.values()].map((doc) => doc.id),
    )
    let slots = Math.min(limit, runsWithinBudget(budget))

    // Each product's outcome, reported in the order the products were given.
    const decided = new Map<string, { runId: string } | { reason: string }>()
    const candidates: { productId: string; contentId: Id }[] = []
    for (const productId of ids) {
      const doc = content.get(productId)
      if (!settings.enabled)
        decided.set(productId, { reason: 'product-description is disabled in this shop’s agent settings' })
      else if (!doc)
        decided.set(productId, { reason: 'no product-content document yet (the product sync has not created it)' })
      else if (live.has(String(doc.id)))
        decided.set(productId, { reason: 'a product-description run is already queued, running or waiting for review' })
      else candidates.push({ productId, contentId: doc.id })
    }
    // Started together (`startRuns`: one insert of rows, one of jobs), as many as the slots allow; a
    // refused or de-duplicated product leaves its slot to the next candidate in another round.
    let queued = 0
    for (let next = 0; next < candidates.length; ) {
      if (slots <= 0) {
        const reason =
          runsWithinBudget(budget) <= queued
            ? 'the monthly budget for product-description would be exceeded'
            : `the audit's limit of ${limit} runs is reached`
        for (const { productId } of candidates.slice(next)) decided.set(productId, { reason })
        break
      }
      const round = candidates.slice(next, next + slots)
      next += round.length
      const results = await startRuns(
        payload,
        round.map(({ productId, contentId }) => ({
          agent: DESCRIPTION_AGENT,
          input: { target: { collection: PRODUCT_CONTENT, id: contentId } },
          tenant,
          // The audit starts description runs on its own, as a schedule would.
          trigger: { kind: TRIGGER_KIND.schedule, detail: `catalog-audit run ${ctx.runId}` },
          dedupeKey: `${DESCRIPTION_AGENT}:${productId}`,
        })),
      )
      for (const [i, result] of results.entries()) {
        const { productId } = round[i]!
        // Refusals (budget spent, agent disabled) are the shop's state, not a failure of the audit.
        if ('refused' in result) decided.set(productId, { reason: result.refused.message })
        else if (result.deduplicated)
          decided.set(productId, { reason: 'a product-description run is already queued or running' })
        else {
          decided.set(productId, { runId: result.run.runId })
          queued++
          slots--
        }
      }
    }
    for (const productId of ids) {
      const decision = decided.get(productId)
      if (decision && 'runId' in decision) outcome.queued.push({ productId, runId: decision.runId })
      else if (decision) skip(productId, decision.reason)
    }
    recordQueueOutcome(ctx.runId, outcome)
    return { ...outcome, budget }
  },
})
