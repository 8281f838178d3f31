import type { CollectionConfig } from 'payload'
import { contentAccess } from '../access/content.ts'
import { slugField } from '../fields/slug.ts'

export const categories: CollectionConfig = {
  slug: 'categories',
  admin: { useAsTitle: 'title', defaultColumns: ['title', 'slug'] },
  access: contentAccess,
  indexes: [{ fields: ['tenant', 'slug'], unique: true }],
  fields: [{ name: 'title', type: 'text', required: true, localized: true }, slugField()],
}
