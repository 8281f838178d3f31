import { createInventoryLevelsWorkflow, createProductsWorkflow, useQueryGraphStep } from '@medusajs/core-flows'
import type { CreateProductWorkflowInputDTO } from '@medusajs/framework/types'
import { ProductStatus } from '@medusajs/framework/utils'
import { createWorkflow, transform, WorkflowResponse, when } from '@medusajs/framework/workflows-sdk'
import { type CatalogueProduct, expandVariants, stockFor } from '../../../scripts/data/catalogue'
import { uploadProductImagesStep } from '../steps/upload-product-images'

export interface CreateCatalogueProductsInput {
  /** Shown on the generated images. */
  tenantName: string
  salesChannelId: string
  /** Where managed variants get their stock. */
  stockLocationId: string
  shippingProfileId: string
  products: CatalogueProduct[]
  /** Handle → id of the categories and collections the products refer to. */
  categoryIds: Record<string, string>
  collectionIds: Record<string, string>
}

export const createCatalogueProductsWorkflowId = 'create-catalogue-products'

/**
 * Creates a tenant's products in its sales channel: images (generated and uploaded), options, variants
 * with EUR and USD prices, then stock at the tenant's location for variants that manage inventory.
 */
export const createCatalogueProductsWorkflow = createWorkflow(
  createCatalogueProductsWorkflowId,
  (input: CreateCatalogueProductsInput) => {
    const imageInput = transform({ input }, ({ input }) => ({
      images: input.products.map((product) => ({
        handle: product.handle,
        title: product.title,
        caption: input.tenantName,
        colour: product.colour,
      })),
    }))
    const imageUrls = uploadProductImagesStep(imageInput)

    const productsInput = transform({ input, imageUrls }, ({ input, imageUrls }) => ({
      products: input.products.map(
        (product): CreateProductWorkflowInputDTO => ({
          title: product.title,
          subtitle: product.subtitle,
          handle: product.handle,
          description: product.description,
          status: ProductStatus.PUBLISHED,
          material: product.material,
          weight: product.weight,
          thumbnail: imageUrls[product.handle],
          images: [{ url: imageUrls[product.handle]! }],
          category_ids: product.category ? [input.categoryIds[product.category]!] : [],
          collection_id: product.collection ? input.collectionIds[product.collection] : undefined,
          shipping_profile_id: input.shippingProfileId,
          sales_channels: [{ id: input.salesChannelId }],
          options: product.options,
          variants: expandVariants(product).map((variant) => ({
            ...variant,
            manage_inventory: product.manageInventory,
          })),
        }),
      ),
    }))
    const products = createProductsWorkflow.runAsStep({ input: productsInput })

    const managedSkus = transform({ input }, ({ input }) =>
      input.products.filter((p) => p.manageInventory).flatMap((p) => expandVariants(p).map((v) => v.sku)),
    )
    when({ managedSkus }, ({ managedSkus }) => managedSkus.length > 0).then(() => {
      const { data: variants } = useQueryGraphStep({
        entity: 'product_variant',
        fields: ['id', 'sku', 'inventory_items.inventory_item_id'],
        filters: { sku: managedSkus },
      }).config({ name: 'query-managed-variants' })
      const levels = transform({ input, variants }, ({ input, variants }) => ({
        inventory_levels: variants.flatMap((variant) =>
          ((variant.inventory_items ?? []) as { inventory_item_id: string }[]).map((item) => ({
            location_id: input.stockLocationId,
            inventory_item_id: item.inventory_item_id,
            stocked_quantity: stockFor(variant.sku ?? variant.id),
          })),
        ),
      }))
      createInventoryLevelsWorkflow.runAsStep({ input: levels })
    })

    return new WorkflowResponse(products)
  },
)
