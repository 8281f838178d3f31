import type { CollectionConfig } from 'payload'
import { contentAccess } from '../access/content.ts'
import { pageBlocks } from '../blocks/index.ts'
import { seoField } from '../fields/seo.ts'
import { slugField } from '../fields/slug.ts'
import { revalidateStorefrontHooks } from '../hooks/revalidate-storefront.ts'

export const pages: CollectionConfig = {
  slug: 'pages',
  admin: { useAsTitle: 'title', defaultColumns: ['title', 'slug', '_status', 'updatedAt'] },
  access: contentAccess,
  hooks: revalidateStorefrontHooks(),
  versions: { drafts: true, maxPerDoc: 50 },
  indexes: [{ fields: ['tenant', 'slug'], unique: true }],
  fields: [
    { name: 'title', type: 'text', required: true, localized: true },
    slugField(),
    { name: 'layout', type: 'blocks', blocks: pageBlocks, required: true, minRows: 1, localized: true },
    seoField,
  ],
}
