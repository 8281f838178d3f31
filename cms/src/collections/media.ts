import type { CollectionConfig } from 'payload'
import { contentAccess } from '../access/content.ts'
import { revalidateStorefrontHooks } from '../hooks/revalidate-storefront.ts'

/** Uploaded images and files, resized by sharp. */
export function media(staticDir: string): CollectionConfig {
  return {
    slug: 'media',
    admin: { useAsTitle: 'alt', defaultColumns: ['filename', 'alt', 'updatedAt'] },
    access: contentAccess,
    hooks: revalidateStorefrontHooks(),
    upload: {
      staticDir,
      mimeTypes: ['image/*', 'application/pdf'],
      imageSizes: [
        { name: 'thumbnail', width: 400, height: 300, position: 'centre' },
        { name: 'card', width: 768, height: 512, position: 'centre' },
        { name: 'hero', width: 1600, withoutEnlargement: true },
      ],
      adminThumbnail: 'thumbnail',
      focalPoint: true,
    },
    fields: [
      {
        name: 'alt',
        type: 'text',
        required: true,
        localized: true,
        label: 'Alternative text',
        admin: { description: 'Describe the image for people who cannot see it.' },
      },
      { name: 'caption', type: 'text', localized: true },
    ],
  }
}
