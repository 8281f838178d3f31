/**
 * Payload content per tenant: pages (blocks), posts and product content, published only, cached under
 * `pages:<tenant>`, `posts:<tenant>` and `product-content:<tenant>` (revalidated by the CMS's hook).
 */

import { isPathSlug } from '@lib/path-slug'
import { z } from 'zod'
import { cmsGet, cmsQuery } from './cms'
import type { Tenant } from './tenants'

const seoSchema = z
  .object({
    metaTitle: z.string().nullish(),
    metaDescription: z.string().nullish(),
    ogImage: z.unknown().nullish(),
  })
  .passthrough()
  .nullish()

const blockSchema = z.object({ blockType: z.string(), id: z.string().nullish() }).passthrough()

export const pageSchema = z.object({
  id: z.union([z.number(), z.string()]),
  title: z.string(),
  slug: z.string(),
  layout: z
    .array(blockSchema)
    .nullish()
    .transform((v) => v ?? []),
  seo: seoSchema,
  updatedAt: z.string().nullish(),
})

export type CmsPage = z.output<typeof pageSchema>
export type CmsBlock = z.output<typeof blockSchema>

export const postSchema = z.object({
  id: z.union([z.number(), z.string()]),
  title: z.string(),
  slug: z.string(),
  excerpt: z.string().nullish(),
  content: z.unknown(),
  coverImage: z.unknown().nullish(),
  publishedAt: z.string().nullish(),
  updatedAt: z.string().nullish(),
  seo: seoSchema,
})

export type CmsPost = z.output<typeof postSchema>

const docs = <T extends z.ZodType>(schema: T) =>
  z.object({ docs: z.array(schema), totalPages: z.number().optional(), page: z.number().optional() })

const published = (tenant: Tenant) => ({ tenant: { equals: tenant.id }, _status: { equals: 'published' } })

export async function getPage(tenant: Tenant, slug: string): Promise<CmsPage | null> {
  if (!isPathSlug(slug)) return null
  const query = cmsQuery({ where: { ...published(tenant), slug: { equals: slug } }, depth: 1, limit: 1 })
  return (await cmsGet(`/pages${query}`, docs(pageSchema), { tags: [`pages:${tenant.slug}`] })).docs[0] ?? null
}

export async function listPageSlugs(tenant: Tenant): Promise<{ slug: string; updatedAt?: string | null }[]> {
  const query = cmsQuery({
    where: published(tenant),
    depth: 0,
    limit: 500,
    'select[slug]': true,
    'select[updatedAt]': true,
  })
  const schema = docs(z.object({ slug: z.string(), updatedAt: z.string().nullish() }))
  return (await cmsGet(`/pages${query}`, schema, { tags: [`pages:${tenant.slug}`] })).docs
}

export async function listPosts(tenant: Tenant, page = 1) {
  const query = cmsQuery({ where: published(tenant), depth: 1, limit: 10, page, sort: '-publishedAt' })
  return cmsGet(`/posts${query}`, docs(postSchema), { tags: [`posts:${tenant.slug}`] })
}

export async function getPost(tenant: Tenant, slug: string): Promise<CmsPost | null> {
  if (!isPathSlug(slug)) return null
  const query = cmsQuery({ where: { ...published(tenant), slug: { equals: slug } }, depth: 1, limit: 1 })
  return (await cmsGet(`/posts${query}`, docs(postSchema), { tags: [`posts:${tenant.slug}`] })).docs[0] ?? null
}

const productContentSchema = z.object({
  description: z.unknown().nullish(),
  seo: z.object({ metaTitle: z.string().nullish(), metaDescription: z.string().nullish() }).nullish(),
  gallery: z.array(z.object({ medusaImageId: z.string(), caption: z.string().nullish() })).nullish(),
})

export type ProductContent = z.output<typeof productContentSchema>

/** The editorial side of a Medusa product, when the CMS has one. */
export async function getProductContent(tenant: Tenant, medusaProductId: string): Promise<ProductContent | null> {
  const query = cmsQuery({
    where: { tenant: { equals: tenant.id }, medusaProductId: { equals: medusaProductId } },
    depth: 0,
    limit: 1,
  })
  try {
    return (
      (
        await cmsGet(`/product-content${query}`, docs(productContentSchema), {
          tags: [`product-content:${tenant.slug}`],
        })
      ).docs[0] ?? null
    )
  } catch {
    // The product page still works from Medusa's own text when the CMS is away.
    return null
  }
}
