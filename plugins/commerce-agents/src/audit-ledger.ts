/**
 * What the catalog audit's tools found and did in a run, so its report can be checked against them:
 * the model writes the summary, but every product id in the report must come from the tools. Kept in
 * memory for the run; a run resumed in another process reads the tool calls the agents plugin recorded.
 */
import { recordedToolOutputs } from '@bizosaas/plugin-agents'
import type { Payload } from 'payload'
import type { ProductGap } from './catalog.ts'

export interface QueueOutcome {
  queued: { productId: string; runId: string }[]
  skipped: { productId: string; reason: string }[]
}

export interface AuditRecord {
  gaps?: ProductGap[]
  queued: Map<string, string>
  skipped: Map<string, string>
}

export const FIND_GAPS_TOOL = 'find-catalog-gaps'
export const QUEUE_TOOL = 'queue-product-descriptions'

/** Records older than this belong to runs that are long over. */
const KEEP_MS = 6 * 60 * 60 * 1000
const records = new Map<string, AuditRecord & { at: number }>()

function recordOf(runId: string) {
  const now = Date.now()
  for (const [id, record] of records) if (now - record.at > KEEP_MS) records.delete(id)
  let record = records.get(runId)
  if (!record) {
    record = { queued: new Map(), skipped: new Map(), at: now }
    records.set(runId, record)
  }
  return record
}

function addOutcome(record: AuditRecord, outcome: QueueOutcome) {
  for (const { productId, runId } of outcome.queued) {
    record.queued.set(productId, runId)
    record.skipped.delete(productId)
  }
  // A product queued by an earlier call of this run stays queued, not skipped.
  for (const { productId, reason } of outcome.skipped)
    if (!record.queued.has(productId)) record.skipped.set(productId, reason)
}

export function recordGaps(runId: string, gaps: ProductGap[]) {
  recordOf(runId).gaps = gaps
}

export function recordQueueOutcome(runId: string, outcome: QueueOutcome) {
  addOutcome(recordOf(runId), outcome)
}

/** The tools' results of an audit run: this process's record, else the tool calls the agents plugin stored. */
export async function auditRecord(payload: Payload, runId: string): Promise<AuditRecord | undefined> {
  const kept = records.get(runId)
  if (kept) return kept
  const calls = await recordedToolOutputs(payload, runId)
  if (!calls.length) return undefined
  const record: AuditRecord = { queued: new Map(), skipped: new Map() }
  for (const call of calls) {
    if (call.tool === FIND_GAPS_TOOL) record.gaps = (call.output as { gaps: ProductGap[] }).gaps
    if (call.tool === QUEUE_TOOL) addOutcome(record, call.output as QueueOutcome)
  }
  return record
}

export function forgetAudit(runId: string) {
  records.delete(runId)
}
