/**
 * `social-posts`: one message, with a variant per account (`social-variants`). Its `status` is computed
 * from the variants by the service (`postStatusOf`) and read-only over REST and GraphQL, like the
 * approval and the metrics totals. Text, link and time of a post that is scheduled or further along
 * cannot be edited over the API: unschedule it first.
 */
import type { CollectionConfig } from 'payload'
import { SOCIAL_POSTS } from '../constants.ts'
import type { ResolvedSocialConfig } from '../types.ts'
import { metricFields, readOnly, statusField } from './fields.ts'
import { cascadeVariants, guardPostDelete, guardPostEdit, syncVariantsOfPost } from './hooks.ts'

export function socialPostsCollection(config: ResolvedSocialConfig): CollectionConfig {
  const overrides = config.collectionOverrides[SOCIAL_POSTS] ?? {}
  const on = config.enabled
  return {
    ...overrides,
    slug: SOCIAL_POSTS,
    labels: { singular: 'Social post', plural: 'Social posts' },
    admin: {
      useAsTitle: 'title',
      defaultColumns: ['title', 'status', 'scheduledAt', 'campaign'],
      group: 'Social',
      ...overrides.admin,
    },
    access: {
      read: config.access.read,
      create: config.access.write,
      update: config.access.write,
      delete: config.access.write,
      ...overrides.access,
    },
    hooks: {
      ...overrides.hooks,
      beforeChange: [...(on ? [guardPostEdit] : []), ...(overrides.hooks?.beforeChange ?? [])],
      afterChange: [...(on ? [syncVariantsOfPost] : []), ...(overrides.hooks?.afterChange ?? [])],
      beforeDelete: [...(on ? [guardPostDelete] : []), ...(overrides.hooks?.beforeDelete ?? [])],
      afterDelete: [...(on ? [cascadeVariants] : []), ...(overrides.hooks?.afterDelete ?? [])],
    },
    fields: [
      { name: 'title', type: 'text', required: true, maxLength: 200 },
      statusField('Computed from the variants: draft → awaiting-approval → scheduled → publishing → published.'),
      { name: 'scheduledAt', type: 'date', index: true, admin: { date: { pickerAppearance: 'dayAndTime' } } },
      {
        name: 'campaign',
        type: 'text',
        maxLength: 100,
        admin: { description: 'The UTM campaign of the variants’ links (utm_campaign).' },
      },
      {
        name: 'link',
        type: 'text',
        maxLength: 2000,
        admin: { description: 'The page, product or blog post linked, before UTM parameters.' },
      },
      {
        name: 'source',
        type: 'group',
        fields: [
          {
            name: 'kind',
            type: 'select',
            defaultValue: 'none',
            options: ['post', 'page', 'product', 'brief', 'none'].map((value) => ({ value, label: value })),
          },
          { name: 'id', type: 'text' },
          { name: 'brief', type: 'textarea' },
        ],
      },
      {
        name: 'media',
        type: 'relationship',
        relationTo: 'media',
        hasMany: true,
        admin: { description: 'Default attachments of the variants.' },
      },
      {
        name: 'origin',
        type: 'group',
        access: readOnly,
        admin: { description: 'Set when an agent made the post.' },
        fields: [
          { name: 'agent', type: 'text' },
          { name: 'run', type: 'text' },
        ],
      },
      { name: 'approvedBy', type: 'relationship', relationTo: 'users', access: readOnly, admin: { readOnly: true } },
      { name: 'approvedAt', type: 'date', access: readOnly, admin: { readOnly: true } },
      { name: 'rejectionNote', type: 'textarea', access: readOnly, admin: { readOnly: true } },
      {
        name: 'metrics',
        type: 'group',
        access: readOnly,
        admin: { description: 'Totals over the variants.' },
        fields: metricFields(),
      },
      ...(overrides.fields ?? []),
    ],
  }
}
