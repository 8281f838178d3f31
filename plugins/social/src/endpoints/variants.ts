/**
 * What a person does with a variant whose outcome the publisher could not settle:
 * `POST /api/social/variants/:id/check` (ask the platform now; found → published),
 * `/confirm` ({ url? }: "it is on the platform" → published) and `/republish` (failed or unconfirmed →
 * scheduled now; an unconfirmed one only with `confirmNotPosted: true` — "I checked, it is not there" —
 * since re-sending a post that is there would post it twice). Managers and tenant admins of the
 * variant's tenant; each state change is one guarded UPDATE, so two clicks cannot both act.
 */
import { PLATFORM_RULES, type SocialPlatformId, type VariantStatus } from '@bizosaas/contracts/social'
import type { Endpoint, PayloadRequest } from 'payload'
import { z } from 'zod'
import { requireEditor } from '../access.ts'
import { SocialError } from '../errors.ts'
import { confirmPublished, rescheduleNow, selectVariant, type VariantRow } from '../sql.ts'
import { scheduleMetrics } from '../worker/metrics.ts'
import { lookupVariantNow } from '../worker/publish.ts'
import { poolOf } from '../worker/queue.ts'
import { rollupPost } from '../worker/rollup.ts'
import { schedulePublish } from '../worker/schedule.ts'
import { handle, parse, readJson, routeId, tenantSchema } from './http.ts'

const nameOf = (platform: string) => PLATFORM_RULES[platform as SocialPlatformId]?.name ?? platform
const SETTLEABLE: readonly VariantStatus[] = ['unconfirmed', 'failed']

/** The variant of the path, in the tenant the body names (404 when it is another tenant's). */
async function variantOf(req: PayloadRequest, tenant: number): Promise<VariantRow> {
  const variant = await selectVariant(poolOf(req.payload), routeId(req, 'social variant'))
  if (!variant || String(variant.tenant) !== String(tenant))
    throw new SocialError(404, `No social variant ${req.routeParams?.id} in tenant ${tenant}.`)
  return variant
}

async function answer(req: PayloadRequest, id: number, extra: Record<string, unknown> = {}) {
  const variant = await req.payload.findByID({
    collection: 'social-variants' as never,
    id,
    depth: 0,
    overrideAccess: true,
  })
  return Response.json({ variant, ...extra })
}

const tenantBody = z.object({ tenant: tenantSchema })

export const checkVariantEndpoint: Endpoint = {
  path: '/social/variants/:id/check',
  method: 'post',
  handler: handle(async (req) => {
    const { tenant } = parse(tenantBody, await readJson(req))
    await requireEditor(req, tenant)
    const variant = await variantOf(req, tenant)
    const name = nameOf(variant.platform)
    if (!SETTLEABLE.includes(variant.status))
      throw new SocialError(
        409,
        `This ${name} variant is ${variant.status}; only unconfirmed or failed ones are checked.`,
      )
    let found: Awaited<ReturnType<typeof lookupVariantNow>>
    try {
      found = await lookupVariantNow(req.payload, variant)
    } catch (error) {
      throw new SocialError(
        502,
        `${name} could not be asked: ${(error as Error).message}. Try again, or check it yourself.`,
      )
    }
    if (!found) return answer(req, variant.id, { found: false, message: `${name} has no post for this variant.` })
    if (await confirmPublished(poolOf(req.payload), variant.id, SETTLEABLE, { ...found, postId: found.postId })) {
      await rollupPost(req.payload, variant.post)
      await scheduleMetrics(req.payload, variant.id, new Date())
    }
    return answer(req, variant.id, { found: true })
  }),
}

const confirmBody = z.object({
  tenant: tenantSchema,
  url: z
    .url({ protocol: /^https?$/, message: 'give the post’s web address (https://…)' })
    .max(2000)
    .optional(),
})

export const confirmVariantEndpoint: Endpoint = {
  path: '/social/variants/:id/confirm',
  method: 'post',
  handler: handle(async (req) => {
    const { tenant, url } = parse(confirmBody, await readJson(req))
    await requireEditor(req, tenant)
    const variant = await variantOf(req, tenant)
    if (!SETTLEABLE.includes(variant.status))
      throw new SocialError(
        409,
        `This ${nameOf(variant.platform)} variant is ${variant.status}; only unconfirmed or failed ones can be confirmed.`,
      )
    if (!(await confirmPublished(poolOf(req.payload), variant.id, SETTLEABLE, { postId: null, url: url ?? null })))
      throw new SocialError(409, 'The variant changed meanwhile; reload it.')
    await rollupPost(req.payload, variant.post)
    return answer(req, variant.id)
  }),
}

const republishBody = z.object({
  tenant: tenantSchema,
  confirmNotPosted: z
    .boolean()
    .optional()
    .describe('For an unconfirmed variant: the person checked that it is not on the platform'),
})

export const republishVariantEndpoint: Endpoint = {
  path: '/social/variants/:id/republish',
  method: 'post',
  handler: handle(async (req) => {
    const { tenant, confirmNotPosted } = parse(republishBody, await readJson(req))
    await requireEditor(req, tenant)
    const variant = await variantOf(req, tenant)
    const name = nameOf(variant.platform)
    if (!SETTLEABLE.includes(variant.status))
      throw new SocialError(
        409,
        `This ${name} variant is ${variant.status}; only failed or unconfirmed ones are republished.`,
      )
    if (variant.status === 'unconfirmed' && confirmNotPosted !== true)
      throw new SocialError(
        409,
        `It is not known whether this post reached ${name}. Check ${name} first; republish with confirmNotPosted: true only if it is not there ("I checked, it is not on ${name}").`,
      )
    const pool = poolOf(req.payload)
    if (!(await rescheduleNow(pool, variant.id, [variant.status])))
      throw new SocialError(409, 'The variant changed meanwhile; reload it.')
    await rollupPost(req.payload, variant.post)
    await schedulePublish(req.payload, [variant.id])
    return answer(req, variant.id)
  }),
}

export const variantEndpoints: Endpoint[] = [checkVariantEndpoint, confirmVariantEndpoint, republishVariantEndpoint]
