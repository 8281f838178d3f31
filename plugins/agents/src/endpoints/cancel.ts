/** `POST /api/agent-runs/:id/cancel`: stops a queued or running run. */
import { queueName } from '@bizosaas/agents/queue'
import type { Endpoint, PayloadRequest } from 'payload'
import { z } from 'zod'
import { pluginConfigOf } from '../config.ts'
import { RUN_STATUS } from '../constants.ts'
import { tenantRef } from '../documents.ts'
import { AgentsError } from '../errors.ts'
import { agentQueueOf } from '../store/queue.ts'
import { cancelRunRow } from '../store/runs.ts'
import type { RunRow } from '../store/state.ts'
import { handle, readJson } from './http.ts'
import { accessOf, expectedTenantField, inExpectedTenant, requireUser } from './tenant.ts'

const cancelBody = z.object({
  reason: z.string().trim().min(1).max(500).optional().describe('Why the run was cancelled (shown on the run)'),
  tenant: expectedTenantField('run'),
})

/** Job states in which pg-boss may still start (or retry) a run. */
const LIVE_JOB_STATES = new Set(['created', 'retry', 'active'])

const finishedMessage = (status: string) =>
  status === RUN_STATUS.awaitingApproval
    ? 'This run is waiting for approval; reject its approval instead of cancelling it.'
    : `This run already ended (${status}); there is nothing to cancel.`

/**
 * A queued run's job is cancelled in pg-boss and the run marked `cancelled`; a running run is marked
 * `cancelled` and its worker stops at the next step boundary (see execute.ts), applying nothing more.
 */
export const cancelRunEndpoint: Endpoint = {
  path: '/:id/cancel',
  method: 'post',
  handler: handle(async (req) => {
    requireUser(req)
    const body = cancelBody.safeParse((await readJson(req)) ?? {})
    if (!body.success)
      throw new AgentsError(400, 'Send JSON like {"reason": "…", "tenant": 3} (both optional) or no body', {
        issues: body.error.issues,
      })
    const run = await visibleRun(req, body.data.tenant)
    const tenant = tenantRef(run.tenant)
    if (!(await accessOf(pluginConfigOf(req.payload)).run({ req, tenant })))
      throw new AgentsError(403, 'Your role in this tenant cannot cancel agent runs.')
    if (run.status !== RUN_STATUS.queued && run.status !== RUN_STATUS.running)
      throw new AgentsError(409, finishedMessage(run.status), { status: run.status })

    const who = (req.user as { email?: string } | null)?.email ?? `user ${req.user!.id}`
    const message = body.data.reason ? `Cancelled by ${who}: ${body.data.reason}` : `Cancelled by ${who}`
    const result = await cancelRunRow(req.payload, run.id, message)
    if (!result.cancelled)
      // It moved on between the read and the update (started is fine; finished is not).
      throw new AgentsError(409, finishedMessage(result.status ?? 'deleted'), { status: result.status ?? null })
    // No job may start or retry it now; a job already running sees the row and stops.
    const jobs = await cancelJobs(req, run)
    return Response.json({ id: run.id, runId: run.runId, status: RUN_STATUS.cancelled, was: run.status, jobs })
  }),
}

/** The run as the caller may see it; another tenant's, or one outside `expectedTenant` when given, is "not found". */
async function visibleRun(req: PayloadRequest, expectedTenant?: number | string): Promise<RunRow> {
  const id = String(req.routeParams?.id ?? '')
  // Visibility is the caller's: another tenant's run is "not found".
  const run = (await req.payload.findByID({
    collection: 'agent-runs' as never,
    id,
    depth: 0,
    overrideAccess: false,
    req,
    user: req.user,
    disableErrors: true,
  })) as unknown as RunRow | null
  return inExpectedTenant(run, 'agent run', id, expectedTenant)
}

/** Cancels the pg-boss jobs of the run that could still start it; the number cancelled. */
async function cancelJobs(req: PayloadRequest, run: RunRow): Promise<number> {
  const queue = agentQueueOf(req.payload, pluginConfigOf(req.payload))
  try {
    await queue.start()
    const name = queueName(run.agent)
    const jobs = await queue.boss.findJobs<{ runId?: string }>(name, { data: { runId: run.runId } })
    const live = jobs.filter((job) => LIVE_JOB_STATES.has(job.state)).map((job) => job.id)
    if (live.length) await queue.boss.cancel(name, live)
    return live.length
  } catch (error) {
    // The row is cancelled either way: a job that still starts sees it and ends at once.
    req.payload.logger.warn({ err: error, runId: run.runId }, 'agents: could not cancel the job of a cancelled run')
    return 0
  }
}
