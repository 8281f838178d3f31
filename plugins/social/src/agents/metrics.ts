/**
 * What worked on social media: the tenant's variants published in the last 7 or 28 days with the metrics
 * the collector stored, summed by platform, ranked by post, and the hour and weekday (UTC) whose posts
 * drew the most engagement on average. `social-insights` may state only these numbers.
 */
import type { Id } from '@bizosaas/plugin-agents'
import type { Payload } from 'payload'
import { SOCIAL_POSTS, SOCIAL_VARIANTS } from '../constants.ts'

export const METRIC_NAMES = ['impressions', 'likes', 'reposts', 'replies', 'clicks'] as const
type Metric = (typeof METRIC_NAMES)[number]
type Totals = Record<Metric | 'engagements', number>

export const WEEKDAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'] as const

export interface SocialMetricsReport {
  days: number
  /** Variants published in the window. */
  published: number
  totals: Totals
  byPlatform: (Totals & { platform: string; posts: number; engagementRatePct: number | null })[]
  topPosts: (Totals & { post: Id; title: string; platforms: string[] })[]
  bestHourUtc: { hour: number; posts: number; avgEngagements: number } | null
  bestWeekday: { weekday: string; posts: number; avgEngagements: number } | null
}

const zero = (): Totals => ({ impressions: 0, likes: 0, reposts: 0, replies: 0, clicks: 0, engagements: 0 })
const round1 = (n: number) => Math.round(n * 10) / 10

function add(into: Totals, metrics: Record<string, unknown> | undefined) {
  for (const name of METRIC_NAMES) into[name] += Number(metrics?.[name] ?? 0) || 0
  into.engagements = into.likes + into.reposts + into.replies + into.clicks
}

/** The best bucket by average engagements per variant (ties: more posts, then the smaller key). */
function best<K extends string | number>(buckets: Map<K, { posts: number; engagements: number }>) {
  let winner: { key: K; posts: number; avg: number } | null = null
  for (const [key, { posts, engagements }] of buckets) {
    const avg = engagements / posts
    if (!winner || avg > winner.avg || (avg === winner.avg && posts > winner.posts)) winner = { key, posts, avg }
  }
  return winner
}

/** The report over the `days` before `now`. */
export async function socialMetricsReport(
  payload: Payload,
  tenant: Id,
  days: number,
  now: Date = new Date(),
): Promise<SocialMetricsReport> {
  const since = new Date(now.getTime() - days * 86_400_000).toISOString()
  const found = await payload.find({
    collection: SOCIAL_VARIANTS as never,
    where: {
      and: [
        { tenant: { equals: tenant } },
        { status: { equals: 'published' } },
        { publishedAt: { greater_than_equal: since } },
        { publishedAt: { less_than_equal: now.toISOString() } },
      ],
    },
    depth: 0,
    limit: 0,
    pagination: false,
    overrideAccess: true,
  })
  const variants = found.docs as unknown as {
    post: unknown
    platform: string
    publishedAt: string
    metrics?: Record<string, unknown>
  }[]
  const postIds = [
    ...new Set(variants.map((v) => String(typeof v.post === 'object' ? (v.post as { id: Id }).id : v.post))),
  ]
  const posts = postIds.length
    ? await payload.find({
        collection: SOCIAL_POSTS as never,
        where: { id: { in: postIds } },
        depth: 0,
        limit: 0,
        pagination: false,
        overrideAccess: true,
      })
    : { docs: [] }
  const titles = new Map(posts.docs.map((p) => [String((p as { id: Id }).id), String((p as { title?: string }).title)]))

  const totals = zero()
  const platforms = new Map<string, Totals & { posts: number }>()
  const byPost = new Map<string, Totals & { platforms: Set<string> }>()
  const hours = new Map<number, { posts: number; engagements: number }>()
  const weekdays = new Map<number, { posts: number; engagements: number }>()
  for (const variant of variants) {
    const own = zero()
    add(own, variant.metrics)
    add(totals, variant.metrics)
    const platform = platforms.get(variant.platform) ?? { ...zero(), posts: 0 }
    add(platform, variant.metrics)
    platform.posts++
    platforms.set(variant.platform, platform)
    const postId = String(typeof variant.post === 'object' ? (variant.post as { id: Id }).id : variant.post)
    const post = byPost.get(postId) ?? { ...zero(), platforms: new Set<string>() }
    add(post, variant.metrics)
    post.platforms.add(variant.platform)
    byPost.set(postId, post)
    const at = new Date(variant.publishedAt)
    for (const [map, key] of [
      [hours, at.getUTCHours()],
      [weekdays, at.getUTCDay()],
    ] as const) {
      const bucket = map.get(key) ?? { posts: 0, engagements: 0 }
      bucket.posts++
      bucket.engagements += own.engagements
      map.set(key, bucket)
    }
  }
  const pick = (t: Totals): Totals => ({
    impressions: t.impressions,
    likes: t.likes,
    reposts: t.reposts,
    replies: t.replies,
    clicks: t.clicks,
    engagements: t.engagements,
  })
  const hour = best(hours)
  const weekday = best(weekdays)
  return {
    days,
    published: variants.length,
    totals,
    byPlatform: [...platforms]
      .map(([platform, t]) => ({
        platform,
        posts: t.posts,
        ...pick(t),
        engagementRatePct: t.impressions ? round1((t.engagements / t.impressions) * 100) : null,
      }))
      .sort((a, b) => b.engagements - a.engagements || a.platform.localeCompare(b.platform)),
    topPosts: [...byPost]
      .map(([post, t]) => ({
        post: post as Id,
        title: titles.get(post) ?? '',
        platforms: [...t.platforms].sort(),
        ...pick(t),
      }))
      .sort((a, b) => b.engagements - a.engagements || b.impressions - a.impressions)
      .slice(0, 5),
    bestHourUtc: hour ? { hour: hour.key, posts: hour.posts, avgEngagements: round1(hour.avg) } : null,
    bestWeekday: weekday
      ? { weekday: WEEKDAYS[weekday.key]!, posts: weekday.posts, avgEngagements: round1(weekday.avg) }
      : null,
  }
}

const NUMBER = /\d[\d,]*(?:\.\d+)?/g

/** Every number a report holds (and the window), as the summary may quote them. */
export function reportNumbers(reports: readonly unknown[]): Set<number> {
  const numbers = new Set<number>([0])
  const walk = (value: unknown) => {
    if (typeof value === 'number') numbers.add(value)
    else if (Array.isArray(value)) value.forEach(walk)
    else if (value && typeof value === 'object') Object.values(value).forEach(walk)
  }
  reports.forEach(walk)
  return numbers
}

/** Numbers in `text` that none of the tool results hold. */
export function unsupportedNumbers(text: string, allowed: ReadonlySet<number>): string[] {
  return [...text.matchAll(NUMBER)].map((m) => m[0]).filter((raw) => !allowed.has(Number(raw.replace(/,/g, ''))))
}
