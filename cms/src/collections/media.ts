import type { CollectionConfig } from 'payload'
import { contentAccess } from '../access/content.ts'
import { revalidateStorefrontHooks } from '../hooks/revalidate-storefront.ts'

/**
 * WebP renditions of wide images (hero blocks, media blocks, post covers) for the storefront's srcset:
 * `heroPhone` is what a phone screen needs (800 px covers a 412 px wide screen at 1.75× density, the
 * Lighthouse mobile device), `heroWide` the desktop width; WebP at quality 75 is a fraction of the
 * original JPEG/PNG. Smaller originals are never enlarged (the size is then left out).
 */
const webp = { format: 'webp' as const, options: { quality: 75 } }

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
        { name: 'heroPhone', width: 800, withoutEnlargement: true, formatOptions: webp },
        { name: 'heroWide', width: 1600, withoutEnlargement: true, formatOptions: webp },
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
