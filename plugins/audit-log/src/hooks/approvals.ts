/**
 * Approval decisions. The agents plugin decides an approval in its `approve`/`reject` endpoints with one
 * conditional UPDATE of its own (no Payload hook runs), so the decision is recorded around those
 * endpoints: after a 2xx, one entry names the approval, its tenant and the decision.
 */
import type { Endpoint, PayloadHandler } from 'payload'
import { AUDIT_ACTIONS } from '../constants.ts'
import { writeEntries } from '../record.ts'
import { idOf } from './changes.ts'

const DECISIONS: Record<string, string> = {
  approved: AUDIT_ACTIONS.approvalApproved,
  rejected: AUDIT_ACTIONS.approvalRejected,
}

/** Wraps the approvals collection's `/:id/approve` and `/:id/reject` endpoints. */
export function recordDecisions(
  endpoints: Endpoint[] | false | undefined,
  collection: string,
): Endpoint[] | false | undefined {
  if (!endpoints) return endpoints
  return endpoints.map((endpoint) =>
    /\/(approve|reject)$/.test(endpoint.path) && endpoint.method === 'post'
      ? { ...endpoint, handler: decided(endpoint.handler, collection) }
      : endpoint,
  )
}

const decided =
  (handler: PayloadHandler, collection: string): PayloadHandler =>
  async (req) => {
    const res = await handler(req)
    if (!res.ok) return res
    try {
      const body = (await res.clone().json()) as {
        id?: number | string
        status?: string
        rerun?: { runId?: string } | null
      }
      const action = body.status ? DECISIONS[body.status] : undefined
      if (action && body.id !== undefined) {
        const approval = (await req.payload.findByID({
          collection: collection as never,
          id: body.id,
          depth: 0,
          overrideAccess: true,
          disableErrors: true,
          select: { tenant: true, agent: true } as never,
        })) as { tenant?: unknown; agent?: string } | null
        await writeEntries(req.payload, req, [
          {
            action,
            collection,
            documentId: body.id,
            tenant: idOf(approval?.tenant) ?? null,
            changedFields: ['status'],
            details: { agent: approval?.agent ?? null, rerun: body.rerun?.runId ?? null },
          },
        ])
      }
    } catch (error) {
      req.payload.logger.error({ err: error }, 'audit-log: could not record an approval decision')
    }
    return res
  }
