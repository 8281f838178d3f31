/**
 * Approval decisions. The agents plugin decides an approval with one conditional UPDATE of its own (no
 * Payload hook runs) and hands this recorder the decision inside that UPDATE's transaction (its
 * `onDecision` option): the entry commits with the decision or not at all.
 */
import type { PayloadRequest } from 'payload'
import { AUDIT_ACTIONS } from '../constants.ts'
import { auditLogConfigOf } from '../defaults.ts'
import { rowsFor } from '../record.ts'
import { insertEntries } from '../sql.ts'

/** The decision as the agents plugin passes it (structurally its `ApprovalDecisionHook` arguments). */
export interface DecisionToRecord {
  req: PayloadRequest
  decision: { id: number | string; tenant: number | string; agent: string; status: 'approved' | 'rejected' }
  query: (text: string, values?: unknown[]) => Promise<unknown>
}

interface DialectLike {
  sqlToQuery(sql: unknown): { sql: string; params: unknown[] }
}

/** Give this to `agentsPlugin({ onDecision })`: one entry per decision, in the decision's transaction. */
export async function recordApprovalDecision({ req, decision, query }: DecisionToRecord): Promise<void> {
  const config = auditLogConfigOf(req.payload)
  if (!config.enabled) return
  const rows = rowsFor(
    req,
    [
      {
        action: decision.status === 'approved' ? AUDIT_ACTIONS.approvalApproved : AUDIT_ACTIONS.approvalRejected,
        collection: config.approvalsCollection,
        documentId: decision.id,
        tenant: decision.tenant,
        changedFields: ['status'],
        details: { agent: decision.agent },
      },
    ],
    config,
  )
  const dialect = (req.payload.db as unknown as { drizzle?: { dialect?: DialectLike } }).drizzle?.dialect
  if (!dialect) throw new Error('@bizosaas/plugin-audit-log needs @payloadcms/db-postgres')
  const { sql, params } = dialect.sqlToQuery(insertEntries(rows))
  await query(sql, params)
}
