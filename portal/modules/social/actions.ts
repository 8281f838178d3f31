'use server'
import { SOCIAL_PLATFORMS, type SocialPlatformId } from '@bizosaas/contracts/social'
/**
 * Social posts from the portal: save and submit from the composer, approve / reject / reschedule from the
 * calendar, the unconfirmed variant's check / confirm / republish, adding an account. The role is checked
 * here and again by the CMS endpoint; the endpoint's refusal (rule and platform named) comes back as is.
 */
import {
  addSocialAccount,
  createSocialPostFor,
  type PostInput,
  type SocialRefusal,
  type SocialResult,
  socialPostAction,
  socialVariantAction,
  updateDraft,
  type VariantAction,
} from '@lib/data/social'
import { authorizeAction } from '@lib/session'
import { revalidatePath } from 'next/cache'
import { z } from 'zod'

export interface SocialActionResult {
  ok?: boolean
  message?: string
  error?: string
  issues?: SocialRefusal['issues']
  /** The post saved by the composer. */
  id?: string
}

const postId = z.string().regex(/^[\w-]+$/, 'Not a post id')
const page = (tenant: string) => `/t/${tenant}/social`

const refused = (res: SocialRefusal): SocialActionResult => ({ ok: false, error: res.error, issues: res.issues })

export async function approvePost(tenant: string, id: string): Promise<SocialActionResult> {
  const auth = await authorizeAction(tenant, 'review')
  if (!auth.ok) return { error: auth.error }
  if (!postId.safeParse(id).success) return { error: 'Not a post id' }
  const res = await socialPostAction(auth.ctx.session.token, tenant, id, 'approve')
  revalidatePath(page(tenant), 'layout')
  return res.ok ? { ok: true, message: 'Approved and scheduled.' } : refused(res)
}

export async function rejectPost(tenant: string, id: string, note: string): Promise<SocialActionResult> {
  const auth = await authorizeAction(tenant, 'review')
  if (!auth.ok) return { error: auth.error }
  const parsed = z
    .object({ id: postId, note: z.string().trim().min(1, 'Say what to change').max(2000, 'At most 2000 characters') })
    .safeParse({ id, note })
  if (!parsed.success) return { error: parsed.error.issues[0]!.message }
  const res = await socialPostAction(auth.ctx.session.token, tenant, id, 'reject', { note: parsed.data.note })
  revalidatePath(page(tenant), 'layout')
  return res.ok ? { ok: true, message: 'Sent back to draft with your note.' } : refused(res)
}

export async function reschedulePost(tenant: string, id: string, scheduledAt: string): Promise<SocialActionResult> {
  const auth = await authorizeAction(tenant, 'run')
  if (!auth.ok) return { error: auth.error }
  const when = new Date(scheduledAt)
  if (!postId.safeParse(id).success || Number.isNaN(when.getTime())) return { error: 'Choose a date and time.' }
  const res = await socialPostAction(auth.ctx.session.token, tenant, id, 'reschedule', {
    scheduledAt: when.toISOString(),
  })
  revalidatePath(page(tenant), 'layout')
  return res.ok
    ? { ok: true, message: `Moved to ${when.toISOString().slice(0, 16).replace('T', ' ')} UTC.` }
    : refused(res)
}

export async function unschedulePost(tenant: string, id: string): Promise<SocialActionResult> {
  const auth = await authorizeAction(tenant, 'run')
  if (!auth.ok) return { error: auth.error }
  if (!postId.safeParse(id).success) return { error: 'Not a post id' }
  const res = await socialPostAction(auth.ctx.session.token, tenant, id, 'unschedule')
  revalidatePath(page(tenant), 'layout')
  return res.ok ? { ok: true, message: 'Unscheduled: back to draft.' } : refused(res)
}

const postInput = z.object({
  title: z.string().trim().min(1, 'Give the post a title').max(200),
  scheduledAt: z
    .string()
    .optional()
    .refine((v) => !v || !Number.isNaN(new Date(v).getTime()), 'Not a date and time'),
  campaign: z.string().trim().max(100).optional(),
  link: z.union([z.literal(''), z.url('The link must be a full URL (https://…)')]).optional(),
  media: z.array(z.string()).max(20).optional(),
  variants: z
    .array(
      z.object({
        account: z.string().min(1),
        text: z.string().max(20_000),
        thread: z.array(z.string().max(20_000)).max(50).optional(),
        media: z.array(z.string()).max(20).optional(),
      }),
    )
    .min(1, 'Choose at least one account'),
})

/**
 * Saves the composer: `draft`, `awaiting-approval` (submit) or, for managers, `scheduled` (approve and
 * schedule). `id` replaces a draft's content.
 */
export async function savePost(
  tenant: string,
  input: Omit<PostInput, 'status'>,
  intent: 'draft' | 'submit' | 'schedule',
  id?: string,
): Promise<SocialActionResult> {
  const auth = await authorizeAction(tenant, intent === 'schedule' ? 'review' : 'run')
  if (!auth.ok) return { error: auth.error }
  const parsed = postInput.safeParse(input)
  if (!parsed.success) return { error: parsed.error.issues[0]!.message }
  if (intent !== 'draft' && !parsed.data.scheduledAt) return { error: 'Choose when to publish before submitting.' }
  const data = parsed.data
  const status = intent === 'draft' ? 'draft' : intent === 'submit' ? 'awaiting-approval' : 'scheduled'
  const fields = {
    ...data,
    scheduledAt: data.scheduledAt ? new Date(data.scheduledAt).toISOString() : undefined,
    link: data.link || undefined,
    campaign: data.campaign || undefined,
  }
  const token = auth.ctx.session.token
  let res: SocialResult<{ post?: Record<string, unknown>; id?: string | number }>
  if (id) {
    // A draft edited: its content first, then the transitions a calendar button makes (submit, approve).
    res = await updateDraft(token, tenant, id, fields)
    if (res.ok && status !== 'draft') res = await socialPostAction(token, tenant, id, 'submit')
    if (res.ok && status === 'scheduled') res = await socialPostAction(token, tenant, id, 'approve')
  } else res = await createSocialPostFor(token, tenant, { ...fields, status })
  revalidatePath(page(tenant), 'layout')
  if (!res.ok) return refused(res)
  const saved = res.body.post?.id ?? res.body.id ?? id
  return {
    ok: true,
    id: saved == null ? undefined : String(saved),
    message:
      status === 'draft'
        ? 'Draft saved.'
        : status === 'scheduled'
          ? 'Approved and scheduled.'
          : 'Submitted for approval.',
  }
}

/**
 * An unconfirmed or failed variant: `check` (ask the platform), `confirm` (a person saw it; optional
 * `url`), `republish` (an unconfirmed one only with `confirmedAbsent`: sending a post that is there
 * would post it twice).
 */
export async function variantAction(
  tenant: string,
  id: string,
  action: VariantAction,
  options: { confirmedAbsent?: boolean; url?: string; unconfirmed?: boolean } = {},
): Promise<SocialActionResult> {
  const auth = await authorizeAction(tenant, 'run')
  if (!auth.ok) return { error: auth.error }
  if (!postId.safeParse(id).success) return { error: 'Not a variant id' }
  if (action === 'republish' && options.unconfirmed && !options.confirmedAbsent)
    return { error: 'Check the account first, and tick that the post is not there: republishing could post it twice.' }
  const extra =
    action === 'republish'
      ? { confirmNotPosted: Boolean(options.confirmedAbsent) }
      : action === 'confirm' && options.url?.trim()
        ? { url: options.url.trim() }
        : {}
  const res = await socialVariantAction(auth.ctx.session.token, tenant, id, action, extra)
  revalidatePath(page(tenant), 'layout')
  if (!res.ok) return refused(res)
  const body = res.body as { message?: string; found?: boolean; variant?: { platformUrl?: string | null } }
  const url = body.variant?.platformUrl
  return {
    ok: true,
    message:
      body.message ??
      (action === 'check'
        ? body.found
          ? `Found it${url ? ` at ${url}` : ''}: marked published.`
          : 'Not found. Republish it, or wait and check again.'
        : action === 'confirm'
          ? 'Marked published.'
          : 'Scheduled to publish again now.'),
  }
}

export async function addAccount(tenant: string, connection: string, target: string): Promise<SocialActionResult> {
  const auth = await authorizeAction(tenant, 'configure')
  if (!auth.ok) return { error: auth.error }
  // The form's value is `<platform>:<targetId>` (a Facebook connection offers Pages and Instagram accounts).
  const [platform, ...rest] = target.split(':')
  const targetId = rest.join(':')
  if (!connection || !targetId || !(SOCIAL_PLATFORMS as readonly string[]).includes(platform!))
    return { error: 'Choose a profile or page.' }
  const res = await addSocialAccount(auth.ctx.session.token, tenant, {
    connection,
    targetId,
    platform: platform as SocialPlatformId,
  })
  revalidatePath(page(tenant), 'layout')
  return res.ok ? { ok: true, message: 'Account added.' } : refused(res)
}

export async function submitPost(tenant: string, id: string): Promise<SocialActionResult> {
  const auth = await authorizeAction(tenant, 'run')
  if (!auth.ok) return { error: auth.error }
  if (!postId.safeParse(id).success) return { error: 'Not a post id' }
  const res = await socialPostAction(auth.ctx.session.token, tenant, id, 'submit')
  revalidatePath(page(tenant), 'layout')
  return res.ok ? { ok: true, message: 'Submitted for approval.' } : refused(res)
}
