import { defineTool } from '@bizosaas/agents'
import { AgentsError, type Id, payloadOf, RUN_STATUS, startRun, TRIGGER_KIND, tenantRef } from '@bizosaas/plugin-agents'
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

    for (const productId of ids) {
      const doc = content.get(productId)
      if (!settings.enabled) skip(productId, 'product-description is disabled in this shop’s agent settings')
      else if (!doc) skip(productId, 'no product-content document yet (the product sync has not created it)')
      else if (live.has(String(doc.id)))
        skip(productId, 'a product-description run is already queued, running or waiting for review')
      else if (slots <= 0)
        skip(
          productId,
          runsWithinBudget(budget) <= outcome.queued.length
            ? 'the monthly budget for product-description would be exceeded'
            : `the audit's limit of ${limit} runs is reached`,
        )
      else {
        try {
          const started = await startRun(payload, {
            agent: DESCRIPTION_AGENT,
            input: { target: { collection: PRODUCT_CONTENT, id: doc.id } },
            tenant,
            // The audit starts description runs on its own, as a schedule would.
            trigger: { kind: TRIGGER_KIND.schedule, detail: `catalog-audit run ${ctx.runId}` },
            dedupeKey: `${DESCRIPTION_AGENT}:${productId}`,
          })
          if (started.deduplicated) skip(productId, 'a product-description run is already queued or running')
          else {
            outcome.queued.push({ productId, runId: started.run.runId })
            slots--
          }
        } catch (error) {
          // Refusals (budget spent, agent disabled) are the shop's state, not a failure of the audit.
          if (!(error instanceof AgentsError)) throw error
          skip(productId, error.message)
        }
      }
    }
    recordQueueOutcome(ctx.runId, outcome)
    return { ...outcome, budget }
  },
})
