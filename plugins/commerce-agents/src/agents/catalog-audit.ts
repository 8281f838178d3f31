import { defineAgent } from '@bizosaas/agents'
import { type PayloadAgent, payloadOf } from '@bizosaas/plugin-agents'
import { z } from 'zod'
import { type AuditRecord, auditRecord, FIND_GAPS_TOOL, forgetAudit, QUEUE_TOOL } from '../audit-ledger.ts'
import { AUDIT_LIMIT_DEFAULT, CATALOG_AUDIT_CRON, CATALOG_GAPS, DESCRIPTION_MIN_CHARS } from '../constants.ts'
import { DEFAULT_MODELS } from '../defaults.ts'
import { createFindCatalogGapsTool } from '../tools/find-catalog-gaps.ts'
import { queueProductDescriptionsTool } from '../tools/queue-product-descriptions.ts'
import type { CommerceAgentOptions } from '../types.ts'

export const catalogAuditInput = z.object({
  limit: z
    .number()
    .int()
    .min(1)
    .max(50)
    .default(AUDIT_LIMIT_DEFAULT)
    .describe('At most this many product-description runs to queue'),
})

export const catalogAuditOutput = z.object({
  summary: z
    .string()
    .trim()
    .min(20)
    .max(2000)
    .describe('A short report for the shop owner: how many products lack what, what was queued, what was not and why'),
  gaps: z
    .array(
      z.object({
        productId: z.string().describe('Medusa product id, from find-catalog-gaps'),
        title: z.string().describe('Product title, from find-catalog-gaps'),
        missing: z.array(z.enum(CATALOG_GAPS)).describe('What it lacks, from find-catalog-gaps'),
      }),
    )
    .describe('Every product find-catalog-gaps returned, exactly as returned'),
  queued: z.array(z.string()).describe('Product ids queue-product-descriptions queued (empty if not called)'),
  skipped: z
    .array(z.object({ productId: z.string(), reason: z.string() }))
    .describe('Products queue-product-descriptions skipped, with its reasons'),
})

export type CatalogAuditReport = z.output<typeof catalogAuditOutput>

const instructions = (input: { limit: number }) => `You audit an online shop's catalog once a week.
1. Call ${FIND_GAPS_TOOL} once. A description under ${DESCRIPTION_MIN_CHARS} characters counts as missing.
2. If products lack a description and have a productContentId, call ${QUEUE_TOOL} once with their product ids (most visible first) and limit ${input.limit}. It starts product-description runs within the shop's budget; editors review each proposal.
3. Answer with JSON:
   - gaps: every product ${FIND_GAPS_TOOL} returned, copied exactly (productId, title, missing).
   - queued: the productIds ${QUEUE_TOOL} returned as queued ([] if you did not call it).
   - skipped: the skipped entries ${QUEUE_TOOL} returned, reasons copied ([] if you did not call it).
   - summary: 2 to 5 plain sentences for the shop owner: how many products lack a description, images or SEO, how many descriptions were queued, and why others were not (e.g. budget). Images and SEO need an editor; say so.
Never add, drop or change a product id or number: the report is checked against the tools' results.`

/** Why a report disagrees with the tools' results; undefined when it matches them. */
export function reportMismatch(report: CatalogAuditReport, record: AuditRecord | undefined): string | undefined {
  if (!record?.gaps) return `the audit did not call ${FIND_GAPS_TOOL}, so its report has no source`
  const key = (gap: { productId: string; title: string; missing: readonly string[] }) =>
    JSON.stringify([gap.productId, gap.title, [...gap.missing].sort()])
  const listed = new Set(report.gaps.map(key))
  const found = new Set(record.gaps.map(key))
  const wrongGaps = [...listed].filter((k) => !found.has(k)).length + [...found].filter((k) => !listed.has(k)).length
  if (wrongGaps || listed.size !== report.gaps.length)
    return `its gaps list differs from what ${FIND_GAPS_TOOL} found (${record.gaps.length} products)`
  const sameIds = (a: readonly string[], b: Iterable<string>) => {
    const set = new Set(b)
    return a.length === set.size && new Set(a).size === a.length && a.every((id) => set.has(id))
  }
  if (!sameIds(report.queued, record.queued.keys()))
    return `its queued list differs from what ${QUEUE_TOOL} queued (${record.queued.size} runs)`
  if (
    !sameIds(
      report.skipped.map((s) => s.productId),
      record.skipped.keys(),
    )
  )
    return `its skipped list differs from what ${QUEUE_TOOL} skipped (${record.skipped.size} products)`
  return undefined
}

/**
 * The `catalog-audit` agent: finds products lacking a description, images or SEO, queues
 * product-description runs within budget, and reports. No approval: its only effect (the queued runs,
 * each reviewed on its own) happens in a tool; `apply` checks the report against the tools' results.
 */
export function createCatalogAuditAgent(options: CommerceAgentOptions = {}) {
  return defineAgent({
    slug: 'catalog-audit',
    description: 'Finds products missing descriptions, images or SEO and queues product descriptions within budget',
    input: catalogAuditInput,
    output: catalogAuditOutput,
    instructions,
    prompt: (input) =>
      `Audit this shop's catalog now. Queue at most ${input.limit} product descriptions (pass limit ${input.limit}).`,
    tools: [createFindCatalogGapsTool(options), queueProductDescriptionsTool],
    model: options.models ?? DEFAULT_MODELS,
    approval: false,
    maxSteps: 6,
    /** Fails the run when its report names products or runs the tools did not return. */
    apply: async (report, ctx) => {
      const record = await auditRecord(payloadOf(ctx.services), ctx.runId)
      const mismatch = reportMismatch(report, record)
      if (mismatch) throw new Error(`The audit report does not match its tools' results: ${mismatch}`)
      if (report.queued.length > ctx.input.limit)
        throw new Error(`The audit queued ${report.queued.length} runs, more than its limit of ${ctx.input.limit}`)
      forgetAudit(ctx.runId)
      return { gaps: report.gaps.length, queued: report.queued.length, skipped: report.skipped.length }
    },
  })
}

export const catalogAuditAgent = createCatalogAuditAgent()

/** `catalog-audit` hosted in Payload: a weekly run per tenant (the tenant's schedule setting overrides the cron). */
export function catalogAuditPayloadAgent(
  options: CommerceAgentOptions = {},
): PayloadAgent<ReturnType<typeof createCatalogAuditAgent>> {
  return {
    agent: createCatalogAuditAgent(options),
    label: 'Catalog audit',
    schedule: {
      input: () => ({ limit: AUDIT_LIMIT_DEFAULT }),
      defaultCron: CATALOG_AUDIT_CRON,
      description: 'Weekly: finds products lacking descriptions, images or SEO and queues descriptions within budget',
    },
  }
}
