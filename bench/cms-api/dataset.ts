/**
 * The benchmark's data, created the same way on both sides: the demo seed (2 tenants, users per
 * role, pages, media, categories, 6 posts) plus published copies of the seeded posts up to `totalPosts`.
 * CoreLDove's copies come first and Bizoholic's last, by its manager, so the newest page of posts
 * (what `GET /api/posts?limit=10` returns) is the same ten documents for Bizoholic's manager on our
 * CMS (tenant-scoped) and for any signed-in user on the bare config.
 */

import { seed } from '@bizosaas/cms/seed'
import type { Payload } from 'payload'

export const BENCH_USER = 'manager@bizoholic.dev'
/** Tenants in creation order of their extra posts; the last one's posts are the newest. */
const TENANT_ORDER = ['coreldove', 'bizoholic'] as const

type Id = number
interface PostRow {
  title: string
  slug: string
  excerpt?: string | null
  content: unknown
  coverImage?: Id | null
  categories?: Id[] | null
  seo?: Record<string, unknown> | null
}

/** Seeds the demo data and the extra posts; returns how many documents each collection holds. */
export async function seedBenchData(payload: Payload, totalPosts: number): Promise<Record<string, number>> {
  await seed(payload)
  const seeded = (await payload.count({ collection: 'posts' })).totalDocs
  const extra = Math.max(0, totalPosts - seeded)
  // Bizoholic gets the larger half, and at least a full page.
  const perTenant = { coreldove: Math.floor(extra * 0.45), bizoholic: extra - Math.floor(extra * 0.45) }

  for (const slug of TENANT_ORDER) {
    const tenant = (await payload.find({ collection: 'tenants', where: { slug: { equals: slug } }, depth: 0 })).docs[0]!
    const author = (
      await payload.find({ collection: 'users', where: { email: { equals: `manager@${slug}.dev` } }, depth: 0 })
    ).docs[0]!
    const templates = (
      await payload.find({
        collection: 'posts',
        where: { tenant: { equals: tenant.id } },
        sort: 'createdAt',
        depth: 0,
        pagination: false,
      })
    ).docs as unknown as PostRow[]
    for (let i = 1; i <= perTenant[slug]; i++) {
      const t = templates[i % templates.length]!
      await payload.create({
        collection: 'posts',
        draft: false,
        data: {
          tenant: tenant.id,
          title: `${t.title} (part ${i})`,
          slug: `${t.slug}-part-${i}`,
          excerpt: t.excerpt,
          content: t.content,
          coverImage: t.coverImage,
          categories: t.categories,
          author: author.id,
          seo: t.seo,
          _status: 'published',
          publishedAt: new Date(Date.UTC(2026, 0, 1) + i * 86_400_000).toISOString(),
        } as never,
      })
    }
  }

  const counts: Record<string, number> = {}
  for (const collection of ['tenants', 'users', 'pages', 'posts', 'categories', 'media'] as const)
    counts[collection] = (await payload.count({ collection })).totalDocs
  return counts
}
