/**
 * The social agents' approval rule: a person approves a post exactly once. If a person already approved
 * the run (the tenant's policy for the agent is "always ask"), or the tenant chose "never ask", the post
 * is created `scheduled` (a `draft` without a time to publish at). Otherwise — the default — the run is
 * not held for an agent approval, and the post is created `awaiting-approval`, to be approved in the
 * portal's calendar with the post's own approve step (which validates again and enqueues the publish).
 */
import { APPROVAL_STATUS, type Id, idOf, loadSettings } from '@bizosaas/plugin-agents'
import type { Payload } from 'payload'

export type CreatedStatus = 'draft' | 'awaiting-approval' | 'scheduled'

export interface PostDecision {
  status: CreatedStatus
  /** The person who approved the run (their user document), recorded as the post's approver. */
  approvedBy?: Record<string, unknown> & { id: Id }
  /** Why, in words, for the run's result. */
  reason: string
}

/** The reviewer who approved run `runId`, if a person did. */
export async function runApprover(payload: Payload, runId: string): Promise<Id | undefined> {
  const found = await payload.find({
    collection: 'approvals' as never,
    // `applied` once its apply ran: a retried apply still sees who approved.
    where: {
      and: [{ runId: { equals: runId } }, { status: { in: [APPROVAL_STATUS.approved, APPROVAL_STATUS.applied] } }],
    },
    depth: 0,
    limit: 1,
    overrideAccess: true,
  })
  const approval = found.docs[0] as { reviewer?: unknown } | undefined
  return approval ? (idOf(approval.reviewer) ?? 'unknown') : undefined
}

/** The status a post made by `agent`'s run `runId` is created in, under the tenant's policy. */
export async function decidePostStatus(
  payload: Payload,
  args: { tenant: Id; agent: string; runId: string; scheduled: boolean },
): Promise<PostDecision> {
  const approver = await runApprover(payload, args.runId)
  const policy = (await loadSettings(payload, args.tenant, args.agent))?.approvalPolicy ?? 'default'
  const approved = approver !== undefined
  if (!approved && policy !== 'never')
    return { status: 'awaiting-approval', reason: 'waits for a person to approve it in the calendar' }
  const why = approved ? 'a person approved the run' : 'the tenant’s policy is to never ask'
  if (!args.scheduled) return { status: 'draft', reason: `${why}, but it has no time to publish at` }
  const user =
    approved && approver !== 'unknown'
      ? ((await payload.findByID({
          collection: 'users' as never,
          id: approver,
          depth: 0,
          overrideAccess: true,
          disableErrors: true,
        })) as PostDecision['approvedBy'] | null)
      : null
  return { status: 'scheduled', ...(user ? { approvedBy: { ...user, collection: 'users' } } : {}), reason: why }
}
