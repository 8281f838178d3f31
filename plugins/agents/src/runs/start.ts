/**
 * Starting runs: the one path the run endpoint, collection triggers and re-runs after feedback take.
 * Everything is checked before anything is written; a run row exists only for a run that is queued.
 */
import { randomUUID } from 'node:crypto'
import { AgentInputError, parseAgentInput, UnknownAgentError } from '@bizosaas/agents'
import type { Payload, PayloadRequest } from 'payload'
import { pluginConfigOf } from '../config.ts'
import { RUN_STATUS, type TRIGGER_KIND } from '../constants.ts'
import { AgentsError } from '../errors.ts'
import { agentRegistry, hostedAgent } from '../registry.ts'
import { agentQueueOf } from '../store/queue.ts'
import { loadSettings } from '../store/settings.ts'
import { findRunRow, type RunRow } from '../store/state.ts'
import type { Id } from '../types.ts'
import { refuseOverBudget } from './budget.ts'

export interface StartRunArgs {
  agent: string
  input: unknown
  tenant: Id
  trigger: { kind: (typeof TRIGGER_KIND)[keyof typeof TRIGGER_KIND]; user?: Id; detail?: string }
  dedupeKey?: string
  feedback?: string
  previousRun?: Id
  /** When given, the target document must be readable by this request's user. */
  req?: PayloadRequest
}

export interface StartedRun {
  run: RunRow
  deduplicated: boolean
}

export async function startRun(payload: Payload, args: StartRunArgs): Promise<StartedRun> {
  const config = pluginConfigOf(payload)
  const hosted = hostedAgent(payload, args.agent)
  if (!hosted) {
    const known = agentRegistry(payload).slugs()
    throw new AgentsError(404, `Unknown agent "${args.agent}". Agents: ${known.join(', ') || '(none)'}`)
  }
  const settings = await loadSettings(payload, args.tenant, args.agent)
  if (settings?.enabled === false)
    throw new AgentsError(
      409,
      `The agent "${args.agent}" is disabled for this tenant. Enable it in its agent settings.`,
    )

  let input: Record<string, unknown>
  try {
    input = parseAgentInput(hosted.agent, args.input) as Record<string, unknown>
  } catch (error) {
    if (error instanceof AgentInputError)
      throw new AgentsError(400, error.message, {
        issues: error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })),
      })
    throw error
  }
  const target = await checkTarget(payload, hosted.targets, input, args)

  await refuseOverBudget(payload, args.tenant, args.agent, settings)

  const runId = randomUUID()
  const row = (await payload.create({
    collection: 'agent-runs' as never,
    data: {
      runId,
      agent: args.agent,
      tenant: args.tenant,
      status: RUN_STATUS.queued,
      input,
      trigger: args.trigger,
      target: target ? { collection: target.collection, docId: String(target.id) } : {},
      feedback: args.feedback,
      previousRun: args.previousRun,
    } as never,
    depth: 0,
    overrideAccess: true,
  })) as unknown as RunRow

  try {
    const queued = await agentQueueOf(payload, config).enqueueRun(args.agent, input, {
      runId,
      tenant: String(args.tenant),
      dedupeKey: args.dedupeKey,
    })
    if (queued.deduplicated) {
      await payload.delete({ collection: 'agent-runs' as never, id: row.id, overrideAccess: true })
      const live = await findRunRow(payload, queued.runId)
      if (live) return { run: live, deduplicated: true }
    }
    return { run: row, deduplicated: false }
  } catch (error) {
    // Never leave a run row that no job will ever pick up.
    await payload.delete({ collection: 'agent-runs' as never, id: row.id, overrideAccess: true }).catch(() => {})
    if (error instanceof UnknownAgentError) throw new AgentsError(404, error.message)
    throw error
  }
}

/** Checks `input.target` of agents that work on documents: an allowed collection, a document of this tenant. */
async function checkTarget(
  payload: Payload,
  targets: readonly string[] | undefined,
  input: Record<string, unknown>,
  args: StartRunArgs,
): Promise<{ collection: string; id: Id } | undefined> {
  const target = input.target as { collection?: string; id?: Id } | undefined
  if (!target || typeof target !== 'object' || target.id == null || !target.collection) return undefined
  if (targets && !targets.includes(target.collection))
    throw new AgentsError(400, `The agent "${args.agent}" works on ${targets.join(', ')}, not ${target.collection}`)
  const found = await payload.find({
    collection: target.collection as never,
    where: { and: [{ id: { equals: target.id } }, { tenant: { equals: args.tenant } }] },
    limit: 1,
    depth: 0,
    draft: true,
    pagination: false,
    overrideAccess: !args.req,
    ...(args.req ? { req: args.req, user: args.req.user } : {}),
  })
  if (!found.docs.length) throw new AgentsError(404, `No ${target.collection} document ${target.id} in this tenant`)
  return { collection: target.collection, id: target.id }
}
