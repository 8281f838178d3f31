/** What the agents know about a Medusa product, read through the admin API. */
import type { HttpTypes, MedusaClient } from '@bizosaas/plugin-medusa'
import { z } from 'zod'

/** Fields of an admin product request: everything a description may draw on. */
export const PRODUCT_FIELDS =
  'id,title,subtitle,handle,status,description,material,thumbnail,*options,*options.values,*variants,*variants.options,*variants.options.option,*categories,*collection,*tags,*images'

export const productFactsSchema = z.object({
  medusaProductId: z.string().describe('Id of the product in Medusa'),
  handle: z.string().nullable().describe('URL handle of the product page'),
  title: z.string().describe('Product title'),
  subtitle: z.string().nullable().describe('Subtitle, if any'),
  material: z.string().nullable().describe('Material, if recorded'),
  collection: z.string().nullable().describe('Collection (product line) the product belongs to'),
  categories: z.array(z.string()).describe('Category names'),
  tags: z.array(z.string()).describe('Tags'),
  options: z
    .array(z.object({ title: z.string(), values: z.array(z.string()) }))
    .describe('Options customers choose from, e.g. Size with its values'),
  variants: z
    .array(
      z.object({
        title: z.string().nullable(),
        sku: z.string().nullable(),
        options: z.record(z.string(), z.string()).describe('Option title → value of this variant'),
      }),
    )
    .describe('Variants for sale'),
  description: z.string().nullable().describe('The description Medusa holds now'),
  imageCount: z.number().int().describe('Number of product images (thumbnail not counted separately)'),
})

export type ProductFacts = z.output<typeof productFactsSchema>

const text = (value: string | null | undefined) => (typeof value === 'string' && value.trim() ? value : null)

/** The facts of an admin product, as the model reads them. */
export function productFacts(product: HttpTypes.AdminProduct): ProductFacts {
  const optionTitles = new Map((product.options ?? []).map((option) => [option.id, option.title]))
  return {
    medusaProductId: product.id,
    handle: product.handle ?? null,
    title: product.title,
    subtitle: text(product.subtitle),
    material: text(product.material),
    collection: product.collection?.title ?? null,
    categories: (product.categories ?? []).map((category) => category.name),
    tags: (product.tags ?? []).map((tag) => tag.value),
    options: (product.options ?? []).map((option) => ({
      title: option.title,
      values: (option.values ?? []).map((value) => value.value),
    })),
    variants: (product.variants ?? []).map((variant) => ({
      title: variant.title ?? null,
      sku: variant.sku ?? null,
      options: Object.fromEntries(
        (variant.options ?? []).map((value) => [
          value.option?.title ?? optionTitles.get(value.option_id ?? '') ?? 'Option',
          value.value,
        ]),
      ),
    })),
    description: text(product.description),
    imageCount: (product.images ?? []).length,
  }
}

/** A product by id through the admin API. */
export async function retrieveProduct(client: MedusaClient, id: string): Promise<HttpTypes.AdminProduct> {
  const { product } = await client.admin.product.retrieve(id, { fields: PRODUCT_FIELDS })
  return product
}
