import { defineTool } from '@bizosaas/agents'
import { payloadOf, tenantRef } from '@bizosaas/plugin-agents'
import { z } from 'zod'
import { FIND_GAPS_TOOL, recordGaps } from '../audit-ledger.ts'
import { catalogGaps, contentByProduct, listChannelProducts } from '../catalog.ts'
import { CATALOG_GAPS, DESCRIPTION_MIN_CHARS } from '../constants.ts'
import { medusaOf, readTenant } from '../shop.ts'
import type { CommerceAgentOptions } from '../types.ts'

export const productGapSchema = z.object({
  productId: z.string().describe('Medusa product id'),
  title: z.string().describe('Product title'),
  missing: z.array(z.enum(CATALOG_GAPS)).describe('What the product lacks'),
  productContentId: z
    .union([z.number(), z.string()])
    .nullable()
    .describe('Its product-content document; null when none exists yet (no description can be queued)'),
})

/** `find-catalog-gaps` with the Medusa client of the options. */
export function createFindCatalogGapsTool(options: CommerceAgentOptions = {}) {
  return defineTool({
    id: FIND_GAPS_TOOL,
    description: `Lists this shop's products in Medusa (its sales channel) with its product-content documents, and returns the products that lack a description (empty or under ${DESCRIPTION_MIN_CHARS} characters), images, or SEO (meta title or meta description). Call it once; report its results as they are.`,
    input: z.object({}),
    output: z.object({
      productCount: z.number().int().describe('Products in the shop'),
      gaps: z.array(productGapSchema).describe('Products with at least one gap'),
    }),
    execute: async (_input, ctx) => {
      const payload = payloadOf(ctx.services)
      const tenant = await readTenant(payload, ctx.tenant)
      const salesChannelId = tenant?.commerce?.salesChannelId
      if (!salesChannelId)
        return {
          isError: true,
          message: 'This shop is not linked to Medusa yet (no sales channel): there is no catalog to audit',
        }
      const medusa = medusaOf(options, payload)
      const products = await listChannelProducts(medusa.client, salesChannelId, medusa.call)
      const content = await contentByProduct(payload, tenantRef(ctx.tenant))
      const gaps = catalogGaps(products, content)
      recordGaps(ctx.runId, gaps)
      return { productCount: products.length, gaps }
    },
  })
}
