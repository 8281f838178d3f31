import { defineTool } from '@bizosaas/agents'
import { idOf, payloadOf, readTenantDocument } from '@bizosaas/plugin-agents'
import { PRODUCT_CONTENT } from '@bizosaas/plugin-medusa'
import { z } from 'zod'
import { PRODUCT_REVIEWS } from '../collections/product-reviews.ts'
import { lexicalPlainText } from '../description.ts'
import { readTenant } from '../shop.ts'

export const getReviewTool = defineTool({
  id: 'get-review',
  description:
    "Reads a customer review or question of this tenant, with the product it is about (title, description, categories) and the shop's brand name. Read it before drafting a reply; product facts in a reply may only come from here.",
  input: z.object({
    id: z.union([z.number().int().positive(), z.string().min(1)]).describe('Id of the product-reviews document'),
  }),
  output: z.object({
    id: z.union([z.number(), z.string()]).describe('Id of the review'),
    kind: z.enum(['review', 'question']).describe('A review (with a star rating) or a question'),
    rating: z.number().nullable().describe('Stars, 1 to 5 (reviews only)'),
    authorName: z.string().describe('Name the customer gave'),
    body: z.string().describe('What the customer wrote'),
    currentReply: z.string().nullable().describe('A reply already stored, if any'),
    brand: z.string().describe('Name of the shop replying'),
    product: z
      .object({
        title: z.string().nullable().describe('Product title'),
        handle: z.string().nullable().describe('URL handle'),
        description: z.string().describe('Product description as plain text'),
        categories: z.array(z.string()).describe('Category names'),
      })
      .describe('The product the review is about'),
  }),
  execute: async ({ id }, ctx) => {
    const payload = payloadOf(ctx.services)
    const found = await readTenantDocument(payload, { collection: PRODUCT_REVIEWS, id }, ctx.tenant)
    if (found.error !== undefined) return { isError: true, message: found.error }
    const review = found.doc
    const productId = idOf(review.product)
    const product =
      productId === undefined
        ? undefined
        : await readTenantDocument(payload, { collection: PRODUCT_CONTENT, id: productId }, ctx.tenant)
    const content = product && product.error === undefined ? product.doc : undefined
    const tenant = await readTenant(payload, ctx.tenant)
    const description = lexicalPlainText(content?.description) || String(content?.medusaDescription ?? '')
    return {
      id: review.id,
      kind: review.kind === 'question' ? ('question' as const) : ('review' as const),
      rating: typeof review.rating === 'number' ? review.rating : null,
      authorName: String(review.authorName ?? ''),
      body: String(review.body ?? ''),
      currentReply: typeof review.reply === 'string' && review.reply.trim() ? review.reply : null,
      brand: tenant?.name ?? 'the shop',
      product: {
        title: typeof content?.title === 'string' ? content.title : null,
        handle: typeof content?.handle === 'string' ? content.handle : null,
        description,
        categories: Array.isArray(content?.categories) ? (content.categories as string[]) : [],
      },
    }
  },
})
