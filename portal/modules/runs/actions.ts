'use server'
import { cancelRun, getRun, startRun } from '@lib/data/runs'
import { authorizeAction } from '@lib/session'
/** Retry a run (a new run with the same input) and "run now" from the agents page. */
import { revalidatePath } from 'next/cache'
import { redirect } from 'next/navigation'
import { z } from 'zod'

export interface RunActionResult {
  error?: string
}

export async function retryRun(tenant: string, id: string): Promise<RunActionResult> {
  const auth = await authorizeAction(tenant, 'run')
  if (!auth.ok) return { error: auth.error }
  const run = await getRun(auth.ctx.session.token, tenant, id)
  if (!run) return { error: 'No such run in this tenant.' }
  const { feedback: _feedback, ...input } = (run.input ?? {}) as Record<string, unknown>
  const started = await startRun(auth.ctx.session.token, tenant, run.agent, input)
  if (!started.ok) return { error: started.error }
  revalidatePath(`/t/${tenant}/runs`)
  redirect(`/t/${tenant}/runs/${started.id}`)
}

/** Cancels a queued or running run (managers and tenant-admins); the CMS stops it at the next step. */
export async function cancelRunAction(tenant: string, id: string): Promise<RunActionResult> {
  const auth = await authorizeAction(tenant, 'run')
  if (!auth.ok) return { error: auth.error }
  if (!runId.safeParse(id).success) return { error: 'No such run in this tenant.' }
  const cancelled = await cancelRun(auth.ctx.session.token, tenant, id)
  if (!cancelled.ok) return { error: cancelled.error }
  revalidatePath(`/t/${tenant}/runs`)
  revalidatePath(`/t/${tenant}/runs/${id}`)
  return {}
}

const runId = z.string().regex(/^\d{1,18}$/)
const slug = z.string().regex(/^[a-z0-9-]{1,64}$/)

/** Starts `agent` with `input` (parsed from the form built from its JSON Schema); the CMS validates it. */
export async function runNow(tenant: string, agent: string, input: unknown): Promise<RunActionResult> {
  const auth = await authorizeAction(tenant, 'run')
  if (!auth.ok) return { error: auth.error }
  if (!slug.safeParse(agent).success) return { error: 'Unknown agent' }
  const started = await startRun(auth.ctx.session.token, tenant, agent, input)
  if (!started.ok) return { error: started.error }
  redirect(`/t/${tenant}/runs/${started.id}`)
}
