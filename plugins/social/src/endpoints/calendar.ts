/**
 * `GET /api/social/calendar?tenant=&from=&to=` — the posts scheduled in [from, to) with their variants
 * (state, link or error) and accounts, plus the drafts and posts awaiting approval that have no time yet;
 * `GET /api/social/metrics?tenant=&from=&to=` — what the variants published in the range earned, per post
 * and per platform. Members of the tenant read both.
 */
import type { Endpoint, Payload, PayloadRequest } from 'payload'
import { z } from 'zod'
import { requireMember } from '../access.ts'
import { SOCIAL_ACCOUNTS, SOCIAL_POSTS, SOCIAL_VARIANTS } from '../constants.ts'
import { SocialError } from '../errors.ts'
import { type Doc, idOf } from '../posts.ts'
import { dateSchema, handle, parse, queryOf, tenantSchema } from './http.ts'

/** The longest range one request reads (a month view with its edges, with room). */
const MAX_RANGE_DAYS = 93
const METRICS = ['impressions', 'likes', 'reposts', 'replies', 'clicks'] as const
type Totals = Record<(typeof METRICS)[number], number>

const rangeQuery = z.object({ tenant: tenantSchema, from: dateSchema, to: dateSchema })

function rangeOf(req: PayloadRequest) {
  const q = parse(rangeQuery, queryOf(req))
  const from = new Date(q.from)
  const to = new Date(q.to)
  if (to <= from) throw new SocialError(400, 'to must be after from.')
  if (to.getTime() - from.getTime() > MAX_RANGE_DAYS * 86_400_000)
    throw new SocialError(400, `Ask for at most ${MAX_RANGE_DAYS} days at a time.`)
  return { tenant: q.tenant, from, to }
}

async function all(payload: Payload, req: PayloadRequest, collection: string, where: object, sort = 'id') {
  const { docs } = await payload.find({
    collection: collection as never,
    where: where as never,
    depth: 0,
    limit: 2000,
    pagination: false,
    sort,
    overrideAccess: true,
    req,
  })
  return docs as Doc[]
}

const accountSummary = (a: Doc) => ({
  id: a.id,
  platform: a.platform,
  name: a.name,
  handle: a.handle ?? null,
  url: a.url ?? null,
  avatarUrl: a.avatarUrl ?? null,
  active: a.active !== false,
})

export const calendarEndpoint: Endpoint = {
  path: '/social/calendar',
  method: 'get',
  handler: handle(async (req) => {
    const { tenant, from, to } = rangeOf(req)
    requireMember(req, tenant)
    const inTenant = { tenant: { equals: tenant } }
    const [scheduled, unscheduled, accounts] = await Promise.all([
      all(
        req.payload,
        req,
        SOCIAL_POSTS,
        {
          and: [
            inTenant,
            { scheduledAt: { greater_than_equal: from.toISOString() } },
            { scheduledAt: { less_than: to.toISOString() } },
          ],
        },
        'scheduledAt',
      ),
      all(req.payload, req, SOCIAL_POSTS, {
        and: [inTenant, { scheduledAt: { exists: false } }, { status: { in: ['draft', 'awaiting-approval'] } }],
      }),
      all(req.payload, req, SOCIAL_ACCOUNTS, inTenant),
    ])
    const posts = [...scheduled, ...unscheduled]
    const variants = posts.length
      ? await all(req.payload, req, SOCIAL_VARIANTS, { and: [inTenant, { post: { in: posts.map((p) => p.id) } }] })
      : []
    const withVariants = (p: Doc) => ({ ...p, variants: variants.filter((v) => idOf(v.post) === String(p.id)) })
    return Response.json({
      from: from.toISOString(),
      to: to.toISOString(),
      posts: scheduled.map(withVariants),
      unscheduled: unscheduled.map(withVariants),
      accounts: accounts.map(accountSummary),
    })
  }),
}

const zero = (): Totals => ({ impressions: 0, likes: 0, reposts: 0, replies: 0, clicks: 0 })
const add = (into: Totals, metrics: Doc | null | undefined) => {
  for (const k of METRICS) into[k] += Number(metrics?.[k] ?? 0) || 0
  return into
}

export const metricsEndpoint: Endpoint = {
  path: '/social/metrics',
  method: 'get',
  handler: handle(async (req) => {
    const { tenant, from, to } = rangeOf(req)
    requireMember(req, tenant)
    const variants = await all(req.payload, req, SOCIAL_VARIANTS, {
      and: [
        { tenant: { equals: tenant } },
        { status: { equals: 'published' } },
        { publishedAt: { greater_than_equal: from.toISOString() } },
        { publishedAt: { less_than: to.toISOString() } },
      ],
    })
    const postIds = [...new Set(variants.map((v) => idOf(v.post)!))]
    const posts = postIds.length
      ? await all(req.payload, req, SOCIAL_POSTS, { and: [{ tenant: { equals: tenant } }, { id: { in: postIds } }] })
      : []
    const platforms = new Map<string, { platform: string; variants: number } & Totals>()
    for (const v of variants) {
      const row = platforms.get(v.platform) ?? { platform: v.platform, variants: 0, ...zero() }
      row.variants++
      add(row, v.metrics)
      platforms.set(v.platform, row)
    }
    return Response.json({
      from: from.toISOString(),
      to: to.toISOString(),
      totals: variants.reduce<Totals>((t, v) => add(t, v.metrics), zero()),
      platforms: [...platforms.values()],
      posts: posts.map((p) => {
        const own = variants.filter((v) => idOf(v.post) === String(p.id))
        return {
          id: p.id,
          title: p.title,
          status: p.status,
          scheduledAt: p.scheduledAt ?? null,
          totals: own.reduce<Totals>((t, v) => add(t, v.metrics), zero()),
          variants: own.map((v) => ({
            id: v.id,
            platform: v.platform,
            account: idOf(v.account),
            publishedAt: v.publishedAt,
            platformUrl: v.platformUrl ?? null,
            metrics: { ...zero(), ...Object.fromEntries(METRICS.map((k) => [k, Number(v.metrics?.[k] ?? 0) || 0])) },
            collectedAt: v.metrics?.collectedAt ?? null,
          })),
        }
      }),
    })
  }),
}
