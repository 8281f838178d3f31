/** Pending approvals whose time ran out: closed, and their runs (still awaiting approval) cancelled. */
import type { Payload } from 'payload'
import { cancelExpiredRuns, expireApprovals } from '../store/approvals.ts'

/** Expires what is due now; errors are logged (the next tick tries again). */
export async function expireApprovalsNow(payload: Payload): Promise<void> {
  try {
    const expired = await expireApprovals(payload)
    if (expired.length) await cancelExpiredRuns(payload, expired)
  } catch (error) {
    payload.logger.error({ err: error }, 'agents: expiring approvals failed')
  }
}
