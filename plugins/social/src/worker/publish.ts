/**
 * The `social.publish-variant` job: posts one variant exactly once.
 *
 * Why a post cannot be made twice:
 * 1. One job per variant (exclusive queue), and one attempt per claim: `scheduled` → `publishing` is a
 *    single guarded UPDATE that bumps `attempt`; only its winner calls the platform, once.
 * 2. Every later write names the attempt (`WHERE status = 'publishing' AND attempt = n`): an attempt that
 *    was taken over can no longer record anything.
 * 3. An unknown outcome (timeout, 5xx, dropped connection) becomes `unconfirmed` and is never re-sent by
 *    the worker — a person checks, confirms or republishes (endpoints/variants.ts).
 * 4. A variant found in `publishing` was left by a dead worker (kill -9). It is taken over only once the
 *    dead attempt's call has certainly ended (claim older than the publish timeout, at which every call is
 *    abandoned), then settled: a platform that de-duplicates by idempotency key gets the same request
 *    again (`settle: 'key'`); otherwise the platform is asked whether the post exists (`settle: 'lookup'`)
 *    and it is re-sent only when the platform says it does not. That is safe because `lookup` is
 *    authoritative by contract — it reads the account's own posts, not a search index that may lag — and
 *    the dead call can no longer land after it. A lookup that fails leaves the variant `unconfirmed`.
 */
import { PLATFORM_RULES, type SocialPlatformId } from '@bizosaas/contracts/social'
import { connectionClient } from '@bizosaas/plugin-connectors'
import type { Payload } from 'payload'
import type { JobWithMetadata, PgBoss } from 'pg-boss'
import { PUBLISH_QUEUE, SOCIAL_ACCOUNTS, SOCIAL_VARIANTS } from '../constants.ts'
import { type AnySocialPlatform, PublishError, type PublishedRef, type PublishInput } from '../platforms/define.ts'
import {
  claimVariant,
  failScheduled,
  markPublished,
  reclaimVariant,
  selectVariant,
  settleAttempt,
  type VariantRow,
} from '../sql.ts'
import { type ResolvedSocialQueueConfig, socialPlatformsOf, socialQueueConfigOf, staleClaimSeconds } from './config.ts'
import { publishMediaOf } from './media.ts'
import { scheduleMetrics } from './metrics.ts'
import type { Pacer } from './pacing.ts'
import { inTransaction, type PublishJob, poolOf, publishQueueOptions } from './queue.ts'
import { rollupPost } from './rollup.ts'

/** What a publish job needs besides Payload: the platforms, the pacer, the queue. */
export interface PublishContext {
  boss: PgBoss
  platforms: ReadonlyMap<string, AnySocialPlatform>
  pacer: Pacer
  config?: ResolvedSocialQueueConfig
  /** Longest wait for the account's rate limit inside the job before deferring it instead. @default 2000 */
  maxInlineWaitMs?: number
}

/** What one job did (returned as the job's output; tests and logs read it). */
export type PublishOutcome =
  | 'published'
  | 'failed'
  | 'unconfirmed'
  | 'rate-limited'
  | 'deferred'
  | 'skipped'
  | 'settled-found'

interface AccountDoc {
  id: number | string
  platform: SocialPlatformId
  connection?: number | string | { id: number | string } | null
  targetId: string
  targetType: 'profile' | 'organization' | 'page' | 'business'
  name: string
  handle?: string | null
  url?: string | null
  avatarUrl?: string | null
  active?: boolean | null
}

interface VariantDoc {
  id: number | string
  text?: string | null
  thread?: { text?: string | null }[] | null
  media?: (number | string | { id: number | string })[] | null
}

const idOf = (value: unknown) =>
  value && typeof value === 'object' ? (value as { id: number | string }).id : (value as number | string | null)
const nameOf = (platform: string) => PLATFORM_RULES[platform as SocialPlatformId]?.name ?? platform
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

/** The idempotency key of a variant: the same on every attempt, so a key-settling platform de-duplicates. */
export const idempotencyKeyOf = (variant: number | string) => `bizosaas-social-variant-${variant}`

/** Replaces this job with one for the same variant starting at `at` (one transaction: never zero or two). */
async function deferJob(payload: Payload, ctx: PublishContext, job: JobWithMetadata<PublishJob>, at: Date) {
  const options = publishQueueOptions(ctx.config ?? socialQueueConfigOf(payload))
  await inTransaction(payload, async (db) => {
    await ctx.boss.complete(PUBLISH_QUEUE, { id: job.id, retryCount: job.retryCount }, null, { db })
    await ctx.boss.send(PUBLISH_QUEUE, job.data, {
      ...options,
      singletonKey: job.singletonKey ?? undefined,
      startAfter: at,
      db,
    })
  })
}

/** Works one publish job. */
export async function publishVariant(
  payload: Payload,
  job: JobWithMetadata<PublishJob>,
  ctx: PublishContext,
): Promise<PublishOutcome> {
  const pool = poolOf(payload)
  const variant = await selectVariant(pool, job.data.variant)
  if (!variant) return 'skipped'
  if (variant.status === 'scheduled') {
    // Moved later since this job was queued: come back then (the variant is untouched).
    if (variant.scheduledAt && variant.scheduledAt.getTime() > Date.now()) {
      await deferJob(payload, ctx, job, variant.scheduledAt)
      return 'deferred'
    }
    return publishScheduled(payload, job, ctx, variant)
  }
  if (variant.status === 'publishing') return settleInterrupted(payload, job, ctx, variant)
  // Published, failed, unconfirmed, back to draft: nothing to do.
  return 'skipped'
}

type Target =
  | { problem?: undefined; platform: AnySocialPlatform; account: AccountDoc; client: unknown }
  | { problem: string; code: string; retry?: boolean }

/** The account, platform and client a variant posts with; a reason in words when one is unusable. */
async function resolveTarget(
  payload: Payload,
  platforms: ReadonlyMap<string, AnySocialPlatform>,
  variant: VariantRow,
  signal: AbortSignal,
): Promise<Target> {
  const platform = platforms.get(variant.platform)
  const name = nameOf(variant.platform)
  if (!platform) return { problem: `${name} publishing is not installed on this server`, code: 'no-platform' }
  const account = (await payload
    .findByID({ collection: SOCIAL_ACCOUNTS as never, id: variant.account, depth: 0, overrideAccess: true })
    .catch(() => null)) as AccountDoc | null
  if (!account || account.active === false)
    return { problem: `The ${name} account of this post was removed or turned off`, code: 'no-account' }
  const connection = idOf(account.connection)
  const reconnect = `reconnect ${name} under Integrations`
  try {
    const client = await connectionClient(payload, {
      tenant: variant.tenant,
      connector: platform.connector,
      ...(connection != null ? { connection } : {}),
      signal,
    })
    return { platform, account, client }
  } catch (error) {
    const code = (error as { code?: string }).code
    if (code === 'needs-reconnect' || code === 'not-connected')
      return { problem: `${name} is not connected any more: ${reconnect}`, code: 'needs-reconnect' }
    if (code === 'unavailable')
      return { problem: `${name} could not be reached to sign in`, code: 'unavailable', retry: true }
    return { problem: `${name}: ${(error as Error).message}`, code: 'connection-error' }
  }
}

async function publishInputOf(
  payload: Payload,
  variant: VariantRow,
  account: AccountDoc,
  claimedAt: Date,
  signal: AbortSignal,
): Promise<PublishInput> {
  const doc = (await payload.findByID({
    collection: SOCIAL_VARIANTS as never,
    id: variant.id,
    depth: 0,
    overrideAccess: true,
  })) as unknown as VariantDoc
  const mediaIds = (doc.media ?? []).map(idOf).filter((id): id is number | string => id != null)
  return {
    variantId: String(variant.id),
    idempotencyKey: idempotencyKeyOf(variant.id),
    target: {
      id: account.targetId,
      type: account.targetType,
      name: account.name,
      handle: account.handle ?? undefined,
      url: account.url ?? undefined,
      avatarUrl: account.avatarUrl ?? undefined,
    },
    text: doc.text ?? '',
    thread: (doc.thread ?? []).map((part) => part.text ?? '').filter((text) => text.trim().length > 0),
    media: await publishMediaOf(payload, mediaIds),
    claimedAt,
    signal,
  }
}

/** Runs `call` with the publish timeout: the signal aborts it, and the promise rejects at the deadline anyway. */
async function withDeadline<T>(timeoutMs: number, controller: AbortController, call: () => Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      controller.abort(new Error('timeout'))
      reject(Object.assign(new Error('timeout'), { timeout: true }))
    }, timeoutMs)
  })
  try {
    return await Promise.race([call(), deadline])
  } finally {
    clearTimeout(timer)
  }
}

/** Records a success: published with the platform's ids, metrics readings enqueued. */
async function recordPublished(payload: Payload, variant: VariantRow, attempt: number, ref: PublishedRef) {
  if (!(await markPublished(poolOf(payload), variant.id, attempt, ref))) return false
  await rollupPost(payload, variant.post)
  await scheduleMetrics(payload, variant.id, new Date())
  return true
}

/**
 * Calls `platform.publish` once and records the outcome for `attempt`. Returns the outcome (and, for
 * `rate-limited`, when to try again).
 */
async function sendOnce(
  payload: Payload,
  ctx: PublishContext,
  variant: VariantRow,
  attempt: number,
  target: { platform: AnySocialPlatform; account: AccountDoc; client: unknown },
  claimedAt: Date,
  controller: AbortController,
): Promise<{ outcome: PublishOutcome; retryAt?: Date }> {
  const config = ctx.config ?? socialQueueConfigOf(payload)
  const pool = poolOf(payload)
  const name = nameOf(variant.platform)
  let input: PublishInput
  try {
    input = await publishInputOf(payload, variant, target.account, claimedAt, controller.signal)
  } catch (error) {
    // Nothing was sent: the attachment is gone.
    await settleAttempt(pool, variant.id, attempt, 'failed', (error as Error).message, 'media')
    await rollupPost(payload, variant.post)
    return { outcome: 'failed' }
  }
  try {
    const ref = await withDeadline(config.publishTimeoutMs, controller, () =>
      target.platform.publish(target.client, input),
    )
    await recordPublished(payload, variant, attempt, ref)
    return { outcome: 'published' }
  } catch (error) {
    const outcome = await recordFailure(payload, variant, attempt, name, error, config)
    await rollupPost(payload, variant.post)
    return outcome
  }
}

async function recordFailure(
  payload: Payload,
  variant: VariantRow,
  attempt: number,
  name: string,
  error: unknown,
  config: ResolvedSocialQueueConfig,
): Promise<{ outcome: PublishOutcome; retryAt?: Date }> {
  const pool = poolOf(payload)
  if (error instanceof PublishError) {
    const code = error.options.platformCode ?? error.kind
    switch (error.kind) {
      case 'rejected':
        await settleAttempt(pool, variant.id, attempt, 'failed', error.message, code)
        return { outcome: 'failed' }
      case 'needs-reconnect':
        await settleAttempt(
          pool,
          variant.id,
          attempt,
          'failed',
          `${error.message} — reconnect ${name} under Integrations`,
          'needs-reconnect',
        )
        return { outcome: 'failed' }
      case 'rate-limited': {
        // Nothing was posted: back to scheduled, and the job comes back when the platform allows.
        const waitMs = error.options.retryAfterMs ?? 60_000
        await settleAttempt(pool, variant.id, attempt, 'scheduled', null, null)
        return { outcome: 'rate-limited', retryAt: new Date(Date.now() + waitMs) }
      }
      default:
        await settleAttempt(pool, variant.id, attempt, 'unconfirmed', unconfirmedText(name, error.message), 'unknown')
        return { outcome: 'unconfirmed' }
    }
  }
  const code = (error as { code?: string }).code
  if (error instanceof Error && error.name === 'ConnectionError' && code === 'needs-reconnect') {
    // The token was refused and could not be refreshed: the request was not accepted.
    await settleAttempt(
      pool,
      variant.id,
      attempt,
      'failed',
      `${name} is not connected any more: reconnect ${name} under Integrations`,
      'needs-reconnect',
    )
    return { outcome: 'failed' }
  }
  const timedOut = (error as { timeout?: boolean }).timeout
  const reason = timedOut
    ? `${name} did not answer within ${Math.round(config.publishTimeoutMs / 1000)} s`
    : `${name} call ended without an answer (${(error as Error).message})`
  await settleAttempt(pool, variant.id, attempt, 'unconfirmed', unconfirmedText(name, reason), 'unknown')
  return { outcome: 'unconfirmed' }
}

const unconfirmedText = (name: string, reason: string) =>
  `${reason}. It may or may not be on ${name}: check it, then confirm it or republish.`

/** A due `scheduled` variant: pace, claim, post once. */
async function publishScheduled(
  payload: Payload,
  job: JobWithMetadata<PublishJob>,
  ctx: PublishContext,
  variant: VariantRow,
): Promise<PublishOutcome> {
  const pool = poolOf(payload)
  const controller = new AbortController()
  const target = await resolveTarget(payload, ctx.platforms, variant, controller.signal)
  if (target.problem !== undefined) {
    if (target.retry) {
      await deferJob(payload, ctx, job, new Date(Date.now() + 60_000))
      return 'deferred'
    }
    if (await failScheduled(pool, variant.id, target.problem, target.code)) await rollupPost(payload, variant.post)
    return 'failed'
  }
  // A slot first, then the account's limit: a point is taken right before the call it pays for, so the
  // platform sees no more calls per window than the limit (not points taken, then calls queued for a slot).
  const release = await ctx.pacer.slot(target.platform)
  try {
    // Over the limit: wait briefly in the job, else defer the job (the variant stays scheduled).
    const maxInline = ctx.maxInlineWaitMs ?? 2000
    for (;;) {
      const waitMs = await ctx.pacer.take(target.platform, variant.account)
      if (waitMs === 0) break
      if (waitMs > maxInline) {
        await deferJob(payload, ctx, job, new Date(Date.now() + waitMs))
        return 'rate-limited'
      }
      await sleep(waitMs)
    }
    const claimed = await claimVariant(pool, variant.id)
    if (!claimed) {
      // Still scheduled but not due by the database's clock (ahead of this process's): come back then.
      const now = await selectVariant(pool, variant.id)
      if (now?.status !== 'scheduled') return 'skipped'
      await deferJob(payload, ctx, job, new Date(Math.max(Date.now() + 500, now.scheduledAt?.getTime() ?? 0)))
      return 'deferred'
    }
    // The post shows `publishing` while the call is made (not before it: the call is what is timed).
    const shown = rollupPost(payload, variant.post).catch((error) =>
      payload.logger.warn({ err: error, post: variant.post }, 'social: post status not updated'),
    )
    const result = await sendOnce(payload, ctx, claimed, claimed.attempt, target, claimed.claimedAt!, controller)
    await shown
    if (result.retryAt) await deferJob(payload, ctx, job, result.retryAt)
    return result.outcome
  } finally {
    release()
  }
}

/** A variant left `publishing` by a worker that died mid-call: take it over and settle it (see the file's comment). */
async function settleInterrupted(
  payload: Payload,
  job: JobWithMetadata<PublishJob>,
  ctx: PublishContext,
  variant: VariantRow,
): Promise<PublishOutcome> {
  const config = ctx.config ?? socialQueueConfigOf(payload)
  const pool = poolOf(payload)
  const stale = staleClaimSeconds(config)
  const reclaimed = await reclaimVariant(pool, variant.id, variant.attempt, stale)
  if (!reclaimed) {
    // Its call may still be in flight: come back when it has certainly ended.
    const claimedAt = variant.claimedAt?.getTime() ?? Date.now()
    await deferJob(payload, ctx, job, new Date(Math.max(claimedAt + stale * 1000 + 250, Date.now() + 500)))
    return 'deferred'
  }
  const attempt = reclaimed.attempt
  const name = nameOf(variant.platform)
  const controller = new AbortController()
  const target = await resolveTarget(payload, ctx.platforms, reclaimed, controller.signal)
  if (target.problem !== undefined) {
    // The dead attempt may have posted: without a client we cannot check, so a person must.
    await settleAttempt(
      pool,
      variant.id,
      attempt,
      'unconfirmed',
      unconfirmedText(name, `The publisher stopped mid-call and could not check (${target.problem})`),
      'interrupted',
    )
    await rollupPost(payload, variant.post)
    return 'unconfirmed'
  }
  const release = await ctx.pacer.slot(target.platform)
  try {
    if (target.platform.settle === 'lookup') {
      let found: PublishedRef | null
      try {
        const input = await publishInputOf(payload, reclaimed, target.account, reclaimed.since, controller.signal)
        found = await withDeadline(config.publishTimeoutMs, controller, () =>
          target.platform.lookup(target.client, input),
        )
      } catch (error) {
        await settleAttempt(
          pool,
          variant.id,
          attempt,
          'unconfirmed',
          unconfirmedText(
            name,
            `The publisher stopped mid-call and ${name} could not be asked (${(error as Error).message})`,
          ),
          'interrupted',
        )
        await rollupPost(payload, variant.post)
        return 'unconfirmed'
      }
      if (found) {
        await recordPublished(payload, reclaimed, attempt, found)
        return 'settled-found'
      }
      // Not there (authoritatively): the dead attempt posted nothing; send it now, once.
    }
    // settle 'key': the same idempotency key makes the platform return the first post if it was made.
    const fresh = new AbortController()
    const result = await sendOnce(payload, ctx, reclaimed, attempt, target, reclaimed.since, fresh)
    if (result.retryAt) await deferJob(payload, ctx, job, result.retryAt)
    return result.outcome
  } finally {
    release()
  }
}

/**
 * Asks the platform now whether the post for `variant` exists (the "Check" button of an unconfirmed
 * variant). Returns what it found, or null; throws with the platform's reason in words.
 */
export async function lookupVariantNow(payload: Payload, variant: VariantRow): Promise<PublishedRef | null> {
  const config = socialQueueConfigOf(payload)
  const platforms = new Map(socialPlatformsOf(payload).map((p) => [p.id as string, p]))
  const controller = new AbortController()
  const target = await resolveTarget(payload, platforms, variant, controller.signal)
  if (target.problem !== undefined) throw new Error(target.problem)
  const since = new Date(
    Math.min(variant.scheduledAt?.getTime() ?? Date.now(), variant.claimedAt?.getTime() ?? Date.now()),
  )
  const input = await publishInputOf(payload, variant, target.account, since, controller.signal)
  return withDeadline(config.publishTimeoutMs, controller, () => target.platform.lookup(target.client, input))
}
