/**
 * Dead letters → run rows: a run whose job reached its agent's dead-letter queue (a run error no retry
 * fixes, its last retry, pg-boss's expiry, a worker that kept dying) is marked `failed` with the reason,
 * so its row never stays `queued` or `running` behind a dead job. The admin's run view and the portal
 * show the reason; the portal's Retry (and a new run from the admin) starts it again.
 */
import type { DeadLetter } from '@bizosaas/agents/queue'
import type { Payload } from 'payload'
import { failDeadLetteredRuns } from '../store/runs.ts'

/** The `onDeadLetter` handler of this Payload process's workers. Idempotent: a run already final is left alone. */
export function recordDeadLetters(payload: Payload): (letters: DeadLetter[]) => Promise<void> {
  return async (letters) => {
    const failed = await failDeadLetteredRuns(
      payload,
      letters.map((letter) => ({ runId: letter.runId, error: letter.reason })),
    )
    if (failed.length)
      payload.logger.warn(
        { runs: failed, reasons: [...new Set(letters.map((l) => l.reason.code))] },
        `agents: ${failed.length} dead-lettered run(s) marked failed`,
      )
  }
}
