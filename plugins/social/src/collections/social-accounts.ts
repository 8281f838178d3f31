/**
 * `social-accounts`: who a tenant posts as — a connection (tokens live there) plus the profile, page,
 * organisation or business account chosen from what that connection may post as. One per (tenant,
 * platform, target). Added through `POST /api/social/accounts`, which asks the platform that the
 * connection can post as the target; over REST only its name and `active` change.
 */
import { SOCIAL_PLATFORMS } from '@bizosaas/contracts/social'
import { APIError, type CollectionBeforeOperationHook, type CollectionConfig } from 'payload'
import { SOCIAL_ACCOUNTS } from '../constants.ts'
import type { ResolvedSocialConfig } from '../types.ts'
import { readOnly, SERVICE_WRITE } from './fields.ts'

const createdByService: CollectionBeforeOperationHook = ({ args, operation, req }) => {
  if (operation === 'create' && !req.context?.[SERVICE_WRITE])
    throw new APIError(
      'Add a social account with POST /api/social/accounts (or under Integrations), which checks the connection can post as it.',
      400,
      undefined,
      true,
    )
  return args
}

export function socialAccountsCollection(config: ResolvedSocialConfig): CollectionConfig {
  const overrides = config.collectionOverrides[SOCIAL_ACCOUNTS] ?? {}
  return {
    ...overrides,
    slug: SOCIAL_ACCOUNTS,
    labels: { singular: 'Social account', plural: 'Social accounts' },
    admin: {
      useAsTitle: 'name',
      defaultColumns: ['name', 'platform', 'handle', 'active'],
      group: 'Social',
      ...overrides.admin,
    },
    access: {
      read: config.access.read,
      create: config.access.manageAccounts,
      update: config.access.manageAccounts,
      delete: config.access.manageAccounts,
      ...overrides.access,
    },
    // One account per (tenant, platform, target); one variant per (post, account).
    indexes: [{ fields: ['tenant', 'platform', 'targetId'], unique: true }, ...(overrides.indexes ?? [])],
    hooks: {
      ...overrides.hooks,
      beforeOperation: [...(config.enabled ? [createdByService] : []), ...(overrides.hooks?.beforeOperation ?? [])],
    },
    fields: [
      {
        name: 'platform',
        type: 'select',
        required: true,
        index: true,
        options: SOCIAL_PLATFORMS.map((value) => ({ value, label: value })),
        access: readOnly,
      },
      { name: 'connection', type: 'relationship', relationTo: 'connections', required: true, access: readOnly },
      {
        name: 'targetId',
        type: 'text',
        required: true,
        access: readOnly,
        admin: { description: 'The platform’s id of the profile, page or organisation posted as.' },
      },
      {
        name: 'targetType',
        type: 'select',
        required: true,
        options: ['profile', 'organization', 'page', 'business'].map((value) => ({ value, label: value })),
        access: readOnly,
      },
      { name: 'name', type: 'text', required: true, maxLength: 200 },
      { name: 'handle', type: 'text', access: readOnly },
      { name: 'url', type: 'text', access: readOnly },
      { name: 'avatarUrl', type: 'text', access: readOnly },
      {
        name: 'active',
        type: 'checkbox',
        defaultValue: true,
        admin: { description: 'Inactive accounts are not offered for new posts.' },
      },
      ...(overrides.fields ?? []),
    ],
  }
}
