import { Modules } from '@medusajs/framework/utils'
import { createStep, StepResponse } from '@medusajs/framework/workflows-sdk'
import { type ProductImageData, renderProductImage } from '../product-image'

export interface UploadProductImagesInput {
  images: (ProductImageData & { handle: string })[]
}

/** Product handle → URL of its uploaded image. */
export type UploadProductImagesOutput = Record<string, string>

export const uploadProductImagesStepId = 'upload-product-images'

/** Renders one PNG per product and stores it with the file module; compensation deletes the files. */
export const uploadProductImagesStep = createStep(
  uploadProductImagesStepId,
  async (input: UploadProductImagesInput, { container }) => {
    const files = container.resolve(Modules.FILE)
    const uploaded = await files.createFiles(
      await Promise.all(
        input.images.map(async (image) => ({
          filename: `${image.handle}.png`,
          mimeType: 'image/png',
          content: (await renderProductImage(image)).toString('base64'),
          access: 'public' as const,
        })),
      ),
    )
    const urls: UploadProductImagesOutput = Object.fromEntries(
      input.images.map((image, i) => [image.handle, uploaded[i]!.url]),
    )
    return new StepResponse(
      urls,
      uploaded.map((file) => file.id),
    )
  },
  async (fileIds, { container }) => {
    if (fileIds?.length) await container.resolve(Modules.FILE).deleteFiles(fileIds)
  },
)
