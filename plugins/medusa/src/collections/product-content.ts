import type { Access, CollectionConfig } from 'payload'
import { PRODUCT_CONTENT } from '../constants.ts'

/**
 * The content side of a Medusa product, per tenant: what editors and agents write (a rich description,
 * SEO, gallery captions) beside a mirror of what Medusa owns (title, handle, status, images), which the
 * sync keeps in step. One document per tenant and product; the sync creates and deletes them, editors
 * only update the editorial fields.
 */
export function productContentCollection(access: ProductContentAccess): CollectionConfig {
  const mirrored = { readOnly: true }
  return {
    slug: PRODUCT_CONTENT,
    labels: { singular: 'Product content', plural: 'Product content' },
    admin: {
      useAsTitle: 'title',
      defaultColumns: ['title', 'handle', 'status', 'sync.state', 'sync.syncedAt'],
      group: 'Commerce',
      description: 'Descriptions, SEO and captions of the shop’s products. Products themselves are managed in Medusa.',
    },
    access: {
      read: access.read,
      update: access.update,
      // Documents follow Medusa products: the sync creates and deletes them.
      create: access.manage,
      delete: access.manage,
    },
    indexes: [{ fields: ['tenant', 'medusaProductId'], unique: true }],
    fields: [
      { name: 'title', type: 'text', required: true, admin: mirrored },
      {
        type: 'row',
        fields: [
          {
            name: 'medusaProductId',
            type: 'text',
            required: true,
            index: true,
            label: 'Medusa product id',
            admin: mirrored,
          },
          { name: 'handle', type: 'text', index: true, admin: mirrored },
          {
            name: 'status',
            type: 'select',
            options: ['draft', 'proposed', 'published', 'rejected'],
            admin: mirrored,
          },
        ],
      },
      {
        name: 'description',
        type: 'richText',
        admin: {
          description:
            'The product page’s description. Starts as Medusa’s text; the product-description agent and editors improve it here.',
        },
      },
      {
        name: 'medusaDescription',
        type: 'textarea',
        label: 'Description in Medusa',
        admin: { ...mirrored, description: 'The plain-text description Medusa holds (the store API returns it).' },
      },
      {
        name: 'seo',
        type: 'group',
        label: 'SEO',
        fields: [
          { name: 'metaTitle', type: 'text', maxLength: 70 },
          { name: 'metaDescription', type: 'textarea', maxLength: 170 },
          { name: 'keywords', type: 'text', hasMany: true },
        ],
      },
      { name: 'thumbnail', type: 'text', admin: mirrored },
      {
        name: 'gallery',
        type: 'array',
        admin: { description: 'The product’s images in Medusa; write a caption (alt text) for each.' },
        fields: [
          { name: 'medusaImageId', type: 'text', required: true, admin: mirrored },
          { name: 'url', type: 'text', required: true, admin: mirrored },
          { name: 'caption', type: 'text', maxLength: 200 },
        ],
      },
      {
        name: 'categories',
        type: 'text',
        hasMany: true,
        admin: { ...mirrored, description: 'Category names in Medusa.' },
      },
      {
        name: 'sync',
        type: 'group',
        admin: { position: 'sidebar' },
        fields: [
          {
            name: 'state',
            type: 'select',
            defaultValue: 'synced',
            options: ['synced', 'failed'],
            admin: mirrored,
          },
          { name: 'syncedAt', type: 'date', admin: { ...mirrored, date: { pickerAppearance: 'dayAndTime' } } },
          { name: 'medusaUpdatedAt', type: 'date', admin: { ...mirrored, hidden: true } },
          {
            name: 'error',
            type: 'textarea',
            admin: { ...mirrored, condition: (_, sibling) => Boolean(sibling?.error) },
          },
        ],
      },
    ],
  }
}

export interface ProductContentAccess {
  /** Who reads product content (the multi-tenant plugin adds "only your tenants"). */
  read: Access
  /** Who edits the editorial fields. */
  update: Access
  /** Who may create and delete documents by hand (the sync itself overrides access). */
  manage: Access
}
