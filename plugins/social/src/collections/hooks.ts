/**
 * The REST and GraphQL guards of social posts and variants: the same checks as the service at save
 * (rules, connection, media, one variant per account), no edits once a post is scheduled ("unschedule it
 * first"), the variants' link, time and platform kept in step with their post, and the post's status
 * recomputed from its variants. The service's own writes carry `SERVICE_WRITE` and pass straight through.
 */

import { PLATFORM_RULES, type SocialPlatformId } from '@bizosaas/contracts/social'
import {
  APIError,
  type CollectionAfterChangeHook,
  type CollectionAfterDeleteHook,
  type CollectionBeforeChangeHook,
  type CollectionBeforeDeleteHook,
  type PayloadRequest,
} from 'payload'
import { SOCIAL_POSTS, SOCIAL_VARIANTS } from '../constants.ts'
import { SocialError } from '../errors.ts'
import {
  asService,
  campaignOf,
  checkLink,
  checkVariants,
  type Doc,
  idOf,
  refreshPostStatus,
  variantLink,
} from '../posts.ts'
import { SERVICE_WRITE } from './fields.ts'

const EDITABLE = ['draft', 'awaiting-approval']
const byService = (req: PayloadRequest) => Boolean(req.context?.[SERVICE_WRITE])

/** A `SocialError` as Payload's public API error (its status and message reach the client). */
function asApiError(error: unknown): never {
  if (error instanceof SocialError) throw new APIError(error.message, error.status, { issues: error.issues }, true)
  throw error
}

function notEditable(what: string, status: string): never {
  const hint =
    status === 'scheduled'
      ? 'unschedule it first (POST /api/social/posts/:id/unschedule), or move it with reschedule'
      : 'it has been sent to the platforms already'
  throw new APIError(`This ${what} is ${status} and can no longer be edited: ${hint}.`, 409, undefined, true)
}

export const guardPostEdit: CollectionBeforeChangeHook = ({ data, originalDoc, operation, req }) => {
  if (byService(req)) return data
  if (operation === 'update' && originalDoc && !EDITABLE.includes(originalDoc.status))
    notEditable('post', originalDoc.status)
  if (operation === 'update' && data.tenant != null && idOf(data.tenant) !== idOf(originalDoc?.tenant))
    throw new APIError('A social post cannot move to another tenant; create it there instead.', 400, undefined, true)
  try {
    checkLink(data.link)
  } catch (error) {
    asApiError(error)
  }
  // A post made over REST starts as a draft; only the service moves it on.
  if (operation === 'create') return { ...data, status: 'draft' }
  return data
}

/** Variants follow their post's link, campaign and time when those change over REST. */
export const syncVariantsOfPost: CollectionAfterChangeHook = async ({ doc, previousDoc, operation, req }) => {
  if (byService(req) || operation !== 'update') return doc
  const changed = ['link', 'campaign', 'scheduledAt'].some((k) => (doc[k] ?? null) !== (previousDoc?.[k] ?? null))
  if (!changed) return doc
  const { docs } = await req.payload.find({
    collection: SOCIAL_VARIANTS as never,
    where: { post: { equals: doc.id } },
    depth: 0,
    limit: 100,
    pagination: false,
    overrideAccess: true,
    req,
  })
  const campaign = campaignOf(doc.campaign, doc.title)
  await asService(req, async () => {
    for (const variant of docs as Doc[])
      await req.payload.update({
        collection: SOCIAL_VARIANTS as never,
        id: variant.id,
        data: {
          link: variantLink(doc.link, variant.platform, campaign, idOf(variant.account)!),
          scheduledAt: doc.scheduledAt ?? null,
        } as never,
        depth: 0,
        overrideAccess: true,
        req,
      })
  })
  return doc
}

export const guardPostDelete: CollectionBeforeDeleteHook = async ({ id, req }) => {
  if (byService(req)) return
  const post = (await req.payload.findByID({
    collection: SOCIAL_POSTS as never,
    id,
    depth: 0,
    overrideAccess: true,
    req,
    disableErrors: true,
  })) as Doc | null
  if (post && ['scheduled', 'publishing', 'unconfirmed'].includes(post.status))
    throw new APIError(
      post.status === 'scheduled'
        ? 'This post is scheduled: unschedule it first, then delete it.'
        : `This post is ${post.status}: wait until its variants are settled before deleting it.`,
      409,
      undefined,
      true,
    )
}

export const cascadeVariants: CollectionAfterDeleteHook = async ({ id, req }) => {
  await asService(req, () =>
    req.payload.delete({
      collection: SOCIAL_VARIANTS as never,
      where: { post: { equals: id } },
      overrideAccess: true,
      req,
    }),
  )
}

/** A variant written over REST: checked as the service checks it at save; its derived fields filled in. */
export const checkVariantSave: CollectionBeforeChangeHook = async ({ data, originalDoc, operation, req }) => {
  if (byService(req)) return data
  if (operation === 'update' && originalDoc && !EDITABLE.includes(originalDoc.status))
    notEditable(
      `${PLATFORM_RULES[originalDoc.platform as SocialPlatformId]?.name ?? ''} variant`.trim(),
      originalDoc.status,
    )
  const merged = { ...originalDoc, ...data }
  const postId = idOf(merged.post)
  const post = postId
    ? ((await req.payload.findByID({
        collection: SOCIAL_POSTS as never,
        id: postId,
        depth: 0,
        overrideAccess: true,
        req,
        disableErrors: true,
      })) as Doc | null)
    : null
  // The variant lives in its post's tenant (the tenant its create or update access was judged in).
  if (!post || idOf(merged.tenant) !== idOf(post.tenant))
    throw new APIError(`No social post ${postId ?? ''} in this tenant.`.replace('  ', ' '), 400, undefined, true)
  if (!EDITABLE.includes(post.status)) notEditable('post', post.status)
  const account = idOf(merged.account)!
  try {
    const { accounts } = await checkVariants(req.payload, req, {
      tenant: idOf(post.tenant)!,
      variants: [
        {
          account,
          text: String(merged.text ?? ''),
          thread: ((merged.thread ?? []) as { text: string }[]).map((p) => p.text),
          media: ((merged.media ?? []) as unknown[]).map((m) => idOf(m)!),
        },
      ],
      time: 'no',
    })
    const { docs: others } = await req.payload.find({
      collection: SOCIAL_VARIANTS as never,
      where: { and: [{ post: { equals: post.id } }, { account: { equals: account } }] },
      depth: 0,
      limit: 2,
      overrideAccess: true,
      req,
    })
    const acc = accounts.get(account)!
    if ((others as Doc[]).some((o) => String(o.id) !== String(originalDoc?.id)))
      throw new SocialError(
        409,
        `This post already has a variant for the ${PLATFORM_RULES[acc.platform as SocialPlatformId].name} account ${acc.name}; edit that one.`,
      )
    return {
      ...data,
      tenant: post.tenant,
      platform: acc.platform,
      link: variantLink(post.link, acc.platform, campaignOf(post.campaign, post.title), account),
      scheduledAt: post.scheduledAt ?? null,
      ...(operation === 'create' ? { status: post.status, attempt: 0 } : {}),
    }
  } catch (error) {
    asApiError(error)
  }
}

/** The post's status follows its variants when one is added, changed or removed over REST. */
export const recomputePostStatus: CollectionAfterChangeHook & CollectionAfterDeleteHook = async ({ doc, req }) => {
  if (byService(req)) return doc
  const post = idOf(doc?.post)
  if (post) {
    const exists = await req.payload.findByID({
      collection: SOCIAL_POSTS as never,
      id: post,
      depth: 0,
      overrideAccess: true,
      req,
      disableErrors: true,
    })
    if (exists) await refreshPostStatus(req.payload, post, req)
  }
  return doc
}
