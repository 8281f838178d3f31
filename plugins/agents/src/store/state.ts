/** A run as its rows hold it: the row type, finding a run by its runtime id, and rebuilding its state. */
import { emptyUsage, type Message, type RunState, type RunUsage, stateFromSteps } from '@bizosaas/agents'
import type { Payload } from 'payload'
import { RUN_STATUS } from '../constants.ts'
import { type Id, idOf } from '../documents.ts'

export interface RunRow {
  id: Id
  runId: string
  agent: string
  status: string
  tenant: Id | { id: Id }
  input?: unknown
  output?: unknown
  usage?: RunUsage | null
  error?: RunState['error'] | null
  model?: string | null
  feedback?: string | null
  target?: { collection?: string | null; docId?: string | null } | null
  trigger?: { kind?: string | null; user?: Id | { id: Id } | null; detail?: string | null } | null
  previousRun?: Id | { id: Id } | null
  attempt?: number | null
  updatedAt?: string
  startedAt?: string | null
  finishedAt?: string | null
  appliedAt?: string | null
  createdAt: string
}

export async function findRunRow(payload: Payload, runId: string): Promise<RunRow | undefined> {
  const found = await payload.find({
    collection: 'agent-runs' as never,
    where: { runId: { equals: runId } },
    limit: 1,
    depth: 0,
    pagination: false,
    overrideAccess: true,
  })
  return found.docs[0] as unknown as RunRow | undefined
}

/** The rows of these runs (any order; missing ones are left out). */
export async function findRunRows(payload: Payload, runIds: readonly string[]): Promise<RunRow[]> {
  if (!runIds.length) return []
  const found = await payload.find({
    collection: 'agent-runs' as never,
    where: { runId: { in: runIds } },
    limit: 0,
    depth: 0,
    pagination: false,
    overrideAccess: true,
  })
  return found.docs as unknown as RunRow[]
}

/**
 * Rebuilds the runtime's state of a run from its rows (the run plus its `step` rows), so any process
 * can resume it after a crash or apply it after approval.
 */
export async function loadRunState(payload: Payload, runId: string): Promise<RunState | undefined> {
  const row = await findRunRow(payload, runId)
  if (!row) return undefined
  const steps = await payload.find({
    collection: 'agent-steps' as never,
    where: { and: [{ runId: { equals: runId } }, { kind: { equals: 'step' } }] },
    sort: 'seq',
    limit: 0,
    depth: 0,
    pagination: false,
    overrideAccess: true,
  })
  const stepMessages = steps.docs.map((doc) => {
    const data = (doc as unknown as { data: { step: number; messages: Message[] } }).data
    return { step: data.step, messages: data.messages }
  })
  const status = row.status === RUN_STATUS.queued ? RUN_STATUS.running : row.status
  return stateFromSteps(
    {
      runId,
      agent: row.agent,
      tenant: String(idOf(row.tenant)),
      status: status as RunState['status'],
      input: row.input,
      steps: stepMessages.filter((s) => s.step > 0).length,
      repaired: false,
      usage: row.usage ?? emptyUsage(),
      output: row.output ?? undefined,
      outputModel: row.model ?? undefined,
      error: row.error ?? undefined,
      appliedAt: row.appliedAt ?? undefined,
      startedAt: row.startedAt ?? row.createdAt,
      finishedAt: row.finishedAt ?? undefined,
    },
    stepMessages,
  )
}
