import { defineAgent } from '@bizosaas/agents'
import {
  type DocumentData,
  type DocumentRef,
  documentTarget,
  type PayloadAgent,
  payloadOf,
  requireTenantDocument,
  sameContent,
  updateDocument,
} from '@bizosaas/plugin-agents'
import { PRODUCT_CONTENT } from '@bizosaas/plugin-medusa'
import { z } from 'zod'
import { META_DESCRIPTION_MAX, META_TITLE_MAX } from '../constants.ts'
import { DEFAULT_MODELS } from '../defaults.ts'
import { descriptionLexical, descriptionPlainText, lexicalPlainText } from '../description.ts'
import { feedbackField, feedbackLines } from '../inputs.ts'
import { medusaOf } from '../shop.ts'
import { createGetProductTool } from '../tools/get-product.ts'
import type { CommerceAgentOptions } from '../types.ts'

export const productDescriptionInput = z.object({
  target: documentTarget([PRODUCT_CONTENT]),
  feedback: feedbackField(),
})

export const productDescriptionOutput = z.object({
  description: z
    .object({
      paragraphs: z
        .array(
          z
            .string()
            .trim()
            .min(40)
            .max(600)
            .describe('One paragraph of plain text (40 to 600 characters), no markdown'),
        )
        .min(2)
        .max(5)
        .describe('2 to 5 paragraphs: what the product is and does, then materials, sizes and use'),
      highlights: z
        .array(z.string().trim().min(2).max(120).describe('A short fact, e.g. "Hand-blown opal glass"'))
        .max(6)
        .describe('0 to 6 short bullet points of key facts taken from the product data'),
    })
    .describe('The product page description'),
  metaTitle: z
    .string()
    .trim()
    .min(10)
    .max(META_TITLE_MAX)
    .describe(`Meta title shown in search results: at most ${META_TITLE_MAX} characters, product name first`),
  metaDescription: z
    .string()
    .trim()
    .min(50)
    .max(META_DESCRIPTION_MAX)
    .describe(`Meta description shown under the title: 50 to ${META_DESCRIPTION_MAX} characters`),
  keywords: z
    .array(z.string().trim().min(2).max(60).describe('A keyword or key phrase, lower case'))
    .min(1)
    .max(10)
    .describe('1 to 10 search phrases shoppers would type to find this product, most important first'),
})

export type ProductDescriptionProposal = z.output<typeof productDescriptionOutput>

const INSTRUCTIONS = `You write product page copy and search metadata for an online shop.
1. Call get-product with the product-content id. It is your only source of facts.
2. Answer with JSON:
   - description.paragraphs: 2 to 5 plain-text paragraphs (40 to 600 characters each): what the product is and what it is for, then materials, sizes, options and care as the data shows them.
   - description.highlights: up to 6 short bullet facts (materials, sizes, options, finishes) taken from the data.
   - metaTitle: at most ${META_TITLE_MAX} characters, product name first.
   - metaDescription: 50 to ${META_DESCRIPTION_MAX} characters that invite the click.
   - keywords: 1 to 10 lower-case search phrases, most important first.
Never invent specifications, dimensions, certifications, materials, prices, stock or delivery promises that are not in the product data. If the data is thin, write less rather than guess. No markdown, no emoji, no superlatives you cannot back up.`

interface SeoFields {
  metaTitle: string
  metaDescription: string
  keywords: string[]
}

const seoOf = (doc: DocumentData): SeoFields => {
  const seo = (doc.seo ?? {}) as {
    metaTitle?: string | null
    metaDescription?: string | null
    keywords?: string[] | null
  }
  return { metaTitle: seo.metaTitle ?? '', metaDescription: seo.metaDescription ?? '', keywords: seo.keywords ?? [] }
}

/**
 * The `product-description` agent: a product page description with highlights and SEO for a
 * product-content document, written to Medusa and the CMS after approval.
 */
export function createProductDescriptionAgent(options: CommerceAgentOptions = {}) {
  return defineAgent({
    slug: 'product-description',
    description: 'Writes the description, highlights and SEO metadata of a product from its Medusa data',
    input: productDescriptionInput,
    output: productDescriptionOutput,
    instructions: INSTRUCTIONS,
    prompt: (input) =>
      [
        `Write the description and SEO metadata of product-content ${input.target.id}.`,
        `Read it with get-product (id ${JSON.stringify(input.target.id)}).`,
        ...feedbackLines(input.feedback),
      ].join('\n'),
    tools: [createGetProductTool(options)],
    model: options.models ?? DEFAULT_MODELS,
    approval: true,
    maxSteps: 6,
    /**
     * Writes Medusa first (the store API serves its description), then the product-content document.
     * A failed Medusa write throws before the CMS changes, so the apply job's retry starts clean; a
     * second call finds both written and changes nothing.
     */
    apply: async (output, ctx) => {
      const payload = payloadOf(ctx.services)
      const ref: DocumentRef = { collection: PRODUCT_CONTENT, id: ctx.input.target.id }
      const doc = await requireTenantDocument(payload, ref, ctx.tenant)
      const productId = String(doc.medusaProductId)
      const text = descriptionPlainText(output.description)

      const medusa = medusaOf(options, payload)
      const { product } = await medusa.call('a product read', (client) =>
        client.admin.product.retrieve(productId, { fields: 'id,description' }),
      )
      const medusaChanged = product.description !== text
      if (medusaChanged)
        await medusa.call('a product update', (client) =>
          client.admin.product.update(productId, { description: text }, { fields: 'id' }),
        )

      const next = {
        description: descriptionLexical(output.description),
        medusaDescription: text,
        seo: { metaTitle: output.metaTitle, metaDescription: output.metaDescription, keywords: output.keywords },
      }
      const contentChanged = !(
        sameContent(doc.description, next.description) &&
        doc.medusaDescription === text &&
        sameContent(seoOf(doc), next.seo)
      )
      if (contentChanged) await updateDocument(payload, ref, ctx.tenant, next, { latest: doc })
      return { productContentId: doc.id, medusaProductId: productId, changed: medusaChanged || contentChanged }
    },
  })
}

export const productDescriptionAgent = createProductDescriptionAgent()

/** `product-description` hosted in Payload: "Run agent" on product content, the current copy beside the proposal. */
export function productDescriptionPayloadAgent(
  options: CommerceAgentOptions = {},
): PayloadAgent<ReturnType<typeof createProductDescriptionAgent>> {
  return {
    agent: createProductDescriptionAgent(options),
    label: 'Product description',
    targets: [PRODUCT_CONTENT],
    current: async ({ payload, input, tenant }) => {
      const doc = await requireTenantDocument(payload, input.target as DocumentRef, tenant)
      return { description: lexicalPlainText(doc.description), ...seoOf(doc) }
    },
  }
}
