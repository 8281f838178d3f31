import { defineTool } from '@bizosaas/agents'
import { payloadOf, tenantRef } from '@bizosaas/plugin-agents'
import { z } from 'zod'

export const searchPostsTool = defineTool({
  id: 'search-posts',
  description:
    "Searches this tenant's posts (published and drafts) by words in their title or excerpt. Use it to avoid repeating an existing article and to find posts worth mentioning.",
  input: z.object({
    query: z.string().trim().min(2).max(100).describe('Words to look for in titles and excerpts'),
    limit: z.number().int().min(1).max(20).optional().describe('Most posts to return. Default 10'),
  }),
  output: z.object({
    posts: z
      .array(
        z.object({
          id: z.union([z.number(), z.string()]).describe('Id of the post'),
          title: z.string().describe('Title'),
          slug: z.string().describe('URL slug'),
          status: z.string().nullable().describe('"draft" or "published"'),
          excerpt: z.string().nullable().describe('Short summary'),
        }),
      )
      .describe('Matching posts, newest first'),
  }),
  execute: async ({ query, limit }, ctx) => {
    if (!ctx.tenant) return { isError: true, message: 'Refused: this run has no tenant, and posts belong to tenants' }
    const payload = payloadOf(ctx.services)
    const found = await payload.find({
      collection: 'posts' as never,
      where: {
        and: [
          { tenant: { equals: tenantRef(ctx.tenant) } },
          { or: [{ title: { like: query } }, { excerpt: { like: query } }] },
        ],
      },
      sort: '-createdAt',
      limit: limit ?? 10,
      depth: 0,
      draft: true,
      overrideAccess: true,
    })
    return {
      posts: found.docs.map((raw) => {
        const doc = raw as unknown as Record<string, unknown>
        return {
          id: doc.id as number | string,
          title: String(doc.title ?? ''),
          slug: String(doc.slug ?? ''),
          status: typeof doc._status === 'string' ? doc._status : null,
          excerpt: typeof doc.excerpt === 'string' ? doc.excerpt : null,
        }
      }),
    }
  },
})
