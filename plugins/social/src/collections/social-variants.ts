/**
 * `social-variants`: a post's message on one account — its text, thread and media within that
 * platform's rules, the link with UTM parameters, and what publishing did (status, attempt, the
 * platform's post id and URL, or the error in words). One per (post, account). Over REST an editor
 * may add or change the text of a draft (checked against the rules as at save); everything publishing
 * sets is read-only.
 */

import { SOCIAL_PLATFORMS } from '@bizosaas/contracts/social'
import type { CollectionConfig } from 'payload'
import { SOCIAL_VARIANTS } from '../constants.ts'
import type { ResolvedSocialConfig } from '../types.ts'
import { metricFields, nobody, readOnly, statusField } from './fields.ts'
import { checkVariantSave, recomputePostStatus } from './hooks.ts'

export function socialVariantsCollection(config: ResolvedSocialConfig): CollectionConfig {
  const overrides = config.collectionOverrides[SOCIAL_VARIANTS] ?? {}
  const on = config.enabled
  return {
    ...overrides,
    slug: SOCIAL_VARIANTS,
    labels: { singular: 'Social variant', plural: 'Social variants' },
    admin: {
      useAsTitle: 'text',
      defaultColumns: ['post', 'platform', 'status', 'scheduledAt', 'platformUrl'],
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
    // One account per (tenant, platform, target); one variant per (post, account).
    indexes: [{ fields: ['post', 'account'], unique: true }, ...(overrides.indexes ?? [])],
    hooks: {
      ...overrides.hooks,
      beforeChange: [...(on ? [checkVariantSave] : []), ...(overrides.hooks?.beforeChange ?? [])],
      afterChange: [...(on ? [recomputePostStatus] : []), ...(overrides.hooks?.afterChange ?? [])],
      afterDelete: [...(on ? [recomputePostStatus] : []), ...(overrides.hooks?.afterDelete ?? [])],
    },
    fields: [
      {
        name: 'post',
        type: 'relationship',
        relationTo: 'social-posts',
        required: true,
        index: true,
        access: { update: nobody },
      },
      {
        name: 'account',
        type: 'relationship',
        relationTo: 'social-accounts',
        required: true,
        access: { update: nobody },
      },
      {
        name: 'platform',
        type: 'select',
        options: SOCIAL_PLATFORMS.map((value) => ({ value, label: value })),
        access: readOnly,
        admin: { readOnly: true, description: 'Copied from the account.' },
      },
      { name: 'text', type: 'textarea', required: true },
      { name: 'thread', type: 'array', fields: [{ name: 'text', type: 'textarea', required: true }] },
      { name: 'media', type: 'relationship', relationTo: 'media', hasMany: true },
      {
        name: 'link',
        type: 'text',
        access: readOnly,
        admin: { readOnly: true, description: 'The post’s link with this variant’s UTM parameters.' },
      },
      statusField('draft → awaiting-approval → scheduled → publishing → published | failed | unconfirmed'),
      { name: 'scheduledAt', type: 'date', index: true, access: readOnly, admin: { readOnly: true } },
      { name: 'attempt', type: 'number', defaultValue: 0, access: readOnly, admin: { readOnly: true } },
      { name: 'claimedAt', type: 'date', access: readOnly, admin: { readOnly: true } },
      { name: 'publishedAt', type: 'date', access: readOnly, admin: { readOnly: true } },
      { name: 'platformPostId', type: 'text', index: true, access: readOnly, admin: { readOnly: true } },
      { name: 'platformUrl', type: 'text', access: readOnly, admin: { readOnly: true } },
      { name: 'threadIds', type: 'json', access: readOnly, admin: { readOnly: true } },
      { name: 'error', type: 'textarea', access: readOnly, admin: { readOnly: true } },
      { name: 'errorCode', type: 'text', access: readOnly, admin: { readOnly: true } },
      {
        name: 'metrics',
        type: 'group',
        access: readOnly,
        fields: [...metricFields(), { name: 'collectedAt', type: 'date' }],
      },
      { name: 'metricsHistory', type: 'json', access: readOnly, admin: { readOnly: true } },
      ...(overrides.fields ?? []),
    ],
  }
}
