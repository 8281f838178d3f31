/**
 * The social service: creating a post with its variants and moving it through
 * draft → awaiting-approval → scheduled (and back), each step checked the same way — every variant
 * against its platform's rules (`validateVariant` + the platform's own `validate`), its account's
 * connection connected, its media in the tenant, and a time in the future when scheduling. A refusal is
 * a `SocialError` (4xx) naming the rule and the platform; post and variants are written in one
 * transaction, so a refusal leaves nothing half-written. Endpoints, agents and the portal all go
 * through here; REST writes are held to the same checks by the collections' hooks.
 */
import {
  PLATFORM_RULES,
  postStatusOf,
  type SocialPlatformId,
  socialUtm,
  type VariantStatus,
  validateVariant,
  withUtm,
} from '@bizosaas/contracts/social'
import {
  commitTransaction,
  createLocalReq,
  initTransaction,
  killTransaction,
  type Payload,
  type PayloadRequest,
  type TypedUser,
} from 'payload'
import { SERVICE_WRITE } from './collections/fields.ts'
import { SOCIAL_ACCOUNTS, SOCIAL_POSTS, SOCIAL_VARIANTS } from './constants.ts'
import { socialPlatformOf } from './defaults.ts'
import { SocialError, type SocialIssue } from './errors.ts'
import type { Id } from './types.ts'
import { schedulePublish, unschedulePublish } from './worker/schedule.ts'

export { SocialError, type SocialIssue } from './errors.ts'

// biome-ignore lint/suspicious/noExplicitAny: documents of collections this package does not type
export type Doc = Record<string, any>

export const idOf = (value: unknown): string | undefined => {
  const id = value && typeof value === 'object' ? (value as { id?: unknown }).id : value
  return id === undefined || id === null || id === '' ? undefined : String(id)
}

/** One variant as a caller writes it: the account posted as, its text, thread parts and media. */
export interface VariantInput {
  account: Id
  text: string
  /** The parts after the first (a thread). */
  thread?: string[]
  /** Media ids; absent: the post's media. */
  media?: Id[]
}

export interface CreateSocialPostArgs {
  tenant: Id
  title: string
  scheduledAt?: string | Date | null
  campaign?: string | null
  link?: string | null
  source?: { kind?: 'post' | 'page' | 'product' | 'brief' | 'none'; id?: string | null; brief?: string | null }
  media?: Id[]
  origin?: { agent?: string; run?: string }
  variants: VariantInput[]
  /** `scheduled` approves at once (trusted callers); @default 'draft' */
  status?: 'draft' | 'awaiting-approval' | 'scheduled'
  user?: TypedUser | Doc | null
  req?: PayloadRequest
}

export interface PostWithVariants {
  post: Doc
  variants: Doc[]
  /** Rule warnings (allowed, shown to the person). */
  warnings: SocialIssue[]
}

/** When scheduledAt is checked: `required` (scheduling), `if-set` (submitting), `no` (drafts). */
type TimeCheck = 'required' | 'if-set' | 'no'

const MOVABLE: readonly VariantStatus[] = ['draft', 'awaiting-approval', 'scheduled']

const platformName = (platform: string) => PLATFORM_RULES[platform as SocialPlatformId]?.name ?? platform

/** "07:00 yesterday", "18:30 today", "09:15 on 2026-12-24" (UTC). */
export function describeTime(at: Date, now: Date = new Date()): string {
  const hhmm = at.toISOString().slice(11, 16)
  const day = (d: Date) => Math.floor(d.getTime() / 86_400_000)
  const diff = day(at) - day(now)
  const when =
    diff === 0 ? 'today' : diff === -1 ? 'yesterday' : diff === 1 ? 'tomorrow' : `on ${at.toISOString().slice(0, 10)}`
  return `${hhmm} UTC ${when}`
}

const toDate = (value: string | Date | null | undefined): Date | null => {
  if (value === null || value === undefined || value === '') return null
  const date = value instanceof Date ? value : new Date(value)
  if (Number.isNaN(date.getTime())) throw new SocialError(400, `scheduledAt is not a date and time: ${String(value)}`)
  return date
}

/** A UTM campaign from the title when none is given: "Spring sale!" → "spring-sale". */
export const campaignOf = (campaign: string | null | undefined, title: string) =>
  campaign?.trim() ||
  title
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 60) ||
  'social'

/** The variant's link: the post's link with UTM source = platform, campaign, content = the account. */
export function variantLink(
  link: string | null | undefined,
  platform: string,
  campaign: string,
  account: Id,
): string | null {
  if (!link) return null
  return withUtm(link, socialUtm(platform as SocialPlatformId, campaign, `account-${account}`))
}

/** Refuses a link that is not a full http(s) address. */
export function checkLink(link: string | null | undefined): void {
  if (!link) return
  try {
    withUtm(link, socialUtm('x', 'check'))
  } catch {
    throw new SocialError(
      422,
      `The link must be a full web address starting with https:// (got "${link.slice(0, 100)}").`,
      [{ rule: 'link', severity: 'error', message: 'The link must be a full web address starting with https://' }],
    )
  }
}

/** Runs `fn` as a service write on `req` (the REST guards stand aside), then restores its context. */
export async function asService<T>(req: PayloadRequest | undefined, fn: () => Promise<T>): Promise<T> {
  if (!req) return fn()
  const had = req.context?.[SERVICE_WRITE]
  req.context = { ...req.context, [SERVICE_WRITE]: true }
  try {
    return await fn()
  } finally {
    if (!had) delete req.context[SERVICE_WRITE]
  }
}

/** Runs `fn` in one transaction (the caller's, when it has one); the service's writes pass the REST guards. */
export async function inTransaction<T>(
  payload: Payload,
  args: { req?: PayloadRequest; user?: unknown },
  fn: (req: PayloadRequest) => Promise<T>,
): Promise<T> {
  const req =
    args.req ??
    (await createLocalReq({ user: (args.user ?? undefined) as TypedUser | undefined, context: {} }, payload))
  const hadFlag = req.context?.[SERVICE_WRITE]
  req.context = { ...req.context, [SERVICE_WRITE]: true }
  const started = await initTransaction(req)
  try {
    const result = await fn(req)
    if (started) await commitTransaction(req)
    return result
  } catch (error) {
    if (started) await killTransaction(req)
    throw error
  } finally {
    if (!hadFlag) delete req.context[SERVICE_WRITE]
  }
}

export interface CheckArgs {
  tenant: Id
  variants: VariantInput[]
  /** The post's media, for variants that give none. */
  postMedia?: Id[]
  scheduledAt?: Date | null
  time: TimeCheck
  now?: Date
}

export interface CheckedVariants {
  accounts: Map<string, Doc>
  /** The effective media ids per variant (its own, else the post's). */
  media: string[][]
  warnings: SocialIssue[]
}

/**
 * Every check a variant must pass before it is saved or approved. Throws a `SocialError` (422) with every
 * error found (and the warnings) when any fails; returns the accounts and warnings otherwise.
 */
export async function checkVariants(payload: Payload, req: PayloadRequest | undefined, args: CheckArgs) {
  const now = args.now ?? new Date()
  if (!args.variants.length)
    throw new SocialError(422, 'Choose at least one social account to post to.', [
      { rule: 'account', severity: 'error', message: 'Choose at least one social account to post to.' },
    ])
  const accountIds = args.variants.map((v) => String(v.account))
  const twice = accountIds.find((id, i) => accountIds.indexOf(id) !== i)
  if (twice)
    throw new SocialError(422, `A post has one variant per account; account ${twice} is chosen twice.`, [
      { rule: 'account', severity: 'error', account: twice, message: `Account ${twice} is chosen twice.` },
    ])

  const { docs: accountDocs } = await payload.find({
    collection: SOCIAL_ACCOUNTS as never,
    where: { and: [{ id: { in: accountIds } }, { tenant: { equals: args.tenant } }] },
    depth: 0,
    limit: accountIds.length,
    pagination: false,
    overrideAccess: true,
    req,
  })
  const accounts = new Map((accountDocs as Doc[]).map((a) => [String(a.id), a]))
  const connectionIds = [...new Set([...accounts.values()].map((a) => idOf(a.connection)).filter(Boolean))]
  const { docs: connectionDocs } = connectionIds.length
    ? await payload.find({
        collection: 'connections' as never,
        where: { and: [{ id: { in: connectionIds } }, { tenant: { equals: args.tenant } }] },
        depth: 0,
        limit: connectionIds.length,
        pagination: false,
        overrideAccess: true,
        req,
      })
    : { docs: [] }
  const connections = new Map((connectionDocs as Doc[]).map((c) => [String(c.id), c]))

  const media = args.variants.map((v) => (v.media ?? args.postMedia ?? []).map(String))
  const mediaIds = [...new Set(media.flat())]
  const { docs: mediaDocs } = mediaIds.length
    ? await payload.find({
        collection: 'media' as never,
        where: { and: [{ id: { in: mediaIds } }, { tenant: { equals: args.tenant } }] },
        depth: 0,
        limit: mediaIds.length,
        pagination: false,
        overrideAccess: true,
        req,
      })
    : { docs: [] }
  const mediaById = new Map((mediaDocs as Doc[]).map((m) => [String(m.id), m]))

  const issues: SocialIssue[] = []
  args.variants.forEach((variant, index) => {
    const accountId = String(variant.account)
    const account = accounts.get(accountId)
    if (!account) {
      issues.push({
        rule: 'account',
        severity: 'error',
        account: accountId,
        message: `Social account ${accountId} does not exist in this tenant; choose one of the tenant’s accounts.`,
      })
      return
    }
    const platform = account.platform as SocialPlatformId
    const name = platformName(platform)
    const base = { platform, account: accountId, severity: 'error' as const }
    if (account.active === false)
      issues.push({
        ...base,
        rule: 'account',
        message: `The ${name} account ${account.name} is switched off; switch it on or choose another account.`,
      })
    const connection = connections.get(String(idOf(account.connection)))
    if (connection?.status !== 'connected')
      issues.push({
        ...base,
        rule: 'connection',
        message: `The ${name} account ${account.name} is disconnected; reconnect it under Integrations first.`,
      })
    const missing = media[index]!.filter((id) => !mediaById.has(id))
    for (const id of missing)
      issues.push({
        ...base,
        rule: 'media-missing',
        message: `${name}: attachment ${id} is not in this tenant’s media; upload it first or remove it.`,
      })
    const draft = {
      text: variant.text ?? '',
      thread: variant.thread ?? [],
      media: media[index]!.flatMap((id) => {
        const doc = mediaById.get(id)
        return doc
          ? [
              {
                mimeType: String(doc.mimeType ?? ''),
                filesize: Number(doc.filesize ?? 0),
                alt: doc.alt,
                filename: doc.filename,
              },
            ]
          : []
      }),
    }
    const own = socialPlatformOf(payload, platform)?.validate?.(draft) ?? []
    for (const issue of [...validateVariant(draft, platform), ...own]) issues.push({ ...issue, account: accountId })
    if (args.time !== 'no') {
      if (!args.scheduledAt) {
        if (args.time === 'required')
          issues.push({ ...base, rule: 'scheduled-at', message: `${name}: choose when to publish this post.` })
      } else if (args.scheduledAt.getTime() <= now.getTime())
        issues.push({
          ...base,
          rule: 'scheduled-at',
          message: `${name}: this post is scheduled for ${describeTime(args.scheduledAt, now)}; pick a time in the future.`,
        })
    }
  })
  const errors = issues.filter((i) => i.severity === 'error')
  if (errors.length) {
    // One line per problem; a time in the past is said once, not once per platform.
    const lines = [...new Set(errors.map((e) => e.message))]
    throw new SocialError(422, lines.join(' '), [...errors, ...issues.filter((i) => i.severity !== 'error')])
  }
  return { accounts, media, warnings: issues } satisfies CheckedVariants
}

async function loadPost(payload: Payload, req: PayloadRequest, tenant: Id, post: Id) {
  const found = await payload.find({
    collection: SOCIAL_POSTS as never,
    where: { and: [{ id: { equals: post } }, { tenant: { equals: tenant } }] },
    depth: 0,
    limit: 1,
    overrideAccess: true,
    req,
  })
  const doc = found.docs[0] as Doc | undefined
  if (!doc) throw new SocialError(404, `No social post ${post} in this tenant.`)
  const { docs } = await payload.find({
    collection: SOCIAL_VARIANTS as never,
    where: { post: { equals: doc.id } },
    depth: 0,
    limit: 100,
    pagination: false,
    sort: 'id',
    overrideAccess: true,
    req,
  })
  return { post: doc, variants: docs as Doc[] }
}

const inputsOf = (variants: Doc[]): VariantInput[] =>
  variants.map((v) => ({
    account: idOf(v.account)!,
    text: String(v.text ?? ''),
    thread: ((v.thread ?? []) as { text: string }[]).map((p) => p.text),
    media: ((v.media ?? []) as unknown[]).map((m) => idOf(m)!),
  }))

async function updateVariant(payload: Payload, req: PayloadRequest, id: Id, data: Doc) {
  return (await payload.update({
    collection: SOCIAL_VARIANTS as never,
    id,
    data: data as never,
    depth: 0,
    overrideAccess: true,
    req,
  })) as unknown as Doc
}

async function updatePost(payload: Payload, req: PayloadRequest, id: Id, data: Doc) {
  return (await payload.update({
    collection: SOCIAL_POSTS as never,
    id,
    data: data as never,
    depth: 0,
    overrideAccess: true,
    req,
  })) as unknown as Doc
}

/** Sets the post's status from its variants (`postStatusOf`); the publisher calls it after each variant. */
export async function refreshPostStatus(payload: Payload, post: Id, req?: PayloadRequest): Promise<VariantStatus> {
  const { docs } = await payload.find({
    collection: SOCIAL_VARIANTS as never,
    where: { post: { equals: post } },
    depth: 0,
    limit: 100,
    pagination: false,
    overrideAccess: true,
    req,
  })
  const status = postStatusOf(docs as unknown as { status: VariantStatus }[])
  await asService(req, () =>
    payload.update({
      collection: SOCIAL_POSTS as never,
      id: post,
      data: { status } as never,
      depth: 0,
      overrideAccess: true,
      req,
      context: { [SERVICE_WRITE]: true },
    }),
  )
  return status
}

/** The `users` id of who approved (numeric ids stay numbers; other auth collections are not users). */
const userId = (user: unknown): number | string | null => {
  const collection = (user as { collection?: string } | null)?.collection
  const id = idOf(user)
  if (id === undefined || (collection && collection !== 'users')) return null
  return /^\d+$/.test(id) ? Number(id) : id
}

/** Creates a post and its variants (checked as at save; scheduled ones enqueued after commit). */
export async function createSocialPost(payload: Payload, args: CreateSocialPostArgs): Promise<PostWithVariants> {
  const status = args.status ?? 'draft'
  const scheduledAt = toDate(args.scheduledAt)
  if (!args.title?.trim()) throw new SocialError(400, 'Give the post a title (it is how the calendar lists it).')
  checkLink(args.link)
  const time: TimeCheck = status === 'scheduled' ? 'required' : status === 'awaiting-approval' ? 'if-set' : 'no'
  const postMedia = (args.media ?? []).map(String)
  const result = await inTransaction(payload, { req: args.req, user: args.user }, async (req) => {
    const { accounts, media, warnings } = await checkVariants(payload, req, {
      tenant: args.tenant,
      variants: args.variants,
      postMedia,
      scheduledAt,
      time,
    })
    const campaign = campaignOf(args.campaign, args.title)
    const approved =
      status === 'scheduled' ? { approvedBy: userId(args.user), approvedAt: new Date().toISOString() } : {}
    const post = (await payload.create({
      collection: SOCIAL_POSTS as never,
      data: {
        tenant: args.tenant,
        title: args.title.trim(),
        status,
        scheduledAt: scheduledAt?.toISOString() ?? null,
        campaign,
        link: args.link ?? null,
        source: { kind: args.source?.kind ?? 'none', id: args.source?.id ?? null, brief: args.source?.brief ?? null },
        media: postMedia.map(Number),
        origin: { agent: args.origin?.agent ?? null, run: args.origin?.run ?? null },
        ...approved,
      } as never,
      depth: 0,
      overrideAccess: true,
      req,
    })) as unknown as Doc
    const variants: Doc[] = []
    for (const [index, input] of args.variants.entries()) {
      const account = accounts.get(String(input.account))!
      variants.push(
        (await payload.create({
          collection: SOCIAL_VARIANTS as never,
          data: {
            tenant: args.tenant,
            post: post.id,
            account: account.id,
            platform: account.platform,
            text: input.text,
            thread: (input.thread ?? []).map((text) => ({ text })),
            // The effective attachments (its own, else the post's): the publisher reads only the variant.
            media: media[index]!.map(Number),
            link: variantLink(args.link, account.platform, campaign, account.id),
            status,
            scheduledAt: scheduledAt?.toISOString() ?? null,
            attempt: 0,
          } as never,
          depth: 0,
          overrideAccess: true,
          req,
        })) as unknown as Doc,
      )
    }
    // In the transaction: the jobs commit (or roll back) with the variants they publish.
    if (status === 'scheduled')
      await schedulePublish(
        payload,
        variants.map((v) => v.id),
        { req },
      )
    return { post, variants, warnings }
  })
  return result
}

interface TransitionArgs {
  tenant: Id
  post: Id
  user?: TypedUser | Doc | null
  req?: PayloadRequest
}

function requireStatus(post: Doc, allowed: readonly string[], action: string) {
  if (allowed.includes(post.status)) return
  const hint =
    post.status === 'scheduled'
      ? ' Unschedule it first.'
      : ['publishing', 'published', 'unconfirmed', 'failed'].includes(post.status)
        ? ' It has been sent to the platforms already.'
        : ''
  throw new SocialError(
    409,
    `Only a post that is ${allowed.join(' or ')} can be ${action}; this one is ${post.status}.${hint}`,
  )
}

/** draft → awaiting-approval, after the same checks as at save (and the time, when one is set). */
export async function submitSocialPost(payload: Payload, args: TransitionArgs): Promise<PostWithVariants> {
  return inTransaction(payload, args, async (req) => {
    const { post, variants } = await loadPost(payload, req, args.tenant, args.post)
    requireStatus(post, ['draft'], 'submitted for approval')
    const { warnings } = await checkVariants(payload, req, {
      tenant: args.tenant,
      variants: inputsOf(variants),
      postMedia: (post.media ?? []).map(idOf),
      scheduledAt: toDate(post.scheduledAt),
      time: 'if-set',
    })
    const updated = []
    for (const v of variants) updated.push(await updateVariant(payload, req, v.id, { status: 'awaiting-approval' }))
    const after = await updatePost(payload, req, post.id, { status: 'awaiting-approval', rejectionNote: null })
    return { post: after, variants: updated, warnings }
  })
}

/** awaiting-approval → scheduled: checked again (the time must be in the future), then enqueued. */
export async function approveSocialPost(payload: Payload, args: TransitionArgs): Promise<PostWithVariants> {
  const result = await inTransaction(payload, args, async (req) => {
    const { post, variants } = await loadPost(payload, req, args.tenant, args.post)
    requireStatus(post, ['awaiting-approval'], 'approved')
    const scheduledAt = toDate(post.scheduledAt)
    const { warnings } = await checkVariants(payload, req, {
      tenant: args.tenant,
      variants: inputsOf(variants),
      postMedia: (post.media ?? []).map(idOf),
      scheduledAt,
      time: 'required',
    })
    const updated = []
    for (const v of variants)
      updated.push(
        await updateVariant(payload, req, v.id, { status: 'scheduled', scheduledAt: scheduledAt!.toISOString() }),
      )
    const after = await updatePost(payload, req, post.id, {
      status: 'scheduled',
      approvedBy: userId(args.user),
      approvedAt: new Date().toISOString(),
      rejectionNote: null,
    })
    await schedulePublish(
      payload,
      updated.map((v) => v.id),
      { req },
    )
    return { post: after, variants: updated, warnings }
  })
  return result
}

/** awaiting-approval → draft, with the reviewer's note for the author. */
export async function rejectSocialPost(
  payload: Payload,
  args: TransitionArgs & { note?: string | null },
): Promise<PostWithVariants> {
  return inTransaction(payload, args, async (req) => {
    const { post, variants } = await loadPost(payload, req, args.tenant, args.post)
    requireStatus(post, ['awaiting-approval'], 'rejected')
    const updated = []
    for (const v of variants) updated.push(await updateVariant(payload, req, v.id, { status: 'draft' }))
    const after = await updatePost(payload, req, post.id, { status: 'draft', rejectionNote: args.note?.trim() || null })
    return { post: after, variants: updated, warnings: [] }
  })
}

/**
 * Moves the post and every variant not yet publishing to `scheduledAt` (in the future); scheduled
 * variants are re-checked and re-enqueued at the new time. Published and failed variants stay as they are.
 */
export async function rescheduleSocialPost(
  payload: Payload,
  args: TransitionArgs & { scheduledAt: string | Date },
): Promise<PostWithVariants> {
  const scheduledAt = toDate(args.scheduledAt)
  if (!scheduledAt) throw new SocialError(400, 'scheduledAt: choose the new date and time.')
  const result = await inTransaction(payload, args, async (req) => {
    const { post, variants } = await loadPost(payload, req, args.tenant, args.post)
    const movable = variants.filter((v) => MOVABLE.includes(v.status))
    if (!movable.length && variants.length)
      throw new SocialError(409, `This post is ${post.status}: nothing is left to move.`)
    const { warnings } = await checkVariants(payload, req, {
      tenant: args.tenant,
      variants: inputsOf(movable.length ? movable : variants),
      postMedia: (post.media ?? []).map(idOf),
      scheduledAt,
      // A draft may be moved anywhere in the future; the checks of its text wait for its submission.
      time: 'required',
    })
    const at = scheduledAt.toISOString()
    const updated = []
    for (const v of variants)
      updated.push(MOVABLE.includes(v.status) ? await updateVariant(payload, req, v.id, { scheduledAt: at }) : v)
    const after = await updatePost(payload, req, post.id, { scheduledAt: at })
    await schedulePublish(
      payload,
      updated.filter((v) => v.status === 'scheduled').map((v) => v.id),
      { req },
    )
    return { post: after, variants: updated, warnings }
  })
  return result
}

/** scheduled → draft: the queued publish jobs are removed; the post can be edited again. */
export async function unscheduleSocialPost(payload: Payload, args: TransitionArgs): Promise<PostWithVariants> {
  const result = await inTransaction(payload, args, async (req) => {
    const { post, variants } = await loadPost(payload, req, args.tenant, args.post)
    const scheduled = variants.filter((v) => v.status === 'scheduled')
    if (!scheduled.length) requireStatus(post, ['scheduled'], 'unscheduled')
    const updated = []
    for (const v of variants)
      updated.push(v.status === 'scheduled' ? await updateVariant(payload, req, v.id, { status: 'draft' }) : v)
    const status = postStatusOf(updated as { status: VariantStatus }[])
    const after = await updatePost(payload, req, post.id, { status, approvedBy: null, approvedAt: null })
    return { post: after, variants: updated, warnings: [], unscheduled: scheduled.map((v) => v.id) }
  })
  await unschedulePublish(payload, result.unscheduled)
  return { post: result.post, variants: result.variants, warnings: [] }
}
