import type { Access, CollectionConfig } from 'payload'

export const PRODUCT_REVIEWS = 'product-reviews'

/**
 * Customer reviews and questions about a product, per tenant, with the shop's reply. The
 * `review-reply` agent drafts replies; an editor approves them (or writes their own).
 */
export function productReviewsCollection(access: ProductReviewsAccess): CollectionConfig {
  return {
    slug: PRODUCT_REVIEWS,
    labels: { singular: 'Product review', plural: 'Product reviews' },
    admin: {
      useAsTitle: 'summary',
      defaultColumns: ['summary', 'kind', 'rating', 'replyStatus', 'createdAt'],
      group: 'Commerce',
      description: 'What customers say and ask about products, and the shop’s replies.',
    },
    access: { read: access.read, create: access.create, update: access.update, delete: access.delete },
    fields: [
      {
        name: 'product',
        type: 'relationship',
        relationTo: 'product-content',
        required: true,
        admin: { description: 'The product the review or question is about.' },
      },
      {
        type: 'row',
        fields: [
          {
            name: 'kind',
            type: 'select',
            required: true,
            defaultValue: 'review',
            options: [
              { label: 'Review', value: 'review' },
              { label: 'Question', value: 'question' },
            ],
          },
          {
            name: 'rating',
            type: 'number',
            min: 1,
            max: 5,
            admin: {
              description: 'Stars, 1 to 5 (reviews only).',
              condition: (_, sibling) => sibling?.kind !== 'question',
            },
            validate: (value: unknown, { siblingData }: { siblingData: Record<string, unknown> }) => {
              if (siblingData?.kind === 'question') return true
              return typeof value === 'number' && Number.isInteger(value) && value >= 1 && value <= 5
                ? true
                : 'A review needs a rating of 1 to 5 stars'
            },
          },
          { name: 'authorName', type: 'text', required: true, maxLength: 120 },
        ],
      },
      { name: 'body', type: 'textarea', required: true, maxLength: 5000 },
      {
        name: 'summary',
        type: 'text',
        admin: { hidden: true },
        hooks: {
          beforeChange: [
            ({ siblingData }) => {
              const body = typeof siblingData?.body === 'string' ? siblingData.body.trim().replace(/\s+/g, ' ') : ''
              return body.length > 80 ? `${body.slice(0, 79)}…` : body
            },
          ],
        },
      },
      {
        name: 'reply',
        type: 'textarea',
        maxLength: 3000,
        admin: { description: 'The shop’s public reply. The review-reply agent drafts it for approval.' },
      },
      {
        name: 'replyStatus',
        type: 'select',
        defaultValue: 'open',
        options: [
          { label: 'Open', value: 'open' },
          { label: 'Answered', value: 'answered' },
        ],
        admin: { position: 'sidebar' },
      },
      { name: 'repliedAt', type: 'date', admin: { position: 'sidebar', readOnly: true } },
    ],
  }
}

export interface ProductReviewsAccess {
  read: Access
  create: Access
  update: Access
  delete: Access
}
