/** The blocks an editor composes pages from. */
import type { Block } from 'payload'
import { linkFields } from '../fields/link.ts'

export const heroBlock: Block = {
  slug: 'hero',
  interfaceName: 'HeroBlock',
  fields: [
    { name: 'heading', type: 'text', required: true },
    { name: 'subheading', type: 'textarea' },
    { name: 'image', type: 'upload', relationTo: 'media' },
    { name: 'cta', type: 'group', label: 'Call to action', fields: linkFields({ required: false }) },
  ],
}

export const richTextBlock: Block = {
  slug: 'richText',
  interfaceName: 'RichTextBlock',
  fields: [{ name: 'content', type: 'richText', required: true }],
}

export const mediaBlock: Block = {
  slug: 'media',
  interfaceName: 'MediaBlock',
  fields: [
    { name: 'media', type: 'upload', relationTo: 'media', required: true },
    { name: 'caption', type: 'text' },
  ],
}

export const callToActionBlock: Block = {
  slug: 'callToAction',
  interfaceName: 'CallToActionBlock',
  fields: [
    { name: 'heading', type: 'text', required: true },
    { name: 'text', type: 'textarea' },
    { name: 'links', type: 'array', minRows: 1, maxRows: 2, required: true, fields: linkFields() },
  ],
}

const FEATURED_SOURCES = [
  { label: 'Newest products', value: 'newest' },
  { label: 'Products I pick', value: 'picked' },
  { label: 'A collection (by handle)', value: 'collection' },
  { label: 'A category (by handle)', value: 'category' },
] as const

type FeaturedSource = (typeof FEATURED_SOURCES)[number]['value']
const relationId = (value: unknown): number | string | undefined =>
  typeof value === 'object' && value !== null
    ? (value as { id?: number | string }).id
    : (value as number | string | undefined)
const sourceOf = (siblingData: unknown) => (siblingData as { source?: FeaturedSource } | undefined)?.source

/** Products from the tenant's shop on a page; the storefront renders them with prices in the shopper's region. */
export const featuredProductsBlock: Block = {
  slug: 'featuredProducts',
  interfaceName: 'FeaturedProductsBlock',
  labels: { singular: 'Featured products', plural: 'Featured products' },
  fields: [
    { name: 'heading', type: 'text', required: true, defaultValue: 'Featured products', maxLength: 120 },
    {
      name: 'source',
      type: 'select',
      required: true,
      defaultValue: 'newest',
      options: [...FEATURED_SOURCES],
      admin: { description: 'Where the products come from. Prices, stock and images always come from the shop.' },
    },
    {
      name: 'products',
      type: 'relationship',
      relationTo: 'product-content',
      hasMany: true,
      maxRows: 12,
      // Only this page's tenant's products can be picked (checked on save too).
      filterOptions: ({ data }) => (data?.tenant ? { tenant: { equals: data.tenant } } : true),
      admin: { condition: (_, siblingData) => sourceOf(siblingData) === 'picked' },
      // Checked here as well as by filterOptions: the local API and jobs skip filterOptions.
      validate: async (value: unknown, { siblingData, data, req }) => {
        if (sourceOf(siblingData) !== 'picked') return true
        const ids = (Array.isArray(value) ? value : []).map((v) => (typeof v === 'object' && v ? v.id : v))
        if (ids.length === 0) return 'Pick at least one product, or choose another source.'
        const tenant = relationId((data as { tenant?: unknown } | undefined)?.tenant)
        if (tenant === undefined) return 'Choose the page’s tenant before picking products.'
        const found = await req.payload.count({
          collection: 'product-content',
          where: { and: [{ id: { in: ids } }, { tenant: { equals: tenant } }] },
          overrideAccess: true,
          req,
        })
        return found.totalDocs === new Set(ids).size ? true : 'Pick only products of this page’s shop.'
      },
    },
    {
      name: 'handle',
      type: 'text',
      maxLength: 100,
      admin: {
        condition: (_, siblingData) => ['collection', 'category'].includes(sourceOf(siblingData) ?? ''),
        description: 'The handle of the collection or category in the shop, e.g. "lighting".',
      },
      validate: (value: unknown, { siblingData }: { siblingData: unknown }) => {
        if (!['collection', 'category'].includes(sourceOf(siblingData) ?? '')) return true
        return typeof value === 'string' && /^[a-z0-9][a-z0-9-]*$/.test(value)
          ? true
          : 'Enter the handle: lower-case letters, digits and dashes, e.g. "lighting".'
      },
    },
    {
      name: 'limit',
      type: 'number',
      required: true,
      defaultValue: 4,
      min: 1,
      max: 12,
      admin: { condition: (_, siblingData) => sourceOf(siblingData) !== 'picked', step: 1 },
    },
  ],
}

export const pageBlocks: Block[] = [heroBlock, richTextBlock, mediaBlock, callToActionBlock, featuredProductsBlock]
