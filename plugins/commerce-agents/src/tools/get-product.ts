import { defineTool } from '@bizosaas/agents'
import { payloadOf, readTenantDocument } from '@bizosaas/plugin-agents'
import { medusaStatus, PRODUCT_CONTENT } from '@bizosaas/plugin-medusa'
import { z } from 'zod'
import { lexicalPlainText } from '../description.ts'
import { productFacts, productFactsSchema, retrieveProduct } from '../products.ts'
import { medusaOf } from '../shop.ts'
import type { CommerceAgentOptions } from '../types.ts'

/** `get-product` with the Medusa client of the options (tests point it elsewhere). */
export function createGetProductTool(options: CommerceAgentOptions = {}) {
  return defineTool({
    id: 'get-product',
    description:
      'Reads a product of this tenant: its product-content document (current description and SEO) and the product in Medusa (title, options, variants, categories, collection, tags, material, images). Read it before writing about the product; it is the only source of product facts.',
    input: z.object({
      id: z.union([z.number().int().positive(), z.string().min(1)]).describe('Id of the product-content document'),
    }),
    output: productFactsSchema.extend({
      productContentId: z.union([z.number(), z.string()]).describe('Id of the product-content document'),
      contentDescription: z.string().describe('The description on the product page in the CMS, as plain text'),
      seo: z
        .object({
          metaTitle: z.string().nullable(),
          metaDescription: z.string().nullable(),
          keywords: z.array(z.string()),
        })
        .describe('Current search metadata'),
    }),
    execute: async ({ id }, ctx) => {
      const payload = payloadOf(ctx.services)
      const found = await readTenantDocument(payload, { collection: PRODUCT_CONTENT, id }, ctx.tenant)
      if (found.error !== undefined) return { isError: true, message: found.error }
      const { doc } = found
      const medusa = medusaOf(options, payload)
      let product: Awaited<ReturnType<typeof retrieveProduct>>
      try {
        product = await medusa.call('a product read', (client) => retrieveProduct(client, String(doc.medusaProductId)))
      } catch (error) {
        const status = medusaStatus(error)
        return {
          isError: true,
          message:
            status === 404
              ? `The product ${doc.medusaProductId} no longer exists in Medusa`
              : `Medusa could not be read (${error instanceof Error ? error.message : String(error)}); try again later`,
        }
      }
      const seo = (doc.seo ?? {}) as { metaTitle?: string | null; metaDescription?: string | null; keywords?: string[] }
      return {
        productContentId: doc.id,
        ...productFacts(product),
        contentDescription: lexicalPlainText(doc.description),
        seo: {
          metaTitle: seo.metaTitle ?? null,
          metaDescription: seo.metaDescription ?? null,
          keywords: seo.keywords ?? [],
        },
      }
    },
  })
}

export const getProductTool = createGetProductTool()
