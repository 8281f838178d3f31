'use server'
import { approveApproval, rejectApproval } from '@lib/data/approvals'
import { authorizeAction } from '@lib/session'
/** Approve / reject from the portal: the role is checked here and again by the CMS endpoint. */
import { revalidatePath } from 'next/cache'
import { z } from 'zod'

export interface ActionResult {
  ok?: boolean
  error?: string
  message?: string
}

const ids = z
  .array(z.string().regex(/^\d+$/, 'Approval ids are numbers'))
  .min(1, 'Choose at least one approval')
  .max(100, 'Approve at most 100 at a time')
  .transform((list) => [...new Set(list)])

export async function approve(tenant: string, id: string): Promise<ActionResult> {
  return approveMany(tenant, [id])
}

export async function approveMany(tenant: string, list: string[]): Promise<ActionResult> {
  const auth = await authorizeAction(tenant, 'review')
  if (!auth.ok) return { error: auth.error }
  const parsed = ids.safeParse(list)
  if (!parsed.success) return { error: parsed.error.issues[0]!.message }
  const token = auth.ctx.session.token
  // The CMS checks each one again: the reviewer's role in its tenant, and that it is this page's tenant.
  const results = await inBatches(parsed.data, 4, (id) => approveApproval(token, tenant, id))
  const failed = results.flatMap((res, i) => (res.ok ? [] : [`#${parsed.data[i]}: ${res.error}`]))
  revalidatePath(`/t/${tenant}/approvals`)
  const done = parsed.data.length - failed.length
  return failed.length
    ? { ok: done > 0, error: failed.join('; '), message: done ? `${done} approved` : undefined }
    : { ok: true, message: `${done} approved; the change${done === 1 ? ' is' : 's are'} being applied` }
}

const rejectInput = z.object({
  feedback: z.string().trim().max(5000, 'Feedback is at most 5000 characters').optional(),
  rerun: z.boolean(),
})

export async function reject(tenant: string, id: string, _prev: ActionResult, form: FormData): Promise<ActionResult> {
  const auth = await authorizeAction(tenant, 'review')
  if (!auth.ok) return { error: auth.error }
  const parsed = rejectInput.safeParse({
    feedback: form.get('feedback') || undefined,
    rerun: form.get('rerun') === 'on',
  })
  if (!parsed.success) return { error: parsed.error.issues[0]!.message }
  const res = await rejectApproval(auth.ctx.session.token, tenant, id, parsed.data.feedback, parsed.data.rerun)
  revalidatePath(`/t/${tenant}/approvals`)
  return res.ok
    ? { ok: true, message: parsed.data.rerun ? 'Rejected; the agent runs again with your feedback.' : 'Rejected.' }
    : { error: res.error }
}

/** `task` over `items`, `size` at a time (a bulk approve does not flood the CMS), results in order. */
async function inBatches<T, R>(items: readonly T[], size: number, task: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = []
  for (let i = 0; i < items.length; i += size) out.push(...(await Promise.all(items.slice(i, i + size).map(task))))
  return out
}
