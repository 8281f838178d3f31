/** `POST /api/approvals/:id/approve` and `/reject`. */
import type { Endpoint, PayloadRequest } from 'payload'
import { z } from 'zod'
import { pluginConfigOf } from '../config.ts'
import { APPROVAL_STATUS, RUN_STATUS, TRIGGER_KIND } from '../constants.ts'
import { type Id, tenantRef } from '../documents.ts'
import { AgentsError } from '../errors.ts'
import { hostedAgent } from '../registry.ts'
import { startRun } from '../runs/start.ts'
import { enqueueApply } from '../store/apply-queue.ts'
import { decideApproval, reopenApproval } from '../store/approvals.ts'
import { findRunRow } from '../store/state.ts'
import { handle, readJson } from './http.ts'
import { enforceRateLimit } from './rate-limit.ts'
import { accessOf, expectedTenantField, inExpectedTenant, requireUser } from './tenant.ts'

interface ApprovalRow {
  id: Id
  status: string
  agent: string
  runId: string
  tenant: Id | { id: Id }
  expiresAt?: string | null
}

/** Optional in both bodies: the tenant the caller means; an approval of any other tenant is then "not found". */
const tenantField = expectedTenantField('approval')

const approveBody = z.object({ tenant: tenantField })

/**
 * The approval as the caller may see it (another tenant's is "not found", as is one outside `expectedTenant`
 * when given), and the caller's right to decide it.
 */
async function approvalFor(req: PayloadRequest, expectedTenant?: number | string): Promise<ApprovalRow> {
  requireUser(req)
  const id = String(req.routeParams?.id ?? '')
  const found = (await req.payload.findByID({
    collection: 'approvals' as never,
    id,
    depth: 0,
    overrideAccess: false,
    req,
    user: req.user,
    disableErrors: true,
  })) as unknown as ApprovalRow | null
  const approval = inExpectedTenant(found, 'approval', id, expectedTenant)
  const tenant = tenantRef(approval.tenant)
  if (!(await accessOf(pluginConfigOf(req.payload)).review({ req, tenant })))
    throw new AgentsError(403, 'Your role in this tenant cannot approve or reject agent proposals.')
  if (approval.status !== APPROVAL_STATUS.pending)
    throw new AgentsError(409, `This approval is already ${approval.status}.`)
  if (approval.expiresAt && new Date(approval.expiresAt) <= new Date())
    throw new AgentsError(409, 'This approval has expired; run the agent again for a fresh proposal.')
  return approval
}

async function decide(req: PayloadRequest, approval: ApprovalRow, status: 'approved' | 'rejected', feedback?: string) {
  const reviewer = req.user!.id
  const { onDecision } = pluginConfigOf(req.payload)
  const ok = await decideApproval(
    req.payload,
    { id: approval.id, status, reviewer, feedback },
    onDecision &&
      ((decided, query) => onDecision({ req, decision: { id: approval.id, status, reviewer, ...decided }, query })),
  )
  if (!ok) throw new AgentsError(409, 'This approval was decided by someone else a moment ago.')
}

export const approveEndpoint: Endpoint = {
  path: '/:id/approve',
  method: 'post',
  handler: handle(async (req) => {
    requireUser(req)
    await enforceRateLimit(req, { action: 'decide-approval' })
    const body = approveBody.safeParse(await readJson(req))
    if (!body.success)
      throw new AgentsError(400, 'Send JSON like {} or {"tenant": 3} (the tenant the approval must belong to)', {
        issues: body.error.issues,
      })
    const approval = await approvalFor(req, body.data.tenant)
    await decide(req, approval, 'approved')
    try {
      await enqueueApply(req.payload, approval.id)
    } catch (error) {
      // Undo the decision so the approval can be approved again once the queue is back.
      await reopenApproval(req.payload, approval.id)
      req.payload.logger.error({ err: error }, 'agents: could not queue an approved change')
      throw new AgentsError(503, 'The change could not be queued; nothing was applied. Try again in a moment.')
    }
    return Response.json({ id: approval.id, status: APPROVAL_STATUS.approved }, { status: 202 })
  }),
}

const rejectBody = z.object({
  feedback: z.string().trim().max(5000).optional().describe('What the agent should do differently'),
  rerun: z.boolean().optional().describe('Run the agent again with the feedback'),
  tenant: tenantField,
})

export const rejectEndpoint: Endpoint = {
  path: '/:id/reject',
  method: 'post',
  handler: handle(async (req) => {
    requireUser(req)
    await enforceRateLimit(req, { action: 'decide-approval' })
    const body = rejectBody.safeParse(await readJson(req))
    if (!body.success)
      throw new AgentsError(400, 'Send JSON like {"feedback": "…", "rerun": true}', { issues: body.error.issues })
    const approval = await approvalFor(req, body.data.tenant)
    const { feedback, rerun } = body.data
    const hosted = hostedAgent(req.payload, approval.agent)
    // Refuse a re-run the agent cannot take before deciding anything.
    const takesFeedback = Boolean(
      (hosted?.agent.input as { shape?: Record<string, unknown> } | undefined)?.shape?.feedback,
    )
    if (rerun && !takesFeedback)
      throw new AgentsError(
        400,
        `The agent "${approval.agent}" does not take feedback, so it cannot be re-run with it.`,
      )
    if (rerun && !feedback) throw new AgentsError(400, 'Say what to change: a re-run needs feedback.')

    await decide(req, approval, 'rejected', feedback)
    const run = await findRunRow(req.payload, approval.runId)
    if (run)
      await req.payload.update({
        collection: 'agent-runs' as never,
        id: run.id,
        data: { status: RUN_STATUS.rejected } as never,
        overrideAccess: true,
      })
    let rerunRow: { id: Id; runId: string } | undefined
    if (rerun && run) {
      const started = await startRun(req.payload, {
        agent: approval.agent,
        input: { ...(run.input as Record<string, unknown>), feedback },
        tenant: tenantRef(approval.tenant),
        trigger: { kind: TRIGGER_KIND.rerun, user: req.user!.id, detail: `after rejected approval ${approval.id}` },
        feedback,
        previousRun: run.id,
      })
      rerunRow = { id: started.run.id, runId: started.run.runId }
    }
    return Response.json(
      { id: approval.id, status: APPROVAL_STATUS.rejected, rerun: rerunRow ?? null },
      { status: rerun ? 202 : 200 },
    )
  }),
}
