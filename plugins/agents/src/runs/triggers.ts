/** Collection triggers: a document saved in a watched collection starts an agent run after the save commits. */
import type { CollectionAfterChangeHook, PayloadRequest } from 'payload'
import { agentWriting } from '../agent-writes.ts'
import { pluginConfigOf } from '../config.ts'
import { TRIGGER_KIND } from '../constants.ts'
import { idOf } from '../documents.ts'
import type { AgentTrigger, PayloadAgent } from '../types.ts'
import { type StartRunArgs, startRuns } from './start.ts'

/**
 * An afterChange hook that enqueues `hosted`'s agent when `trigger.when` says so. Saving a document
 * never fails because of an agent: refusals (disabled, over budget) and errors are logged.
 */
export function triggerHook(hosted: PayloadAgent, trigger: AgentTrigger): CollectionAfterChangeHook {
  return async ({ doc, previousDoc, operation, req, collection }) => {
    const config = pluginConfigOf(req.payload)
    if (!config.enabled || (operation !== 'create' && operation !== 'update')) return doc
    // Writes made by agents themselves (context flag, or inside a run or an apply) do not trigger agents again.
    if (req.context?.agentsApplying || agentWriting()) return doc
    if (!(await trigger.when({ doc, previousDoc, operation, req }))) return doc
    const tenant = idOf(doc.tenant)
    if (tenant === undefined) return doc
    const args = {
      agent: hosted.agent.slug,
      input: await trigger.input({ doc, req }),
      tenant,
      trigger: { kind: TRIGGER_KIND.hook, user: req.user?.id, detail: `${collection.slug} ${operation}` },
      dedupeKey: trigger.dedupeKey?.({ doc }) ?? `${collection.slug}:${doc.id}`,
    }
    // The hook runs inside the save's transaction: a worker must not see the run before the document.
    // Every run a request's saves trigger (a bulk update: one per document) starts in one `startRuns`.
    startAfterCommit(req, args)
    return doc
  }
}

/** Runs waiting for their request's transaction to end, per request. */
const waiting = new WeakMap<PayloadRequest, StartRunArgs[]>()

function startAfterCommit(req: PayloadRequest, args: StartRunArgs): void {
  const batch = waiting.get(req)
  if (batch) {
    batch.push(args)
    return
  }
  const runs = [args]
  waiting.set(req, runs)
  void afterCommit(req).then(async (committed) => {
    waiting.delete(req)
    if (!committed) return
    try {
      const results = await startRuns(req.payload, runs)
      for (const [i, result] of results.entries())
        if ('refused' in result)
          req.payload.logger.warn(
            { err: result.refused, agent: runs[i]!.agent, detail: runs[i]!.trigger.detail },
            'agents: trigger did not start a run',
          )
    } catch (error) {
      req.payload.logger.warn({ err: error, runs: runs.length }, 'agents: triggers did not start their runs')
    }
  })
}

/**
 * Resolves once the request's transaction is over (Payload deletes `req.transactionID` on commit and
 * on rollback); false when it is still open after `timeoutMs`.
 */
async function afterCommit(req: PayloadRequest, timeoutMs = 60_000): Promise<boolean> {
  const deadline = Date.now() + timeoutMs
  while (req.transactionID) {
    if (Date.now() > deadline) {
      req.payload.logger.warn('agents: a trigger gave up waiting for its transaction to end')
      return false
    }
    await new Promise((r) => setTimeout(r, 20))
  }
  return true
}
